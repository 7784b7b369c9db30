import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type OpenCoreOptions } from '../../src/main/core';
import type { Core } from '../../src/main/core/core-api';

/** A fresh temp data directory; removed by `cleanup()`. */
export function tempDir(prefix = 'crude-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens core on a fresh temp data directory. */
export function tempCore(options: Partial<OpenCoreOptions> = {}): { core: Core; dir: string; reopen(o?: Partial<OpenCoreOptions>): Core; cleanup(): void } {
  const t = tempDir();
  let core = openCore({ dataDir: t.dir, ...options });
  return {
    get core() {
      return core;
    },
    dir: t.dir,
    reopen(o = {}) {
      try {
        core.close();
      } catch {
        // already closed
      }
      core = openCore({ dataDir: t.dir, ...options, ...o });
      return core;
    },
    cleanup() {
      try {
        core.close();
      } catch {
        // already closed
      }
      t.cleanup();
    },
  };
}

/** A small world: two groups with keys, two functions, used by resolution tests. */
export function seedWorld(core: Core) {
  const shipping = core.groups.create({ name: 'shipping' });
  const manufacturing = core.groups.create({ name: 'manufacturing' });
  const shipKey = core.keys.create({ groupId: shipping.id, name: 'ship-svc' });
  const shipKey2 = core.keys.create({ groupId: shipping.id, name: 'ship-other' });
  const mfgKey = core.keys.create({ groupId: manufacturing.id, name: 'mfg-svc' });
  const notify = core.functions.create({ name: 'notify', route: '/notify', methods: ['POST'], handler: 'notify.ts', groupIds: [shipping.id, manufacturing.id] });
  const report = core.functions.create({ name: 'report', route: '/report/:id', methods: ['GET'], handler: 'report.ts' });
  return { shipping, manufacturing, shipKey, shipKey2, mfgKey, notify, report };
}
