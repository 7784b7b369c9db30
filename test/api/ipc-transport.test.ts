import { afterEach, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { EventBus } from '../../src/main/api/events';
import { stubHost } from '../../src/main/api/host-api';
import { EVENT_CHANNEL, forwardEvents, INVOKE_CHANNEL, registerIpc, type InvokeEventLike } from '../../src/main/api/ipc-transport';
import { createDispatcher } from '../../src/main/api/registry';
import { isAppUrl } from '../../src/main/window-security';
import { tempCore } from '../support/temp-core';

class FakeIpcMain {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string | null, ...args: unknown[]) {
    const h = this.handlers.get(INVOKE_CHANNEL);
    if (!h) throw new Error('no handler');
    return h({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args) as Promise<any>;
  }
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const rendererIndexUrl = pathToFileURL('/opt/app/out/renderer/index.html').toString();
const appUrls = { rendererIndexUrl, devServerUrl: null };

function setup() {
  const t = tempCore();
  cleanup = t.cleanup;
  const bus = new EventBus();
  const ipc = new FakeIpcMain();
  const dispatch = createDispatcher({ core: t.core, host: stubHost(), mode: 'electron', bus });
  const off = registerIpc(ipc, dispatch, (url) => isAppUrl(url, appUrls));
  return { t, bus, ipc, off };
}

describe('IPC transport', () => {
  it('answers the app frame over one channel', async () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()]).toEqual([INVOKE_CHANNEL]);
    const created = await ipc.invoke(rendererIndexUrl, 'groups.create', { name: 'ipc-group' });
    expect(created).toMatchObject({ ok: true, data: { name: 'ipc-group' } });
    const list = await ipc.invoke(`${rendererIndexUrl}#/secrets`, 'groups.list', {});
    expect(list.ok).toBe(true);
    expect(list.data.map((g: { name: string }) => g.name)).toContain('ipc-group');
  });

  it('validates input and names the field', async () => {
    const { ipc } = setup();
    const r = await ipc.invoke(rendererIndexUrl, 'secrets.create', { name: 'api.key', value: 'CANARY-ipc', scope: 'global' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    const unknownField = await ipc.invoke(rendererIndexUrl, 'groups.create', { name: 'g', extra: 1 });
    expect(unknownField.error.field).toBe('extra');
    expect((await ipc.invoke(rendererIndexUrl, 'no.such', {})).error.code).toBe('NOT_FOUND');
  });

  it('refuses foreign sender frames', async () => {
    const { ipc, t } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/other/index.html', 'http://127.0.0.1:5173/', 'about:blank', 'data:text/html,x']) {
      const r = await ipc.invoke(url, 'groups.create', { name: 'should-not-exist' });
      expect(r, url).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await ipc.invoke(null, 'groups.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.core.groups.getByName('should-not-exist')).toBeUndefined();
  });

  it('accepts the dev server origin only when one is configured', () => {
    expect(isAppUrl('http://localhost:5173/', { rendererIndexUrl, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { rendererIndexUrl, devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isAppUrl('http://localhost:5173/', appUrls)).toBe(false);
  });

  it('unregisters', () => {
    const { ipc, off } = setup();
    off();
    expect(ipc.handlers.size).toBe(0);
  });

  it('forwards bus events to the window until destroyed', () => {
    const { bus } = setup();
    const sent: unknown[][] = [];
    let destroyed = false;
    const off = forwardEvents(bus, { send: (...a: unknown[]) => sent.push(a), isDestroyed: () => destroyed });
    bus.emit('data.changed', { operation: 'groups.create' });
    destroyed = true;
    bus.emit('data.changed', { operation: 'groups.update' });
    off();
    bus.emit('data.changed', { operation: 'groups.delete' });
    expect(sent).toEqual([[EVENT_CHANNEL, 'data.changed', { operation: 'groups.create' }]]);
  });
});
