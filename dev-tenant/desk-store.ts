import { randomBytes } from 'node:crypto';
import { prng } from './seed';
import type { StoredUser } from './user-store';

/** A password-change ticket: a bearer link that lets the user set a new password until it expires. */
export interface Ticket {
  user_id: string;
  url: string;
  expires_at: string;
  result_url?: string;
  /** The application the user is sent back to on the New Universal Login. */
  client_id?: string;
  mark_email_as_verified: boolean;
}

export interface Job {
  id: string;
  type: 'verification_email';
  status: 'pending' | 'completed';
  created_at: string;
  user_id: string;
}

/**
 * A device credential (Auth0's older device-credentials endpoints, on every plan): a refresh token, a
 * rotating refresh token, or a public key. Refresh tokens are also what the Enterprise-only
 * `/users/{user_id}/refresh-tokens` endpoints show.
 */
export interface DeviceCredential {
  /** `dcr_` and 16 letters or digits, as the contract's DELETE path pattern wants. */
  id: string;
  type: 'refresh_token' | 'rotating_refresh_token' | 'public_key';
  user_id: string;
  client_id: string;
  device_id: string;
  device_name: string;
  created_at: string;
  /** What the Enterprise-only refresh-token endpoints add: its session, dates and where it was used. */
  session_id?: string;
  last_exchanged_at?: string;
  idle_expires_at?: string;
  expires_at?: string;
  device?: DeviceSeen;
}

/** Where a session or a refresh token was first and last used, as Auth0 records it. */
export interface DeviceSeen {
  initial_ip: string;
  last_ip: string;
  initial_user_agent: string;
  last_user_agent: string;
  initial_asn: string;
  last_asn: string;
}

/** A brute-force block: too many failed logins for an identifier from an IP. */
export interface UserBlock {
  identifier: string;
  ip: string;
  connection: string;
}

/** An enrolled factor as Auth0 keeps it; some fields are sensitive and must never reach a browser. */
export type AuthenticationMethod = Record<string, unknown> & { id: string; type: string; created_at: string };
export type Session = Record<string, unknown> & { id: string; user_id: string };
export type LogEvent = Record<string, unknown> & { log_id: string; date: string; type: string; user_id: string };

const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1'];

/** A device seen at one IP with one browser (ASNs from the documentation range). */
function deviceSeen(ip: string, agent: string): DeviceSeen {
  return { initial_ip: ip, last_ip: ip, initial_user_agent: agent, last_user_agent: agent, initial_asn: '64496', last_asn: '64496' };
}

function alnum(random: () => number, length: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < length) out += chars[Math.floor(random() * chars.length)];
  return out;
}

/**
 * The support-desk state of the dev tenant, per user: tickets, verification-email jobs, brute-force
 * blocks, authentication methods, sessions, and log events (seeded, and added by the tenant's own
 * actions: password-change requests, verification emails, unblocks, MFA resets, sign-outs).
 */
export class DeskStore {
  readonly tickets = new Map<string, Ticket>();
  readonly jobs = new Map<string, Job>();
  readonly blocks = new Map<string, UserBlock[]>();
  readonly methods = new Map<string, AuthenticationMethod[]>();
  readonly sessions = new Map<string, Session[]>();
  /** Refresh tokens (both kinds) and public keys, per user. */
  readonly deviceCredentials = new Map<string, DeviceCredential[]>();
  readonly logs = new Map<string, LogEvent[]>();
  /** How often remembered MFA browsers were forgotten, per user. */
  readonly rememberedBrowserResets = new Map<string, number>();
  private sequence = 0;

  constructor(private readonly now: () => number) {}

  /** Seeds every user deterministically: none, one or several factors, sessions, login history, some blocks. */
  seed(users: StoredUser[]): this {
    const random = prng(20261128);
    const base = Date.UTC(2026, 0, 1);
    users.forEach((user, index) => {
      const connection = user.identities[0]?.connection ?? 'Username-Password-Authentication';
      const at = (days: number) => new Date(base + days * 86_400_000).toISOString();
      const factors = index % 3;
      const methods: AuthenticationMethod[] = [];
      if (factors >= 1)
        methods.push({
          id: `totp|dev_${alnum(random, 16)}`,
          type: 'totp',
          name: 'Authenticator app',
          confirmed: true,
          created_at: at(index),
          enrolled_at: at(index),
          totp_secret: alnum(random, 32),
        });
      if (factors >= 2) {
        methods.push({
          id: `phone|dev_${alnum(random, 16)}`,
          type: 'phone',
          name: 'Phone',
          confirmed: true,
          created_at: at(index + 1),
          phone_number: `+1555${String(1000000 + index).slice(-7)}`,
          preferred_authentication_method: 'sms',
        });
        methods.push({
          id: `webauthn-roaming|dev_${alnum(random, 16)}`,
          type: 'webauthn-roaming',
          name: 'Security key',
          confirmed: true,
          created_at: at(index + 2),
          public_key: alnum(random, 64),
          key_id: alnum(random, 24),
        });
      }
      if (index % 4 === 1)
        methods.push({
          id: `passkey|dev_${alnum(random, 16)}`,
          type: 'passkey',
          name: 'Passkey',
          confirmed: true,
          created_at: at(index),
          public_key: alnum(random, 64),
          key_id: alnum(random, 24),
          credential_device_type: 'multi_device',
        });
      if (methods.length > 0) this.methods.set(user.user_id, methods);
      const ip = `198.51.100.${(index % 250) + 1}`;
      const sessions: Session[] = [];
      for (let s = 0; s < index % 3; s++) {
        sessions.push({
          id: `sess_${alnum(random, 20)}`,
          user_id: user.user_id,
          created_at: at(index + s),
          updated_at: at(index + s + 1),
          authenticated_at: at(index + s),
          last_interacted_at: at(index + s + 1),
          expires_at: at(index + s + 30),
          idle_expires_at: at(index + s + 3),
          device: deviceSeen(ip, AGENTS[s % 2]!),
          clients: [{ client_id: 'usergate-dev-spa' }],
        });
      }
      if (sessions.length > 0) this.sessions.set(user.user_id, sessions);
      const credentials: DeviceCredential[] = sessions.map((session, s) => ({
        id: `dcr_${alnum(random, 16)}`,
        type: s % 2 === 0 ? 'refresh_token' : 'rotating_refresh_token',
        user_id: user.user_id,
        client_id: 'usergate-dev-spa',
        device_id: `dev_${alnum(random, 12)}`,
        device_name: AGENTS[s % 2]!,
        created_at: String(session.created_at),
        session_id: session.id,
        last_exchanged_at: String(session.last_interacted_at),
        idle_expires_at: String(session.idle_expires_at),
        expires_at: String(session.expires_at),
        device: session.device as DeviceSeen,
      }));
      if (index % 5 === 0)
        credentials.push({
          id: `dcr_${alnum(random, 16)}`,
          type: 'public_key',
          user_id: user.user_id,
          client_id: 'usergate-dev-native',
          device_id: `dev_${alnum(random, 12)}`,
          device_name: 'Pixel 9',
          created_at: at(index),
        });
      if (credentials.length > 0) this.deviceCredentials.set(user.user_id, credentials);
      this.log(user, {
        type: 's',
        description: 'Successful login',
        ip,
        user_agent: AGENTS[0],
        connection,
        date: at(index),
        details: { prompts: [{ name: 'login' }] },
      });
      this.log(user, {
        type: 'fp',
        description: 'Wrong email or password.',
        ip: '203.0.113.9',
        user_agent: AGENTS[1],
        connection,
        date: at(index + 1),
        details: { error: { message: 'Wrong email or password.' } },
      });
      if (index % 7 === 2 && user.email) {
        this.blocks.set(user.user_id, [{ identifier: user.email, ip: '203.0.113.9', connection }]);
        this.log(user, {
          type: 'limit_wc',
          description: 'Blocked account: too many failed logins',
          ip: '203.0.113.9',
          connection,
          date: at(index + 2),
        });
      }
    });
    return this;
  }

  /** Adds a log event for the user, newest last; `date` defaults to the tenant's clock. */
  log(user: StoredUser, event: Record<string, unknown> & { type: string }): LogEvent {
    this.sequence += 1;
    const entry: LogEvent = {
      date: new Date(this.now()).toISOString(),
      client_id: 'usergate-dev-spa',
      client_name: 'usergate dev SPA',
      strategy: user.identities[0]?.provider ?? 'auth0',
      strategy_type: user.identities[0]?.isSocial ? 'social' : 'database',
      hostname: 'dev-tenant.local',
      user_name: user.email ?? user.user_id,
      ...event,
      user_id: user.user_id,
      log_id: `9002026${String(this.sequence).padStart(10, '0')}`,
    };
    const list = this.logs.get(user.user_id) ?? [];
    list.push(entry);
    this.logs.set(user.user_id, list);
    return entry;
  }

  newJobId(): string {
    return `job_${randomBytes(12)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .padEnd(16, 'x')
      .slice(0, 16)}`;
  }

  /** A device-credential id as Auth0 shapes them (`dcr_` and 16 letters or digits). */
  newDeviceCredentialId(): string {
    return `dcr_${randomBytes(16)
      .toString('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .padEnd(16, 'x')
      .slice(0, 16)}`;
  }

  /** Adds a refresh token (or another credential) for the user, as a login with offline_access would. */
  addDeviceCredential(user: StoredUser, fields: Partial<Omit<DeviceCredential, 'user_id'>> = {}): DeviceCredential {
    const credential: DeviceCredential = {
      id: this.newDeviceCredentialId(),
      type: 'refresh_token',
      client_id: 'usergate-dev-spa',
      device_id: `dev_${this.newTicketCode().slice(0, 12)}`,
      device_name: AGENTS[0]!,
      created_at: new Date(this.now()).toISOString(),
      ...fields,
      user_id: user.user_id,
    };
    const list = this.deviceCredentials.get(user.user_id) ?? [];
    list.push(credential);
    this.deviceCredentials.set(user.user_id, list);
    return credential;
  }

  /**
   * Adds a session for the user, as a login would (its refresh token too with `refreshToken`): for
   * lists longer than a page. Newest last, each a minute after the previous one.
   */
  addSession(user: StoredUser, { ip = '198.51.100.200', agent = AGENTS[0]!, refreshToken = false } = {}): Session {
    const list = this.sessions.get(user.user_id) ?? [];
    const at = new Date(this.now() + list.length * 60_000).toISOString();
    const later = (days: number) => new Date(Date.parse(at) + days * 86_400_000).toISOString();
    const session: Session = {
      id: `sess_${this.newTicketCode()
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 20)}`,
      user_id: user.user_id,
      created_at: at,
      updated_at: at,
      authenticated_at: at,
      last_interacted_at: at,
      expires_at: later(30),
      idle_expires_at: later(3),
      device: deviceSeen(ip, agent),
      clients: [{ client_id: 'usergate-dev-spa' }],
    };
    list.push(session);
    this.sessions.set(user.user_id, list);
    if (refreshToken)
      this.addDeviceCredential(user, {
        device_name: agent,
        created_at: at,
        session_id: session.id,
        last_exchanged_at: at,
        idle_expires_at: later(3),
        expires_at: later(30),
        device: deviceSeen(ip, agent),
      });
    return session;
  }

  newTicketCode(): string {
    return randomBytes(24).toString('base64url');
  }
}
