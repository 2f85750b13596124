import Redis from 'ioredis';
import type { Logger } from 'pino';

/** `off`: no REDIS_URL; `shared`: state lives in Redis; `degraded`: Redis is unreachable or slow, local state serves. */
export type SharingState = 'off' | 'shared' | 'degraded';

export interface RedisConnectionOptions {
  url: string;
  logger: Logger;
  /** Longest wait for one command, in ms; default 1000. A slower Redis counts as down. */
  commandTimeoutMs?: number;
  /** Longest wait for a connection, in ms; default 1000. */
  connectTimeoutMs?: number;
}

/**
 * The Redis connections of one replica (commands, and a second one for pub/sub) and whether the
 * cluster state is being shared right now. Every use goes through `run`: when Redis is down or slow
 * (bounded timeouts, no offline queue) the fallback answers instead and the state turns `degraded`,
 * logged once; it turns `shared` again when Redis answers (reconnect or a probe once a second).
 */
export class RedisConnection {
  readonly client: Redis;
  private readonly subscriber: Redis;
  private current: SharingState = 'degraded';
  private readonly resumeListeners: (() => void)[] = [];
  private readonly resumeHooks: ((client: Redis) => Promise<void>)[] = [];
  private resuming = false;
  private readonly channelListeners = new Map<string, ((message: string) => void)[]>();
  private readonly probe: NodeJS.Timeout;
  private closed = false;
  private everShared = false;

  constructor(private readonly options: RedisConnectionOptions) {
    const common = {
      connectTimeout: options.connectTimeoutMs ?? 1000,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      lazyConnect: false,
    };
    this.client = new Redis(options.url, { ...common, commandTimeout: options.commandTimeoutMs ?? 1000, enableOfflineQueue: false });
    this.subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true });
    // Errors surface through the state below; without listeners ioredis would print them.
    this.client.on('error', (err: Error) => this.degrade(err.message));
    this.subscriber.on('error', () => undefined);
    this.client.on('close', () => this.degrade('connection closed'));
    this.client.on('ready', () => this.resume());
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.channelListeners.get(channel) ?? []) listener(message);
    });
    this.probe = setInterval(() => {
      if (this.current === 'degraded' && this.client.status === 'ready') {
        this.client.ping().then(
          () => this.resume(),
          () => undefined,
        );
      }
    }, 1000);
    this.probe.unref();
  }

  /** Waits (bounded) for the first connection, so a replica starts sharing rather than alone. */
  async connect(timeoutMs = 2000): Promise<void> {
    if (this.client.status === 'ready') return;
    await Promise.race([
      new Promise((resolve) => this.client.once('ready', resolve)),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
    if (this.current !== 'shared') {
      this.options.logger.warn(
        { redis: 'degraded' },
        'Redis unreachable at start-up: this replica uses local state and local buckets until it connects',
      );
    }
  }

  get state(): SharingState {
    return this.current;
  }

  /** Runs a Redis operation while sharing; the fallback's answer when Redis is down, slow or fails. */
  async run<T>(operation: (client: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.current !== 'shared') return fallback();
    try {
      return await operation(this.client);
    } catch (err) {
      this.degrade((err as Error).message);
      return fallback();
    }
  }

  /** Publishes on a channel; lost (and logged as degraded) when Redis is down. */
  async publish(channel: string, message: string): Promise<void> {
    await this.run(
      (c) => c.publish(channel, message),
      () => 0,
    );
  }

  /** Calls `listener` for every message on `channel` (re-subscribed after a reconnect). */
  subscribe(channel: string, listener: (message: string) => void): void {
    const listeners = this.channelListeners.get(channel);
    if (listeners) {
      listeners.push(listener);
      return;
    }
    this.channelListeners.set(channel, [listener]);
    this.subscriber.subscribe(channel).catch(() => undefined);
  }

  /**
   * Runs `hook` each time Redis answers again, before sharing resumes (this replica's writes made
   * while Redis was away); while it runs, or if it fails, the state stays `degraded` (retried by the probe).
   */
  beforeResume(hook: (client: Redis) => Promise<void>): void {
    this.resumeHooks.push(hook);
  }

  /** Calls `listener` each time sharing resumes (what was published meanwhile was lost). */
  onResume(listener: () => void): void {
    this.resumeListeners.push(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probe);
    this.client.disconnect();
    this.subscriber.disconnect();
    return Promise.resolve();
  }

  private degrade(reason: string): void {
    if (this.closed || this.current === 'degraded') return;
    this.current = 'degraded';
    this.options.logger.warn(
      { redis: 'degraded', reason: reason.slice(0, 200) },
      'Redis unreachable or slow: each replica uses local state and local buckets until it returns',
    );
  }

  private resume(): void {
    if (this.closed || this.current === 'shared' || this.resuming) return;
    if (this.resumeHooks.length === 0) return this.share();
    this.resuming = true;
    Promise.all(this.resumeHooks.map((hook) => hook(this.client))).then(
      () => {
        this.resuming = false;
        this.share();
      },
      () => {
        this.resuming = false;
      },
    );
  }

  private share(): void {
    if (this.closed || this.current === 'shared') return;
    const again = this.everShared;
    this.current = 'shared';
    this.everShared = true;
    this.options.logger.info(
      { redis: 'shared' },
      again ? 'Redis is back: sharing resumed' : 'Redis connected: state shared across replicas',
    );
    for (const listener of this.resumeListeners) listener();
  }
}
