// Switching key protection on or off is one atomic rewrite of the key file (temp file,
// fsync, rename): a child process switching is SIGKILLed at each point of that write, and
// the installation must open afterwards in the old form or the new one, every value intact.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths, openCore, prepareKeys } from '../../src/main/core';
import { bundleForChild } from '../support/bundle-script';
import { standInProtector } from '../support/stand-in-protector';

interface Template {
  dir: string;
  secrets: { id: number; value: string }[];
  key: { id: number; value: string };
}

let childScript: string;
const templates: Record<'file' | 'keychain', Template> = {} as never;
const work = mkdtempSync(join(tmpdir(), 'crude-crash-protection-'));

async function template(protection: 'file' | 'keychain'): Promise<Template> {
  const dir = join(work, `template-${protection}`);
  const protector = protection === 'keychain' ? standInProtector() : undefined;
  const core = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, protector, { newInstallation: protection }), protector });
  try {
    const secrets = Array.from({ length: 20 }, (_, i) => {
      const value = `CANARY-crash-protection-${i}`;
      return { id: core.secrets.create({ name: `S_${i}`, value, scope: 'global' }).id, value };
    });
    const key = core.keys.create({ groupId: core.groups.list()[0]!.id, name: 'crash-key' });
    return { dir, secrets, key: { id: key.id, value: key.value } };
  } finally {
    core.close();
  }
}

beforeAll(async () => {
  childScript = await bundleForChild('test/support/switch-protection-child.ts');
  templates.file = await template('file');
  templates.keychain = await template('keychain');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the child until it reports `killAt` (then SIGKILL) or finishes; returns what it printed last. */
function runChild(dir: string, target: 'file' | 'keychain', killAt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dir, target, killAt], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes(`at ${killAt}\n`)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (signal === 'SIGKILL' || code === 0) resolve(last);
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

const cases = [
  { from: 'file', to: 'keychain', killAt: 'temp-written', formAfter: 'file' },
  { from: 'file', to: 'keychain', killAt: 'renamed', formAfter: 'keychain' },
  { from: 'file', to: 'keychain', killAt: 'none', formAfter: 'keychain' },
  { from: 'keychain', to: 'file', killAt: 'temp-written', formAfter: 'keychain' },
  { from: 'keychain', to: 'file', killAt: 'renamed', formAfter: 'file' },
  { from: 'keychain', to: 'file', killAt: 'none', formAfter: 'file' },
] as const;

describe('crash while switching key protection (SIGKILL at each point of the key file write)', () => {
  it.each(cases)('$from → $to, killed at $killAt: opens in the $formAfter form with every value', async ({ from, to, killAt, formAfter }) => {
    const t = templates[from];
    const dir = mkdtempSync(join(work, 'trial-'));
    cpSync(t.dir, dir, { recursive: true });
    const last = await runChild(dir, to, killAt);
    expect(last).toBe(killAt === 'none' ? 'done' : `at ${killAt}`);
    if (killAt === 'temp-written') {
      // The new form waits in its temp file; the key file is still the old form.
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    }
    expect(JSON.parse(readFileSync(dataPaths(dir).keyFile, 'utf8')).protection).toBe(formAfter);

    const protector = standInProtector();
    const core = openCore({ dataDir: dir, keys: await prepareKeys(dataPaths(dir).keyFile, protector), protector });
    try {
      expect((await core.keyProtection.status()).protection).toBe(formAfter);
      for (const s of t.secrets) expect(core.secrets.reveal(s.id)).toBe(s.value);
      expect(core.keys.authenticate(t.key.value)?.key.id).toBe(t.key.id);
      // The stray temp file (which may hold the keys in the clear) is gone once the app opens.
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      // And the switch can be made again.
      await core.keyProtection.set(to);
      expect((await core.keyProtection.status()).protection).toBe(to);
      for (const s of t.secrets) expect(core.secrets.reveal(s.id)).toBe(s.value);
    } finally {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
