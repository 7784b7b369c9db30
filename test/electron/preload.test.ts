// The preload against a stand-in for electron's contextBridge and ipcRenderer.
import { beforeAll, describe, expect, it, vi } from 'vitest';
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

describe('preload', () => {
  it('exposes only window.crude, a client with every operation', () => {
    expect([...exposed.keys()]).toEqual(['crude']);
    const crude = exposed.get('crude');
    for (const op of operationNames) {
      const [ns, m] = op.split('.') as [string, string];
      expect(typeof crude[ns][m], op).toBe('function');
    }
    expect(JSON.stringify(Object.keys(crude))).not.toMatch(/ipc|invoke|send/i);
  });

  it('invokes over crude:invoke and unwraps the answer', async () => {
    const crude = exposed.get('crude');
    expect(await crude.groups.list()).toEqual({ echoed: 'groups.list' });
    expect(invokes.at(-1)).toEqual(['crude:invoke', 'groups.list', {}]);
    await expect(crude.groups.create({ name: 'x y' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'name', message: 'Bad name.' });
  });

  it('delivers only the subscribed event, until unsubscribed', () => {
    const crude = exposed.get('crude');
    const got: unknown[] = [];
    const off = crude.on('data.changed', (p: unknown) => got.push(p));
    const fire = (...a: unknown[]) => listeners.get('crude:event')!.forEach((l) => l({}, ...a));
    fire('rotation.progress', { done: 1, total: 2 });
    fire('data.changed', { operation: 'groups.create' });
    off();
    fire('data.changed', { operation: 'groups.update' });
    expect(got).toEqual([{ operation: 'groups.create' }]);
  });
});
