import { describe, expect, it } from 'vitest';
import { runAs } from '../../src/main/core/audit/actor';
import { parseDotenv, parseSecretsJson } from '../../src/shared/dotenv';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { seedWorld } from '../support/temp-core';

const { fresh } = coreTestKit();

const ENV = [
  '# shipping credentials',
  'export CARRIER_TOKEN="CANARY-new-token"',
  'REGION=eu-west',
  'bad.name=CANARY-x',
  'UNCHANGED=CANARY-same',
  'NOEQUALS',
].join('\n');

describe('importing a .env or JSON file into a scope', () => {
  it('previews new, changed, unchanged and invalid rows with line numbers, and what callers would see; nothing is written', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const region = t.core.secrets.create({ name: 'REGION', value: 'CANARY-us-east', scope: 'group', scopeId: w.shipping.id });
    const same = t.core.secrets.create({ name: 'UNCHANGED', value: 'CANARY-same', scope: 'group', scopeId: w.shipping.id });
    const before = t.core.secrets.list('group', w.shipping.id);

    const { rows, whatIf } = t.core.secrets.importPreview('group', w.shipping.id, 'env', ENV);
    expect(rows.map((r) => [r.line, r.name, r.status, r.secretId ?? null])).toEqual([
      [2, 'CARRIER_TOKEN', 'new', null],
      [3, 'REGION', 'changed', region.id],
      [4, 'bad.name', 'invalid', null],
      [5, 'UNCHANGED', 'unchanged', same.id],
      [6, null, 'invalid', null],
    ]);
    expect(rows.find((r) => r.line === 4)!.problem).toMatch(/letters, digits/);
    expect(rows.find((r) => r.line === 6)!.problem).toMatch(/No "="/);
    // The what-if names the changed names only, with the callers of the group's keys.
    expect(new Set(whatIf.pairs.map((p) => p.name))).toEqual(new Set(['CARRIER_TOKEN', 'REGION']));
    expect(whatIf.pairs.some((p) => p.keyId === w.shipKey.id && p.functionId === w.notify.id)).toBe(true);
    expect(whatIf.summary).toBe('Changes 4 answers for 2 secrets (2 callers of 1 function); e.g. notify called with ship-other will read the group value instead of nothing for CARRIER_TOKEN.');
    // No value in the preview, and nothing written.
    expect(JSON.stringify({ rows, whatIf })).not.toContain('CANARY');
    expect(t.core.secrets.list('group', w.shipping.id)).toEqual(before);
  });

  it('applies the picked rows in one transaction, each with a version through "(import)", and audits the counts', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const region = t.core.secrets.create({ name: 'REGION', value: 'CANARY-us-east', scope: 'group', scopeId: w.shipping.id });
    t.core.secrets.create({ name: 'UNCHANGED', value: 'CANARY-same', scope: 'group', scopeId: w.shipping.id });
    const picked = parseDotenv(ENV).entries.map(({ name, value }) => ({ name, value }));

    const counts = runAs({ via: 'window' }, () => t.core.secrets.importEntries('group', w.shipping.id, picked));
    expect(counts).toEqual({ created: 1, updated: 1, unchanged: 1 });
    const token = t.core.secrets.list('group', w.shipping.id).find((s) => s.name === 'CARRIER_TOKEN')!;
    expect(t.core.secrets.reveal(token.id)).toBe('CANARY-new-token');
    expect(t.core.secrets.reveal(region.id)).toBe('eu-west');
    expect(t.core.secrets.history(region.id)[0]).toMatchObject({ n: 2, change: 'updated', changedBy: 'desktop window (import)' });
    expect(t.core.secrets.history(token.id)[0]).toMatchObject({ n: 1, change: 'created', changedBy: 'desktop window (import)' });
    const entry = t.core.audit.list({ action: 'secrets.imported' }).entries[0]!;
    expect(entry).toMatchObject({ scope: 'group', scopeId: w.shipping.id, detail: { created: 1, updated: 1, unchanged: 1 } });
  });

  it('a failure part-way writes nothing: the transaction is rolled back', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const before = t.core.secrets.list('function', w.notify.id);
    // The second entry breaks a rule the store checks (value over 16 KiB): the first is not kept.
    const err = coreErrorOf(() =>
      t.core.secrets.importEntries('function', w.notify.id, [
        { name: 'FIRST', value: 'CANARY-1' },
        { name: 'SECOND', value: 'x'.repeat(16 * 1024 + 1) },
      ]),
    );
    expect(err.code).toBe('VALIDATION');
    expect(t.core.secrets.list('function', w.notify.id)).toEqual(before);
    expect(t.core.audit.list({ action: 'secrets.imported' }).entries).toEqual([]);
  });

  it('refuses a name picked twice, naming it', () => {
    const t = fresh();
    const err = coreErrorOf(() => t.core.secrets.importEntries('global', null, [{ name: 'A', value: '1' }, { name: 'A', value: '2' }]));
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'entries' });
    expect(err.message).toContain('A is in the import twice');
  });

  it('reads a JSON object of text (numbers and booleans as their text); null, lists and objects are invalid rows', () => {
    const t = fresh();
    const { rows } = t.core.secrets.importPreview('global', null, 'json', '{\n  "A": "1",\n  "B": 2,\n  "C": null,\n  "D": ["x"]\n}');
    expect(rows.map((r) => [r.line, r.name, r.status])).toEqual([
      [2, 'A', 'new'],
      [3, 'B', 'new'],
      [4, 'C', 'invalid'],
      [5, 'D', 'invalid'],
    ]);
    expect(rows[2]!.problem).toMatch(/C is null/);
    expect(rows[3]!.problem).toMatch(/D is a list/);
  });
});

describe('exporting one scope', () => {
  it('a .env and a JSON export read back as the same names and values (round trip), and each export is audited', () => {
    const t = fresh();
    const w = seedWorld(t.core);
    const values: Record<string, string> = {
      PLAIN: 'CANARY-plain',
      QUOTES: `CANARY-"double" and 'single'`,
      MULTI: 'CANARY-line one\nline two',
      HASH: 'CANARY-#not-a-comment',
      UNICODE: 'CANARY-žluťoučký 🐎',
      EMPTY: '',
    };
    for (const [name, value] of Object.entries(values)) t.core.secrets.create({ name, value, scope: 'key', scopeId: w.shipKey.id });

    const env = t.core.secrets.exportScope('key', w.shipKey.id, 'env');
    expect(env).toMatchObject({ fileName: `secrets-key-${w.shipKey.id}.env`, count: 6, unreadable: [] });
    const fromEnv = parseDotenv(env.text);
    expect(fromEnv.problems).toEqual([]);
    expect(Object.fromEntries(fromEnv.entries.map((e) => [e.name, e.value]))).toEqual(values);

    const json = t.core.secrets.exportScope('key', w.shipKey.id, 'json');
    const fromJson = parseSecretsJson(json.text);
    expect(Object.fromEntries(fromJson.entries.map((e) => [e.name, e.value]))).toEqual(values);

    // Importing the export back changes nothing.
    const again = t.core.secrets.importPreview('key', w.shipKey.id, 'env', env.text);
    expect(again.rows.every((r) => r.status === 'unchanged')).toBe(true);
    expect(again.whatIf.pairs).toEqual([]);
    const audits = t.core.audit.list({ action: 'secrets.exported' }).entries;
    expect(audits.map((a) => a.detail)).toEqual([
      { format: 'json', count: 6, unreadable: 0 },
      { format: 'env', count: 6, unreadable: 0 },
    ]);
  });

  it('an unknown scope record is a clear error', () => {
    const t = fresh();
    const err = coreErrorOf(() => t.core.secrets.exportScope('group', 999, 'env'));
    expect(err).toMatchObject({ code: 'VALIDATION', field: 'scopeId' });
    expect(err.message).toMatch(/999/);
  });
});
