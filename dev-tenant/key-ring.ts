import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** One RS256 signing key of the dev tenant. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * The tenant's signing keys. Tests rotate keys at run time: `addKey()` makes a new key the active
 * signer and publishes it; `retireKey(kid)` removes a key from the JWKS (tokens it signed stop
 * verifying once a verifier refetches).
 */
export class KeyRing {
  private readonly keys = new Map<string, SigningKey>();
  private activeKid = '';

  constructor() {
    this.addKey();
  }

  addKey(): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key: SigningKey = { kid: randomBytes(8).toString('hex'), privateKey, publicKey };
    this.keys.set(key.kid, key);
    this.activeKid = key.kid;
    return key;
  }

  retireKey(kid: string): void {
    this.keys.delete(kid);
    if (this.activeKid === kid) this.activeKid = [...this.keys.keys()].at(-1) ?? '';
  }

  get active(): SigningKey {
    const key = this.keys.get(this.activeKid);
    if (!key) throw new Error('the dev tenant has no signing key left');
    return key;
  }

  find(kid: string): SigningKey | undefined {
    return this.keys.get(kid);
  }

  /** RFC 7517 key set with the public halves only. */
  jwks(): { keys: Record<string, unknown>[] } {
    return {
      keys: [...this.keys.values()].map((k) => ({
        ...k.publicKey.export({ format: 'jwk' }),
        kid: k.kid,
        use: 'sig',
        alg: 'RS256',
      })),
    };
  }

  /** Signs the payload; a claim set to `undefined` is left out (tests use it to drop a claim). */
  sign(payload: Record<string, unknown>, key: SigningKey = this.active): string {
    const claims = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
    return jwt.sign(claims, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
  }
}
