import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A keyed MAC over the rows that decide who may call what — a key's group, a function's
 * required groups, enabled flag and CORS rules, a group's name — so that an edit of the
 * database outside the app is seen where the row is used, and refused. The key is derived
 * from the key file's hash key (HMAC with a purpose label), so the database alone cannot
 * forge it.
 */
export class Integrity {
  private readonly key: Buffer;

  constructor(hashKey: Buffer) {
    this.key = createHmac('sha256', hashKey).update('crude-functions-desktop/row-integrity/v1').digest();
  }

  /** The MAC of a row's protected fields, in a fixed order. */
  seal(kind: string, fields: (string | number | boolean | null)[]): string {
    const h = createHmac('sha256', this.key).update(kind);
    for (const f of fields) h.update(`\u0000${f === null ? '\u0001' : String(f)}`);
    return h.digest('base64url');
  }

  /** True when `mac` is the row's MAC (constant-time). */
  holds(mac: string | null | undefined, kind: string, fields: (string | number | boolean | null)[]): boolean {
    if (typeof mac !== 'string') return false;
    const expected = Buffer.from(this.seal(kind, fields));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
