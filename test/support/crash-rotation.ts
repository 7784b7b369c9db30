import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../../src/main/core';
import { bulkInsertSecrets, bulkValue } from './bulk';
import { bundleForChild } from './bundle-script';

export interface CrashFixture {
  template: string;
  count: number;
  keys: { id: number; value: string }[];
  childScript: string;
  cleanup(): void;
}

/** A closed data directory with `count` secrets and a few API keys, copied for each trial. */
export async function crashFixture(count: number): Promise<CrashFixture> {
  const template = mkdtempSync(join(tmpdir(), 'crude-crash-template-'));
  const core = openCore({ dataDir: template });
  const g = core.groups.create({ name: 'crash' });
  const keys = [1, 2, 3].map((i) => core.keys.create({ groupId: g.id, name: `k${i}` }));
  core.close();
  bulkInsertSecrets(template, count);
  return {
    template,
    count,
    keys: keys.map((k) => ({ id: k.id, value: k.value })),
    childScript: await bundleForChild('test/support/rotate-child.ts'),
    cleanup: () => rmSync(template, { recursive: true, force: true }),
  };
}

export interface TrialResult {
  killedAt: string;
  finishedBeforeKill: boolean;
  versionAfter: string;
  checked: number;
}

/** Runs one trial: rotate in a child, SIGKILL it at a random moment, reopen, check every value. */
export async function crashTrial(fx: CrashFixture, random: () => number, parallel = false): Promise<TrialResult> {
  const dir = mkdtempSync(join(tmpdir(), 'crude-crash-'));
  try {
    cpSync(fx.template, dir, { recursive: true });
    const child = spawn(process.execPath, [fx.childScript, dir, parallel ? 'parallel' : 'single'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastLine = 'spawned';
    let finished = false;
    // Kill after a random number of reported steps, plus a random sub-step delay.
    // 10 pages of 1,000 rows print ~14 step lines: kills land before, during and after the commit.
    const killAfterLines = Math.floor(random() * 16);
    const extraDelay = Math.floor(random() * 40);
    let lines = 0;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        lastLine = line;
        if (line === 'done') finished = true;
        if (++lines === killAfterLines + 1) setTimeout(() => child.kill('SIGKILL'), extraDelay);
      }
    });
    await exited;
    const core = openCore({ dataDir: dir });
    try {
      const status = core.rotation.status();
      if (status.phasedOutVersion !== null) throw new Error('rotation not finished at start');
      let checked = 0;
      for (const s of core.secrets.list('global')) {
        const i = Number(s.name.slice('BULK_'.length));
        const v = core.secrets.reveal(s.id);
        if (v !== bulkValue(i)) throw new Error(`secret ${s.name} changed after a crash at ${lastLine}`);
        checked++;
      }
      if (checked !== fx.count) throw new Error(`expected ${fx.count} secrets, found ${checked}`);
      for (const k of fx.keys) {
        if (core.keys.reveal(k.id) !== k.value || core.keys.authenticate(k.value)?.key.id !== k.id) {
          throw new Error(`API key #${k.id} changed after a crash at ${lastLine}`);
        }
      }
      return { killedAt: lastLine, finishedBeforeKill: finished, versionAfter: status.currentVersion, checked };
    } finally {
      core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
