import { describe, expect, it } from 'vitest';
import { seedExamples } from '../../src/main/core/host';
import { hostWorld } from './support';

describe('examples offered on first start', () => {
  it('seeds hello, secrets-demo and complete-secret, and each answers', async () => {
    const w = await hostWorld();
    seedExamples(w.core);
    seedExamples(w.core); // idempotent
    expect(w.core.functions.list().map((f) => f.name)).toEqual(['complete-secret', 'hello', 'secrets-demo']);
    expect(await (await w.get('/hello')).json()).toMatchObject({ message: 'Hello, world!' });
    const demo = w.core.functions.list().find((f) => f.name === 'secrets-demo')!;
    w.core.secrets.create({ name: 'LOG_LEVEL', value: 'debug', scope: 'function', scopeId: demo.id });
    expect(await (await w.get('/secrets-demo')).json()).toMatchObject({ name: 'LOG_LEVEL', resolved: 'debug', global: 'info', function: 'debug' });
    expect(await (await w.get('/complete-secret/LOG_LEVEL')).json()).toStrictEqual({ global: 'info' });
    expect((await w.get('/complete-secret/NOPE')).status).toBe(404);
  });
});
