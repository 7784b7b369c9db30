// The preload against a stand-in for electron's contextBridge and ipcRenderer, the client
// the renderer builds on it, and the built file as a sandboxed preload would load it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildIfNeeded, root } from '../../scripts/build-if-needed.mjs';
import { buildClient, type CrudeBridge } from '../../src/shared/client';
import { operationNames } from '../../src/shared/contract';

const exposed = new Map<string, any>();
const invokes: unknown[][] = [];
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, op: string, input: unknown) => {
      invokes.push([channel, op, input]);
      if (op === 'groups.create') return { ok: false, error: { code: 'VALIDATION', message: 'Bad name.', field: 'name' } };
      return { ok: true, data: { echoed: op } };
    },
    on: (channel: string, l: (...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

beforeAll(async () => {
  await import('../../src/preload/index');
});

const bridge = () => exposed.get('crudeBridge') as CrudeBridge;
/** The client as the renderer builds it (src/renderer/src/api/client.ts). */
const crude = () => buildClient(bridge().call, bridge().on) as any;

describe('preload', () => {
  it('exposes only window.crudeBridge: call and on, no raw IPC', () => {
    expect([...exposed.keys()]).toEqual(['crudeBridge']);
    expect(Object.keys(bridge()).sort()).toEqual(['call', 'on']);
  });

  it('gives the renderer a client with every operation of the contract, over crude:invoke', async () => {
    for (const op of operationNames) {
      const [ns, m] = op.split('.') as [string, string];
      expect(typeof crude()[ns][m], op).toBe('function');
      await crude()[ns][m]({}).catch(() => {}); // groups.create answers with an error
      expect(invokes.at(-1), op).toEqual(['crude:invoke', op, {}]);
    }
  });

  it('unwraps answers and rejects with the code and field of an error', async () => {
    expect(await crude().groups.list()).toEqual({ echoed: 'groups.list' });
    expect(invokes.at(-1)).toEqual(['crude:invoke', 'groups.list', {}]);
    await expect(crude().groups.create({ name: 'x y' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'name', message: 'Bad name.' });
  });

  it('the client is not a thenable (awaiting it does not call an operation)', async () => {
    const before = invokes.length;
    const c = crude();
    expect(await Promise.resolve(c)).toBe(c);
    expect(invokes.length).toBe(before);
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const got: unknown[] = [];
    const off = crude().on('data.changed', (p: unknown) => got.push(p));
    const fire = (...a: unknown[]) => listeners.get('crude:event')!.forEach((l) => l({}, ...a));
    fire('rotation.progress', { done: 1, total: 2 });
    fire('data.changed', { operation: 'groups.create' });
    off();
    fire('data.changed', { operation: 'groups.update' });
    expect(got).toEqual([{ operation: 'groups.create' }]);
  });

  it('the built preload loads where only electron can be required, as in a sandboxed window', async () => {
    buildIfNeeded();
    const built = readFileSync(join(root, 'out/preload/index.cjs'), 'utf8');
    const wanted: string[] = [];
    const bridged = new Map<string, any>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridged.set(key, api) },
      ipcRenderer: { invoke: async (_c: string, op: string) => ({ ok: true, data: { echoed: op } }), on: () => {}, removeListener: () => {} },
    };
    const sandboxRequire = (id: string) => {
      wanted.push(id);
      if (id !== 'electron') throw new Error(`module not found: ${id}`);
      return electron;
    };
    const module = { exports: {} };
    runInNewContext(built, { require: sandboxRequire, module, exports: module.exports, console });
    expect(wanted).toEqual(['electron']);
    const client = buildClient(bridged.get('crudeBridge').call, bridged.get('crudeBridge').on) as any;
    expect(await client.secrets.list({ scope: 'global' })).toEqual({ echoed: 'secrets.list' });
  });
});
