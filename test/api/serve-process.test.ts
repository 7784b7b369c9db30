// Browser mode as a child process: the built out/main/serve.js prints exactly one JSON
// line, answers /rpc, refuses a second instance on the same data directory, and exits
// cleanly on SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfNeeded, root } from '../../scripts/build-if-needed.mjs';
import { dataPaths, openCore, prepareKeys } from '../../src/main/core';
import { standInProtector } from '../support/stand-in-protector';

interface Started {
  child: ChildProcess;
  info: { adminUrl: string; token: string; functionsUrl: string; dataDir: string };
  stdout: () => string;
  stderr: () => string;
}

function startServe(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--data-dir', dataDir, '--port', '0', '--host-port', '0', ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CRUDE_DATA_DIR: '', ...env },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('serve.js printed nothing within 30 s'));
    }, 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        ok({ child, info: JSON.parse(out.slice(0, nl)), stdout: () => out, stderr: () => err });
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      fail(Object.assign(new Error('serve.js exited before it was ready'), { stderr: err }));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((ok) => {
    if (child.exitCode !== null) return ok(child.exitCode);
    child.on('exit', (code) => ok(code));
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'crude-serve-'));
let s: Started;

beforeAll(async () => {
  buildIfNeeded();
  s = await startServe(dataDir);
}, 300_000);

afterAll(async () => {
  if (s && s.child.exitCode === null) {
    s.child.kill('SIGKILL');
    await exited(s.child);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run serve (out/main/serve.js)', () => {
  it('prints exactly one JSON line with the four fields, and the URL on stderr', async () => {
    expect(Object.keys(s.info).sort()).toEqual(['adminUrl', 'dataDir', 'functionsUrl', 'token']);
    expect(s.info.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.info.functionsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/run$/);
    expect(s.info.dataDir).toBe(dataDir);
    expect(s.info.token.length).toBeGreaterThanOrEqual(32);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.stdout().trim().split('\n')).toHaveLength(1);
    expect(s.stderr()).toContain(`${s.info.adminUrl}#token=`);
  });

  it('answers an rpc, serves the renderer, and runs the seeded examples through the host', async () => {
    const rpc = async (op: string, input: unknown = {}) => {
      const res = await fetch(`${s.info.adminUrl}rpc/${op}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as any;
    };
    const info = await rpc('app.info');
    expect(info).toMatchObject({ ok: true, data: { mode: 'browser', dataDir } });
    const host = await rpc('host.status');
    expect(host.data.running).toBe(true);
    const fns = await rpc('functions.list');
    expect(fns.ok).toBe(true);
    // The built app runs handlers on Deno with out/main/handler-runtime.js: call the seeded example.
    const hello = fns.data.find((f: { name: string }) => f.name === 'hello');
    const inv = await rpc('functions.invoke', { functionId: hello.id });
    expect(inv.ok, JSON.stringify(inv.error)).toBe(true);
    expect(inv.data.status).toBe(200);
    expect(JSON.parse(inv.data.body)).toMatchObject({ message: 'Hello, world!' });
    const direct = await fetch(`${s.info.functionsUrl}/hello`);
    expect(direct.status).toBe(200);
    const page = await fetch(s.info.adminUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('a second instance on the same data directory exits 1 with one clear line', async () => {
    const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--data-dir', dataDir, '--port', '0', '--host-port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await exited(child);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/already open/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('a bad flag exits 1 with one line', async () => {
    const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--port', 'nope'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exited(child)).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
  });
});

describe('npm run serve -- --restore FILE', () => {
  const PASSPHRASE = 'correct horse battery staple';
  const work = mkdtempSync(join(tmpdir(), 'crude-restore-'));
  const backupFile = join(work, 'installation.cfbackup');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    const source = openCore({ dataDir: join(work, 'source') });
    try {
      source.secrets.create({ name: 'RESTORED', value: 'CANARY-restored', scope: 'global' });
      writeFileSync(backupFile, source.backups.create(PASSPHRASE).content);
    } finally {
      source.close();
    }
  });

  const runToExit = (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--port', '0', '--host-port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CRUDE_DATA_DIR: '', ...env } });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    return exited(child).then((code) => ({ code, err }));
  };

  it('restores into a fresh data folder, then starts on it', async () => {
    const target = join(work, 'fresh');
    const r = await startServe(target, ['--restore', backupFile], { CRUDE_BACKUP_PASSPHRASE: PASSPHRASE });
    try {
      expect(r.stderr()).toMatch(/Restored the backup made .* into /);
      const rpc = async (op: string, input: unknown = {}) =>
        (await (await fetch(`${r.info.adminUrl}rpc/${op}`, { method: 'POST', headers: { authorization: `Bearer ${r.info.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as any;
      const list = await rpc('secrets.list', { scope: 'global' });
      const restored = list.data.find((x: { name: string }) => x.name === 'RESTORED');
      expect((await rpc('secrets.reveal', { id: restored.id })).data.value).toBe('CANARY-restored');
    } finally {
      r.child.kill('SIGTERM');
      await exited(r.child);
    }
  });

  it('a wrong passphrase exits 1 with one line and writes nothing', async () => {
    const target = join(work, 'wrong');
    const { code, err } = await runToExit(['--data-dir', target, '--restore', backupFile], { CRUDE_BACKUP_PASSPHRASE: 'not the passphrase' });
    expect(code).toBe(1);
    expect(err.trim()).toBe('The passphrase is wrong for this backup.');
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
  });

  it('without a passphrase and no terminal, it says how to give one', async () => {
    const { code, err } = await runToExit(['--data-dir', join(work, 'nopass'), '--restore', backupFile], { CRUDE_BACKUP_PASSPHRASE: '' });
    expect(code).toBe(1);
    expect(err).toMatch(/set CRUDE_BACKUP_PASSPHRASE/);
  });

  it('refuses a data folder that already holds an installation', async () => {
    const { code, err } = await runToExit(['--data-dir', join(work, 'source'), '--restore', backupFile], { CRUDE_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(code).toBe(1);
    expect(err).toMatch(/--restore needs a fresh data folder/);
  });

  it('a missing file is named', async () => {
    const { code, err } = await runToExit(['--data-dir', join(work, 'missing'), '--restore', join(work, 'nope.cfbackup')], { CRUDE_BACKUP_PASSPHRASE: PASSPHRASE });
    expect(code).toBe(1);
    expect(err).toMatch(/--restore could not read .*nope\.cfbackup: ENOENT/);
  });
});

describe('npm run serve on a data folder whose keys the OS keychain wraps', () => {
  const PASSPHRASE = 'correct horse battery staple';
  const work = mkdtempSync(join(tmpdir(), 'crude-serve-keychain-'));
  const dir = join(work, 'wrapped');
  const kitFile = join(work, 'keys.cfkeys');
  let secretId = 0;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    // Made by the desktop app (here with a stand-in keychain).
    const keychain = standInProtector();
    const core = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, keychain, { newInstallation: 'keychain' }), protector: keychain });
    try {
      secretId = core.secrets.create({ name: 'WRAPPED', value: 'CANARY-serve-wrapped', scope: 'global' }).id;
      writeFileSync(kitFile, core.keyProtection.createRecoveryKit(PASSPHRASE).content);
    } finally {
      core.close();
    }
  });

  const runToExit = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [join(root, 'out/main/serve.js'), '--port', '0', '--host-port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CRUDE_DATA_DIR: '', ...env } });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    return exited(child).then((code) => ({ code, out, err }));
  };

  it('refuses to start: exit 1, one line saying why and what to do', async () => {
    const { code, out, err } = await runToExit(['--data-dir', dir]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/wrapped by the OS keychain \(stand-in\), and this process cannot reach it: browser mode runs without Electron/);
    expect(err).toMatch(/switch key protection off in Settings → Encryption/);
    expect(err).toMatch(/--restore-keys FILE/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('starts with --restore-keys FILE, reads the values, and audits the recovery', async () => {
    const r = await startServe(dir, ['--restore-keys', kitFile], { CRUDE_RECOVERY_PASSPHRASE: PASSPHRASE });
    try {
      expect(r.stderr()).toMatch(/Restored the keys \(key A\) from the recovery kit made /);
      const rpc = async (op: string, input: unknown = {}) =>
        (await (await fetch(`${r.info.adminUrl}rpc/${op}`, { method: 'POST', headers: { authorization: `Bearer ${r.info.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as any;
      expect((await rpc('secrets.reveal', { id: secretId })).data.value).toBe('CANARY-serve-wrapped');
      expect((await rpc('keyProtection.status')).data).toMatchObject({ protection: 'file', fileOnlyReason: expect.stringMatching(/Browser mode/) });
      const audit = await rpc('audit.list', { action: 'recovery-kit.restored' });
      expect(audit.data.entries).toHaveLength(1);
      expect(audit.data.entries[0].detail).toMatchObject({ keyVersion: 'A' });
    } finally {
      r.child.kill('SIGTERM');
      await exited(r.child);
    }
  });
});
