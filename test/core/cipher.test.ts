import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKey, nextVersion, VersionedCipher } from '../../src/main/core/crypto/cipher';
import { CoreError } from '../../src/main/core/errors';

const keyA = { version: 'A', key: generateKey() };
const keyB = { version: 'B', key: generateKey() };
const BIND = 'crude/secret\u0000global\u00000\u0000DB';

function parts(stored: string) {
  const raw = Buffer.from(stored.slice(1), 'base64');
  return { version: stored[0], iv: raw.subarray(0, 12), body: raw.subarray(12, raw.length - 16), tag: raw.subarray(raw.length - 16) };
}

describe('VersionedCipher (AES-256-GCM)', () => {
  it('stores VERSION + base64(IV || ciphertext || tag) with a 12-byte IV and 16-byte tag', () => {
    const c = new VersionedCipher(keyA);
    const stored = c.encrypt('postgresql://user:pw@db/main', BIND);
    expect(stored).toMatch(/^A[A-Za-z0-9+/]+=*$/);
    const p = parts(stored);
    expect(p.iv.length).toBe(12);
    expect(p.tag.length).toBe(16);
    expect(p.body.length).toBe(Buffer.byteLength('postgresql://user:pw@db/main'));
    expect(c.decrypt(stored, 'test record', BIND)).toBe('postgresql://user:pw@db/main');
  });

  it('uses a fresh random IV for every encryption of the same value', () => {
    const c = new VersionedCipher(keyA);
    const ivs = new Set(Array.from({ length: 200 }, () => parts(c.encrypt('same', BIND)).iv.toString('hex')));
    expect(ivs.size).toBe(200);
  });

  it('round-trips any string (property)', () => {
    const c = new VersionedCipher(keyA);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => c.decrypt(c.encrypt(s, BIND), 'r', BIND) === s));
  });

  it('picks the decryption key by the version letter', () => {
    const old = new VersionedCipher(keyA);
    const storedA = old.encrypt('from A', BIND);
    const both = new VersionedCipher(keyB, [keyA]);
    expect(both.encrypt('x', BIND)[0]).toBe('B');
    expect(both.decrypt(storedA, 'r', BIND)).toBe('from A');
  });

  it('names the record, never the value, for an unknown letter', () => {
    const stored = new VersionedCipher(keyA).encrypt('top-secret-value', BIND);
    const onlyB = new VersionedCipher(keyB);
    try {
      onlyB.decrypt(stored, 'secret #7 ("DB", global scope)', BIND);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CoreError);
      expect((e as CoreError).code).toBe('DECRYPTION_FAILED');
      expect((e as CoreError).message).toContain('secret #7');
      expect((e as CoreError).message).toContain('"A"');
      expect((e as CoreError).message).not.toContain('top-secret-value');
      expect((e as CoreError).message).not.toContain(stored.slice(1, 20));
    }
  });

  it('rejects any flipped byte (authenticated encryption)', () => {
    const c = new VersionedCipher(keyA);
    const stored = c.encrypt('tamper me', BIND);
    const raw = Buffer.from(stored.slice(1), 'base64');
    for (let i = 0; i < raw.length; i++) {
      const t = Buffer.from(raw);
      t[i] = t[i]! ^ 0x01;
      expect(() => c.decrypt(`A${t.toString('base64')}`, 'rec', BIND)).toThrow(/authentication failed/);
    }
  });

  it('rejects a value encrypted under another key with the same letter', () => {
    const other = new VersionedCipher({ version: 'A', key: generateKey() });
    expect(() => new VersionedCipher(keyA).decrypt(other.encrypt('x', BIND), 'rec', BIND)).toThrow(CoreError);
  });

  it('rejects truncated values', () => {
    expect(() => new VersionedCipher(keyA).decrypt('AAAA', 'rec', BIND)).toThrow(/truncated/);
  });

  it('binds each value to its record: another binding, or none, fails to decrypt', () => {
    const c = new VersionedCipher(keyA);
    const stored = c.encrypt('bound', BIND);
    expect(() => c.decrypt(stored, 'rec', 'crude/secret\u0000global\u00000\u0000OTHER')).toThrow(/authentication failed/);
    expect(() => c.decrypt(stored, 'rec', null)).toThrow(/authentication failed/);
    expect(c.decrypt(stored, 'rec', BIND)).toBe('bound');
  });

  it('versions run A → Z and wrap', () => {
    expect(nextVersion('A')).toBe('B');
    expect(nextVersion('Y')).toBe('Z');
    expect(nextVersion('Z')).toBe('A');
  });
});
