import { afterEach, describe, expect, it } from 'vitest';
import { operationNames, type ContractEvents } from '../../src/shared/contract';
import { EventBus } from '../../src/main/api/events';
import { stubHost } from '../../src/main/api/host-api';
import { createDispatcher, createHandlers } from '../../src/main/api/registry';
import { tempCore } from '../support/temp-core';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function world() {
  const t = tempCore();
  cleanup = t.cleanup;
  const bus = new EventBus();
  const events: { name: string; payload: unknown }[] = [];
  bus.on((name, payload) => events.push({ name, payload }));
  return { t, bus, events, dispatch: createDispatcher({ core: t.core, host: stubHost(), mode: 'electron', bus }) };
}

describe('registry', () => {
  it('has a handler for every contract operation and nothing else', () => {
    const t = tempCore();
    cleanup = t.cleanup;
    const handlers = createHandlers({ core: t.core, host: stubHost(), mode: 'electron' });
    expect(Object.keys(handlers).sort()).toEqual([...operationNames].sort());
  });

  it('unknown operation → NOT_FOUND; bad input → VALIDATION with field', async () => {
    const { dispatch } = world();
    expect(await dispatch('nope.nope', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const r = await dispatch('secrets.create', { name: 'a b', value: 'CANARY-x', scope: 'global' });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'name' } });
    expect(JSON.stringify(r)).not.toContain('CANARY-x');
  });

  it('mutations emit data.changed; queries do not', async () => {
    const { dispatch, events } = world();
    await dispatch('groups.list', {});
    expect(events.filter((e) => e.name === 'data.changed')).toEqual([]);
    await dispatch('groups.create', { name: 'evented' });
    expect(events).toContainEqual({ name: 'data.changed', payload: { operation: 'groups.create' } satisfies ContractEvents['data.changed'] });
  });

  it('unexpected errors become a generic INTERNAL answer', async () => {
    const t = tempCore();
    cleanup = t.cleanup;
    const host = { ...stubHost(), status: () => { throw new Error('boom at /secret/path'); } };
    const dispatch = createDispatcher({ core: t.core, host, mode: 'browser' });
    const r = await dispatch('host.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('boom');
  });

  it('a write during a rotation waits for it instead of failing', async () => {
    const t = tempCore();
    cleanup = t.cleanup;
    let polls = 0;
    const realStatus = t.core.rotation.status.bind(t.core.rotation);
    const core = {
      ...t.core,
      rotation: { ...t.core.rotation, status: () => ({ ...realStatus(), inProgress: ++polls < 4 }) },
    };
    const dispatch = createDispatcher({ core, host: stubHost(), mode: 'browser' }, { pollMs: 10 });
    const started = Date.now();
    const r = await dispatch('groups.create', { name: 'after-rotation' });
    expect(r.ok).toBe(true);
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20);
    // Reads do not wait.
    polls = 0;
    await dispatch('groups.list', {});
    expect(polls).toBe(0);
  });

  it('a write issued while a real rotation runs succeeds', async () => {
    const { t, dispatch } = world();
    for (let i = 0; i < 200; i++) t.core.secrets.create({ name: `S_${i}`, value: `CANARY-${i}`, scope: 'global' });
    const rotation = dispatch('rotation.rotateNow', {});
    const write = dispatch('secrets.create', { name: 'DURING', value: 'CANARY-during', scope: 'global' });
    const [r1, r2] = await Promise.all([rotation, write]);
    expect(r1.ok, JSON.stringify(r1)).toBe(true);
    expect(r2.ok, JSON.stringify(r2)).toBe(true);
  });
});
