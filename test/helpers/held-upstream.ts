import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/** One request held by the proxy: read upstream already, answered when the test releases it. */
export interface Hold {
  /** Resolves once the held request reached the proxy and its upstream answer was read. */
  arrived: Promise<void>;
  /** Sends the answer read earlier. */
  release(): void;
}

interface Armed {
  matches: (req: IncomingMessage, url: URL) => boolean;
  arrived: () => void;
  released: Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

/**
 * A loopback proxy in front of the dev tenant's Management API (usergate's MGMT_API_URL points at it)
 * that makes races deterministic: a request it is told to hold is forwarded at once (the upstream
 * reads its state now) and answered only when the test releases it (the answer arrives late).
 */
export async function startHeldUpstream(target: string) {
  const armed: Armed[] = [];
  const pending = new Set<() => void>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? '/', target);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
      const answer = await fetch(url, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      const body = Buffer.from(await answer.arrayBuffer());
      const index = armed.findIndex((a) => a.matches(req, url));
      if (index !== -1) {
        const [hold] = armed.splice(index, 1);
        hold!.arrived();
        await hold!.released;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name)) out[name] = value;
      });
      res.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
      res.end(body);
    })().catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    /** The Management API base to give usergate as MGMT_API_URL. */
    apiUrl: `${base}/api/v2`,
    /** Holds the next lookup of `sub`'s profile (a GET of the user asking for `blocked`). */
    holdLookupOf(sub: string): Hold {
      let arrived!: () => void;
      let release!: () => void;
      const hold: Hold = {
        arrived: new Promise<void>((resolve) => (arrived = resolve)),
        release: () => release(),
      };
      const released = new Promise<void>((resolve) => (release = resolve));
      pending.add(release);
      armed.push({
        matches: (req, url) =>
          req.method === 'GET' &&
          decodeURIComponent(url.pathname).endsWith(`/users/${sub}`) &&
          (url.searchParams.get('fields') ?? '').split(',').includes('blocked'),
        arrived,
        released,
      });
      return hold;
    },
    async stop() {
      for (const release of pending) release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A loopback TCP proxy in front of Redis whose link the test can cut and restore: Redis keeps its
 * data (as in a network partition), and every replica behind the proxy loses it at once.
 */
export async function startRedisLink(redisPort: number) {
  let cut = false;
  const sockets = new Set<Socket>();
  const server = createTcpServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(redisPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Drops every connection and refuses new ones until `restore`. */
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    async stop() {
      this.cut();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
