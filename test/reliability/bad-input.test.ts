import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../src/main/api/registry';
import { stubHost } from '../../src/main/api/host-api';
import { operationNames, type OperationName } from '../../src/shared/contract';
import type { Core } from '../../src/main/core/core-api';
import { tempCore, seedWorld } from '../support/temp-core';

// Every contract operation, fed hostile input: only typed errors come back (never a crash,
// never INTERNAL), and a rejected call leaves the database exactly as it was.
const KNOWN_CODES = new Set(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'IN_USE', 'DECRYPTION_FAILED', 'ROTATION_IN_PROGRESS', 'HOST_UNAVAILABLE', 'KEYCHAIN_UNAVAILABLE']);
const TABLES = ['secrets', 'api_keys', 'api_groups', 'functions', 'function_groups', 'settings'];

let t: ReturnType<typeof tempCore>;
let core: Core;
let dispatch: Dispatch;
let snapshotDb: Database.Database;
let world: ReturnType<typeof seedWorld>;

function snapshot(): string {
  return TABLES.map((table) => JSON.stringify(snapshotDb.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all())).join('\n') +
    JSON.stringify(core.code.list().map((f) => [f.path, f.size]));
}

beforeAll(() => {
  t = tempCore();
  core = t.core;
  world = seedWorld(core);
  core.secrets.create({ name: 'EXISTING', value: 'v', scope: 'global' });
  dispatch = createDispatcher({ core, host: stubHost(), mode: 'browser' });
  snapshotDb = new Database(core.paths.databaseFile, { readonly: true });
});
afterAll(() => {
  snapshotDb.close();
  t.cleanup();
});

// Text that has no UTF-8 form (lone surrogates), and NUL bytes.
const brokenText = fc.constantFrom('\ud800', 'value\udfff', 'a\ud83d', '\udc00\ud800', 'nul\u0000byte', 'x\u0000');
// Names with every disallowed character class, wrong types, oversized strings, unknown ids.
const badName = fc.oneof(
  fc.constantFrom('api.key', 'my secret', 'secret@example', '', 'naïve', 'a/b', '../x', 'x\u0000y', 'tab\tbed', 'émoji🔑', 'A'.repeat(300)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !/^[a-zA-Z0-9_-]+$/.test(s)),
);
const anyValue = fc.oneof(fc.anything(), fc.constant('x'.repeat(16 * 1024 + 1)), fc.constant(null), fc.integer(), fc.boolean(), fc.array(fc.string()), brokenText);
const unknownId = fc.integer({ min: 100_000, max: 2 ** 31 - 1 });
const wrongId = fc.oneof(unknownId, fc.constantFrom(0, -1, 1.5, Number.NaN), fc.string(), fc.constant(null));

function hostileInputs(op: OperationName): fc.Arbitrary<unknown> {
  const generic = fc.oneof(
    fc.anything(),
    fc.dictionary(fc.string({ maxLength: 8 }), anyValue),
    fc.record({ id: wrongId }),
    fc.record({ id: unknownId, name: badName, value: anyValue, scope: fc.string({ maxLength: 10 }) }),
  );
  switch (op) {
    case 'secrets.create':
      return fc.oneof(
        generic,
        fc.record({ name: badName, value: fc.string(), scope: fc.constant('global') }),
        fc.record({ name: fc.constant('OK_NAME'), value: anyValue, scope: fc.constantFrom('global', 'function', 'group', 'key', 'team') }),
        fc.record({ name: fc.constant('OK_NAME'), value: fc.constantFrom('\ud800', 'lone \udfff surrogate', 'end\ud83d'), scope: fc.constant('global') }),
        fc.record({ name: fc.constant('OK_NAME'), value: fc.constant('v'), scope: fc.constantFrom('function', 'group', 'key'), scopeId: wrongId }),
        fc.constant({ name: 'EXISTING', value: 'dup', scope: 'global' }),
        fc.record({ name: fc.constant('OK_NAME'), value: fc.constant('v'), scope: fc.constant('global'), extra: fc.anything() }),
      );
    case 'groups.create':
      return fc.oneof(generic, fc.record({ name: fc.oneof(badName, fc.constantFrom('Upper', 'shipping', 'management')) }));
    case 'keys.create':
      return fc.oneof(generic, fc.record({ groupId: wrongId, name: fc.string() }), fc.record({ groupId: fc.constant(world.shipping.id), name: fc.oneof(badName, fc.constant('ship-svc')) }));
    case 'functions.create':
      return fc.oneof(
        generic,
        fc.record({
          name: fc.oneof(badName, fc.constant('notify')),
          route: fc.oneof(fc.constantFrom('no-slash', '/a b', '/x/:id/:id', '/notify'), fc.string()),
          methods: fc.oneof(fc.constant([]), fc.array(fc.string(), { maxLength: 3 }), fc.constant(['POST'])),
          handler: fc.oneof(fc.constantFrom('../escape.ts', '/etc/passwd.js', 'x.py', ''), fc.string()),
        }),
      );
    case 'code.write':
    case 'code.read':
    case 'code.delete':
      return fc.oneof(
        generic,
        fc.record({ path: fc.constantFrom('../x.ts', '/etc/passwd', 'a/../../b', '', 'C:\\x', 'a\u0000.ts', 'dir\u0000/x.ts'), content: fc.string() }),
        fc.record({ path: fc.constant('fine.ts'), content: brokenText }),
      );
    case 'settings.set':
      return fc.oneof(generic, fc.record({ hostPort: fc.oneof(fc.integer({ min: 65536 }), fc.integer({ max: -1 })), logRetention: fc.constant(0) }));
    case 'keyProtection.set':
      // Browser mode (this dispatcher): switching on is refused as KEYCHAIN_UNAVAILABLE, the file untouched.
      return fc.oneof(generic, fc.record({ protection: fc.oneof(fc.constantFrom('keychain', 'vault', 'FILE', ''), anyValue) }));
    case 'recoveryKit.create':
    case 'backup.create':
      return fc.oneof(generic, fc.record({ passphrase: fc.oneof(fc.string({ maxLength: 11 }), fc.constant('x'.repeat(1025)), brokenText, anyValue) }));
    case 'rotation.setInterval':
      return fc.oneof(generic, fc.record({ days: fc.oneof(fc.constant(0), fc.constant(-5), fc.constant(1e9), fc.double()) }));
    default:
      return generic;
  }
}

describe('hostile input to every contract operation', () => {
  it.each(operationNames.filter((op) => op !== 'rotation.rotateNow'))('%s: typed errors only, nothing changed when rejected', async (op) => {
    await fc.assert(
      fc.asyncProperty(hostileInputs(op), async (input) => {
        const before = snapshot();
        let res;
        try {
          res = await dispatch(op, input);
        } catch (e) {
          throw new Error(`${op} threw instead of answering: ${(e as Error).message}`);
        }
        if (!res.ok) {
          expect(KNOWN_CODES.has(res.error.code), `${op} answered ${res.error.code}: ${res.error.message}`).toBe(true);
          expect(typeof res.error.message).toBe('string');
          expect(res.error.message.length).toBeGreaterThan(0);
          expect(snapshot()).toBe(before);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('names the field of each validation error', async () => {
    const cases: [OperationName, unknown, string][] = [
      ['secrets.create', { name: 'api.key', value: 'v', scope: 'global' }, 'name'],
      ['secrets.create', { name: 'OK', value: 'x'.repeat(16385), scope: 'global' }, 'value'],
      ['secrets.create', { name: 'OK', value: 'v', scope: 'team' }, 'scope'],
      ['secrets.create', { name: 'OK', value: 'v', scope: 'key', scopeId: 999999 }, 'scopeId'],
      ['groups.create', { name: 'Upper' }, 'name'],
      ['functions.create', { name: 'f', route: 'x', methods: ['GET'], handler: 'f.ts' }, 'route'],
      ['functions.create', { name: 'f', route: '/f', methods: [], handler: 'f.ts' }, 'methods'],
      ['functions.create', { name: 'f', route: '/f', methods: ['GET'], handler: '../f.ts' }, 'handler'],
      ['settings.set', { hostPort: 70000 }, 'hostPort'],
      ['secrets.list', { scope: 'global', bogus: 1 }, 'bogus'],
      ['code.write', { path: 'a\u0000b.ts', content: 'x' }, 'path'],
      ['code.read', { path: 'x\u0000' }, 'path'],
      ['secrets.create', { name: 'OK', value: 'lone \ud800 surrogate', scope: 'global' }, 'value'],
      ['code.write', { path: 'ok.ts', content: 'broken \udfff' }, 'content'],
      ['functions.create', { name: 'f', route: '/f', methods: ['GET'], handler: 'f\u0000.ts' }, 'handler'],
    ];
    for (const [op, input, field] of cases) {
      const res = await dispatch(op, input);
      expect(res.ok, op).toBe(false);
      if (!res.ok) {
        expect(res.error.code, `${op} ${field}`).toBe('VALIDATION');
        expect(res.error.field, `${op} ${field}`).toBe(field);
      }
    }
  });
});
