import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * Seals what replicas share in Redis (AES-256-GCM; key derived with HKDF-SHA256 from
 * MGMT_CLIENT_SECRET): reading Redis yields no usable machine token, and an entry written by anyone
 * without the secret (a forged caller with more roles) fails to open. Each value is bound to its
 * Redis key (additional data), so a sealed value cannot be moved to another key.
 */
export class SealedBox {
  private readonly key: Buffer;

  constructor(secret: string, context: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'usergate cluster', `usergate sealed box ${VERSION} ${context}`, 32));
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** The plaintext, or `undefined` when the value was not sealed by this key for this Redis key. */
  open(sealed: string, boundTo: string): string | undefined {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
