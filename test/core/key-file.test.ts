import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreErrorOf, coreTestKit } from '../support/core-test-kit';
import { openCore } from '../../src/main/core';
import { parseKeyFile, readKeyFile, writeKeyFile, newKeyFile } from '../../src/main/core/crypto/key-file';
import { tempDir } from '../support/temp-core';

const { cleanups, fresh } = coreTestKit();
const codeOf = coreErrorOf;

describe('data directory and key file', () => {
  it('creates database.db (WAL), encryption-keys.json and code/ on first start; dir 0700, key file 0600', () => {
    const t = fresh();
    const { paths } = t.core;
    expect(existsSync(paths.databaseFile)).toBe(true);
    expect(existsSync(paths.keyFile)).toBe(true);
    expect(existsSync(paths.codeDir)).toBe(true);
    expect(statSync(paths.dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.keyFile).mode & 0o777).toBe(0o600);
    expect(t.core.firstStart).toBe(true);
    expect(readFileSync(paths.databaseFile).subarray(18, 20)).toEqual(Buffer.from([2, 2])); // WAL header bytes
  });

  it('holds current key + letter, phased-out (null), last rotation and a separate hash key', () => {
    const t = fresh();
    const json = JSON.parse(readFileSync(t.core.paths.keyFile, 'utf8'));
    expect(json.currentVersion).toBe('A');
    expect(Buffer.from(json.currentKey, 'base64')).toHaveLength(32);
    expect(json.phasedOutVersion).toBeNull();
    expect(json.phasedOutKey).toBeNull();
    expect(Date.parse(json.lastRotationAt)).not.toBeNaN();
    expect(Buffer.from(json.hashKey, 'base64')).toHaveLength(32);
    expect(json.hashKey).not.toBe(json.currentKey);
  });

  it('a second start reuses the same keys and is not a first start', () => {
    const t = fresh();
    const before = readFileSync(t.core.paths.keyFile, 'utf8');
    const s = t.core.secrets.create({ name: 'A', value: 'v', scope: 'global' });
    const again = t.reopen();
    expect(again.firstStart).toBe(false);
    expect(readFileSync(again.paths.keyFile, 'utf8')).toBe(before);
    expect(again.secrets.reveal(s.id)).toBe('v');
  });

  it('refuses a populated database whose key file is missing, and overwrites nothing', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'DB_URL', value: 'postgres://x', scope: 'global' });
    t.core.close();
    const dbBytes = readFileSync(t.core.paths.databaseFile);
    rmSync(t.core.paths.keyFile);
    const err = codeOf(() => openCore({ dataDir: t.dir }));
    expect(err.code).toBe('KEY_FILE');
    expect(err.message).toContain(t.core.paths.keyFile);
    expect(err.message).toMatch(/Restore encryption-keys\.json/);
    expect(existsSync(t.core.paths.keyFile)).toBe(false);
    expect(readFileSync(t.core.paths.databaseFile).equals(dbBytes)).toBe(true);
    expect(existsSync(join(t.dir, 'app.lock'))).toBe(false);
  });

  it('refuses a key file from another installation, overwriting nothing', () => {
    const t = fresh();
    t.core.secrets.create({ name: 'X', value: 'v', scope: 'global' });
    t.core.close();
    const other = tempDir();
    cleanups.push(other.cleanup);
    openCore({ dataDir: other.dir }).close();
    copyFileSync(join(other.dir, 'encryption-keys.json'), t.core.paths.keyFile);
    const foreign = readFileSync(t.core.paths.keyFile, 'utf8');
    const err = codeOf(() => openCore({ dataDir: t.dir }));
    expect(err.code).toBe('KEY_FILE');
    expect(err.message).toMatch(/another installation/);
    expect(readFileSync(t.core.paths.keyFile, 'utf8')).toBe(foreign);
  });

  it('names the malformed field', () => {
    const base = JSON.parse(JSON.stringify({ ...newKeyFile(), currentKey: 'x' }));
    const good = newKeyFile();
    const text = (patch: Record<string, unknown>) =>
      JSON.stringify({
        installationId: good.installationId,
        currentVersion: 'A',
        currentKey: good.currentKey.toString('base64'),
        phasedOutVersion: null,
        phasedOutKey: null,
        lastRotationAt: new Date().toISOString(),
        hashKey: good.hashKey.toString('base64'),
        ...patch,
      });
    expect(base).toBeTruthy();
    const cases: [Record<string, unknown>, string][] = [
      [{ currentKey: 'short' }, 'currentKey'],
      [{ currentKey: Buffer.alloc(16).toString('base64') }, 'currentKey'],
      [{ currentVersion: 'a' }, 'currentVersion'],
      [{ currentVersion: 'AB' }, 'currentVersion'],
      [{ hashKey: 42 }, 'hashKey'],
      [{ lastRotationAt: 'yesterday' }, 'lastRotationAt'],
      [{ phasedOutVersion: 'B' }, 'phasedOutKey'],
      [{ phasedOutVersion: 'A', phasedOutKey: good.currentKey.toString('base64') }, 'phasedOutVersion'],
      [{ installationId: null }, 'installationId'],
    ];
    for (const [patch, field] of cases) {
      const err = codeOf(() => parseKeyFile('/data/encryption-keys.json', text(patch)));
      expect(err.code).toBe('KEY_FILE');
      expect(err.field).toBe(field);
      expect(err.message).toContain(`"${field}"`);
      expect(err.message).toContain('/data/encryption-keys.json');
    }
    expect(codeOf(() => parseKeyFile('/k.json', '{not json')).message).toMatch(/not valid JSON/);
  });

  it('a malformed key file stops the start with the field named, and is left as it was', () => {
    const t = fresh();
    t.core.close();
    const json = JSON.parse(readFileSync(t.core.paths.keyFile, 'utf8'));
    json.hashKey = 'nope';
    writeFileSync(t.core.paths.keyFile, JSON.stringify(json));
    const err = codeOf(() => openCore({ dataDir: t.dir }));
    expect(err.field).toBe('hashKey');
    expect(JSON.parse(readFileSync(t.core.paths.keyFile, 'utf8')).hashKey).toBe('nope');
  });

  it('writes atomically: a leftover temp file (torn write) never replaces the good file and is cleaned up', () => {
    const t = fresh();
    const s = t.core.secrets.create({ name: 'KEEP', value: 'kept', scope: 'global' });
    t.core.close();
    const good = readFileSync(t.core.paths.keyFile, 'utf8');
    // Interrupt a write right after the temp file is written: the rename never happens.
    const next = { ...readKeyFile(t.core.paths.keyFile)!, currentVersion: 'Q' };
    expect(() =>
      writeKeyFile(t.core.paths.keyFile, next, {
        afterTempWritten: () => {
          throw new Error('power cut');
        },
      }),
    ).toThrow('power cut');
    // And a partial temp file as a crash mid-write would leave.
    writeFileSync(join(t.dir, '.encryption-keys.json.deadbeef.tmp'), '{"currentVersion": "Z", "curr');
    expect(readFileSync(t.core.paths.keyFile, 'utf8')).toBe(good);
    const again = t.reopen();
    expect(again.secrets.reveal(s.id)).toBe('kept');
    expect(readdirSync(t.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('allows one instance per data directory', () => {
    const t = fresh();
    const err = codeOf(() => openCore({ dataDir: t.dir }));
    expect(err.code).toBe('LOCKED');
    expect(err.message).toContain(t.dir);
    // The first instance is untouched.
    expect(t.core.secrets.create({ name: 'STILL', value: 'works', scope: 'global' }).name).toBe('STILL');
  });

  it('takes over a lock left by a dead process', () => {
    const t = fresh();
    t.core.close();
    writeFileSync(join(t.dir, 'app.lock'), '999999999');
    const again = t.reopen();
    expect(again.groups.list().length).toBeGreaterThan(0);
  });
});
