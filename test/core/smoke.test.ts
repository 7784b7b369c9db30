import { describe, expect, it } from 'vitest';
import { tempCore, seedWorld } from '../support/temp-core';

describe('smoke', () => {
  it('opens, stores and resolves', () => {
    const t = tempCore();
    const w = seedWorld(t.core);
    t.core.secrets.create({ name: 'X', value: 'g', scope: 'global' });
    t.core.secrets.create({ name: 'X', value: 'f', scope: 'function', scopeId: w.notify.id });
    expect(t.core.secrets.getSecret('X', { functionId: w.notify.id })).toEqual({ value: 'f', scope: 'function' });
    t.cleanup();
  });
});
