import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CoreError } from '../../src/main/core/errors';
import { tempCore, seedWorld } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function flip(stored: string, at: number): string {
  const raw = Buffer.from(stored.slice(1), 'base64');
  raw[at % raw.length] = raw[at % raw.length]! ^ (1 << (at % 8));
  return stored[0] + raw.toString('base64');
}

describe('tampering with stored ciphertext', () => {
  it('a flipped byte anywhere in a secret fails that record alone, with a clear error naming it', () => {
    fc.assert(
      fc.property(fc.nat(400), (at) => {
        const t = tempCore();
        try {
          const w = seedWorld(t.core);
          const victim = t.core.secrets.create({ name: 'VICTIM', value: 'CANARY-victim-value', scope: 'function', scopeId: w.report.id });
          const other = t.core.secrets.create({ name: 'OTHER', value: 'fine', scope: 'global' });
          const db = new Database(t.core.paths.databaseFile);
          const row = db.prepare('SELECT value_encrypted AS v FROM secrets WHERE id = ?').get(victim.id) as { v: string };
          db.prepare('UPDATE secrets SET value_encrypted = ? WHERE id = ?').run(flip(row.v, at), victim.id);
          db.close();
          let e: CoreError | undefined;
          try {
            t.core.secrets.getSecret('VICTIM', { functionId: w.report.id });
          } catch (x) {
            e = x as CoreError;
          }
          expect(e?.code).toBe('DECRYPTION_FAILED');
          expect(e?.message).toContain(`secret #${victim.id}`);
          expect(e?.message).toContain('"VICTIM"');
          expect(e?.message).not.toContain('CANARY');
          expect(() => t.core.secrets.reveal(victim.id)).toThrow(CoreError);
          // Everything else keeps working.
          expect(t.core.secrets.reveal(other.id)).toBe('fine');
          expect(t.core.secrets.getSecret('OTHER', { functionId: w.report.id })?.value).toBe('fine');
          expect(t.core.secrets.list('function', w.report.id).map((s) => s.name)).toEqual(['VICTIM']);
          expect(t.core.secrets.inspect('VICTIM').definitions).toHaveLength(1);
          expect(t.core.keys.authenticate(w.shipKey.value)?.key.id).toBe(w.shipKey.id);
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a flipped byte in an API key value fails that key only (authentication refused, reveal errors)', () => {
    const t = tempCore();
    cleanups.push(t.cleanup);
    const w = seedWorld(t.core);
    const db = new Database(t.core.paths.databaseFile);
    const row = db.prepare('SELECT value_encrypted AS v FROM api_keys WHERE id = ?').get(w.shipKey.id) as { v: string };
    db.prepare('UPDATE api_keys SET value_encrypted = ? WHERE id = ?').run(flip(row.v, 20), w.shipKey.id);
    db.close();
    expect(t.core.keys.authenticate(w.shipKey.value)).toBeNull();
    expect(() => t.core.keys.reveal(w.shipKey.id)).toThrow(/API key #\d+ \("ship-svc"\)/);
    expect(t.core.keys.authenticate(w.mfgKey.value)?.key.id).toBe(w.mfgKey.id);
  });

  it('a changed key version letter reports the unknown version, in the list too', () => {
    const t = tempCore();
    cleanups.push(t.cleanup);
    const s = t.core.secrets.create({ name: 'L', value: 'v', scope: 'global' });
    const db = new Database(t.core.paths.databaseFile);
    db.prepare("UPDATE secrets SET value_encrypted = 'Q' || substr(value_encrypted, 2) WHERE id = ?").run(s.id);
    db.close();
    expect(t.core.secrets.list('global')[0]!.decryptionError).toMatch(/key version "Q"/);
    expect(() => t.core.secrets.reveal(s.id)).toThrow(/key version "Q"/);
  });
});
