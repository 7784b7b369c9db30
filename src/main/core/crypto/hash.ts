import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of an API key value under the installation's hash key: the lookup index for keys. */
export function hashApiKey(hashKey: Buffer, value: string): string {
  return createHmac('sha256', hashKey).update(value, 'utf8').digest('hex');
}

/** Constant-time string comparison (lengths are compared first; they are not secret here). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A new API key value: 32 random bytes, URL-safe, prefixed so it is recognisable in a config file. */
export function generateApiKeyValue(): string {
  return `cfk_${randomBytes(32).toString('base64url')}`;
}
