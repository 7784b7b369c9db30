import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths, openCore } from '../../src/main/core';
import { openBackup } from '../../src/main/core/backup';
import { sealBackup } from '../../src/main/core/backup/backup';
import { startServices, type Services } from '../../src/main/services';
import { tempDir } from '../support/temp-core';

const PASSPHRASE = 'correct horse battery staple';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function running(): Promise<{ services: Services; dir: string }> {
  const d = tempDir();
  cleanups.push(d.cleanup);
  const services = await startServices({ dataDir: d.dir, mode: 'browser', hostPort: 0 });
  cleanups.push(() => services.stop());
  return { services, dir: d.dir };
}

const call = async (s: Services, op: string, input: unknown = {}) => {
  const r = await s.dispatch(op, input, { via: 'window' });
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.data as any;
};

describe('restoring a backup in the running app (Settings → Backup)', () => {
  it('replaces the installation with the backup, keeps the replaced one aside, and answers through the same dispatch', async () => {
    const { services, dir } = await running();
    const created = await call(services, 'secrets.create', { name: 'TOKEN', value: 'CANARY-at-backup', scope: 'global' });
    const backup = await call(services, 'backup.create', { passphrase: PASSPHRASE });
    await call(services, 'secrets.update', { id: created.id, value: 'CANARY-after-backup' });
    await call(services, 'secrets.create', { name: 'LATER', value: 'CANARY-later', scope: 'global' });

    const urlBefore = services.host.status().url;
    const result = await call(services, 'backup.restore', { content: backup.content, passphrase: PASSPHRASE });
    expect(result.restoredFrom).toBe(backup.createdAt);
    expect(result.previousDataKeptIn).toMatch(new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/replaced-`));

    // The same dispatch now answers from the restored installation.
    const names = (await call(services, 'secrets.list', { scope: 'global' })).map((s: { name: string }) => s.name);
    expect(names).toContain('TOKEN');
    expect(names).not.toContain('LATER');
    expect((await call(services, 'secrets.reveal', { id: created.id })).value).toBe('CANARY-at-backup');
    expect(services.core.paths.dataDir).toBe(dir);
    // The host serves again, on the same URL callers already use.
    expect(services.host.status()).toMatchObject({ running: true, url: urlBefore });
    // The audit log of the restored installation says who restored what.
    const audit = await call(services, 'audit.list', { action: 'backup.restored' });
    expect(audit.entries[0]).toMatchObject({ actor: 'desktop window', detail: { backupCreatedAt: backup.createdAt } });

    // Nothing was lost: the replaced installation, with its later changes, opens from where it was kept.
    const kept = openCore({ dataDir: result.previousDataKeptIn });
    try {
      const secrets = kept.secrets.list('global');
      expect(secrets.map((s) => s.name)).toEqual(expect.arrayContaining(['LATER', 'TOKEN']));
      expect(kept.secrets.reveal(secrets.find((s) => s.name === 'TOKEN')!.id)).toBe('CANARY-after-backup');
    } finally {
      kept.close();
    }
  });

  it('a wrong passphrase or a damaged file changes nothing: the installation stays open, nothing is moved', async () => {
    const { services, dir } = await running();
    await call(services, 'secrets.create', { name: 'STAYS', value: 'CANARY-stays', scope: 'global' });
    const backup = await call(services, 'backup.create', { passphrase: PASSPHRASE });
    const before = readdirSync(dir).sort();

    const wrong = await services.dispatch('backup.restore', { content: backup.content, passphrase: 'wrong passphrase!' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'passphrase' } });
    const cut = await services.dispatch('backup.restore', { content: backup.content.slice(0, 100), passphrase: PASSPHRASE });
    expect(cut).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'file' } });

    expect(readdirSync(dir).sort()).toEqual(before);
    expect((await call(services, 'secrets.list', { scope: 'global' })).map((s: { name: string }) => s.name)).toContain('STAYS');
  });

  it('a backup whose database does not open is undone: the replaced installation is put back and opened again', async () => {
    const { services, dir } = await running();
    await call(services, 'secrets.create', { name: 'STAYS', value: 'CANARY-stays', scope: 'global' });
    const good = openBackup((await call(services, 'backup.create', { passphrase: PASSPHRASE })).content, PASSPHRASE);
    // The right header, then garbage: passes the file checks, fails to open as a database.
    const broken = sealBackup({ ...good, database: Buffer.concat([good.database.subarray(0, 100), Buffer.alloc(8192, 0x5a)]) }, PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 });

    const r = await services.dispatch('backup.restore', { content: broken, passphrase: PASSPHRASE });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'file' } });
    expect(!r.ok && r.error.message).toMatch(/does not open.*put back unchanged/);
    expect((await call(services, 'secrets.list', { scope: 'global' })).map((s: { name: string }) => s.name)).toContain('STAYS');
    expect(readdirSync(dir).filter((f) => f.startsWith('replaced-') || f.startsWith('.restoring'))).toEqual([]);
    expect(existsSync(dataPaths(dir).keyFile)).toBe(true);
    expect(existsSync(join(dir, 'code'))).toBe(true);
  });
});
