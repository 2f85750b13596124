import { createHash, randomBytes } from 'node:crypto';

export interface Identity {
  connection: string;
  provider: string;
  user_id: string;
  isSocial: boolean;
  access_token?: string;
  refresh_token?: string;
  access_token_secret?: string;
  profileData?: Record<string, unknown>;
}

/** A user as the dev tenant keeps it; `password_hash` never leaves the store. */
export interface StoredUser {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  nickname?: string;
  picture?: string;
  blocked?: boolean;
  created_at: string;
  updated_at: string;
  last_login?: string;
  last_ip?: string;
  logins_count?: number;
  identities: Identity[];
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  password_hash?: string;
  [key: string]: unknown;
}

export function hashPassword(password: string): string {
  return createHash('sha256').update(password).digest('hex');
}

export function newUserId(): string {
  return randomBytes(12).toString('hex');
}

/** The stateful user store behind the dev tenant's /api/v2/users endpoints. */
export class UserStore {
  private readonly users = new Map<string, StoredUser>();

  constructor(seed: StoredUser[] = []) {
    for (const user of seed) this.users.set(user.user_id, structuredClone(user));
  }

  all(): StoredUser[] {
    return [...this.users.values()];
  }

  get(id: string): StoredUser | undefined {
    return this.users.get(id);
  }

  put(user: StoredUser): void {
    this.users.set(user.user_id, user);
  }

  delete(id: string): boolean {
    return this.users.delete(id);
  }

  get size(): number {
    return this.users.size;
  }

  /** A deep copy of every user, for tests that check nothing changed. */
  snapshot(): StoredUser[] {
    return structuredClone(this.all()).sort((a, b) => a.user_id.localeCompare(b.user_id));
  }
}
