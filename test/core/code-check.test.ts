// Checking handler files on save with the real Deno binary: syntax errors are errors with
// file, line and column; type errors are warnings; untyped handler parameters are fine.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCheckOutput } from '../../src/main/core/host/runtime/deno/check';
import { tempCore } from '../support/temp-core';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function core() {
  const t = tempCore();
  cleanups.push(t.cleanup);
  return t.core;
}

describe('code.check', () => {
  it('a syntax error is an error at its line and column', async () => {
    const c = core();
    c.code.write('bad.ts', 'export default async function (c, ctx) {\n  const x = ;\n  return c.json({ x });\n}\n');
    const r = await c.code.check('bad.ts');
    expect(r.diagnostics).toEqual([{ file: 'bad.ts', line: 2, column: 13, message: 'Expression expected', severity: 'error', source: 'syntax' }]);
    expect(r.typeChecked).toBe(false);
  }, 30_000);

  it('a type error is a warning; a plain handler has none', async () => {
    const c = core();
    c.code.write('typed.ts', 'export default async function (c, ctx) {\n  const n: number = "a";\n  return c.json({ n });\n}\n');
    c.code.write('fine.ts', 'export default async function (c, ctx) {\n  return c.json({ ok: await ctx.getSecret("A") });\n}\n');
    const typed = await c.code.check('typed.ts');
    expect(typed.diagnostics).toEqual([
      { file: 'typed.ts', line: 2, column: 9, message: "Type 'string' is not assignable to type 'number'. (TS2322)", severity: 'warning', source: 'type' },
    ]);
    expect(typed.typeChecked).toBe(true);
    expect(await c.code.check('fine.ts')).toEqual({ diagnostics: [], typeChecked: true });
  }, 30_000);

  it('problems in an imported local file name that file; a missing import is an error', async () => {
    const c = core();
    c.code.write('lib.ts', 'export function f() {\n  return 1 +;\n}\n');
    c.code.write('uses-lib.ts', 'import { f } from "./lib.ts";\nexport default () => f();\n');
    c.code.write('missing.ts', 'import { g } from "./nowhere.ts";\nexport default () => g();\n');
    expect((await c.code.check('uses-lib.ts')).diagnostics).toMatchObject([{ file: 'lib.ts', line: 2, column: 13, severity: 'error' }]);
    expect((await c.code.check('missing.ts')).diagnostics).toMatchObject([{ file: 'missing.ts', line: 1, column: 19, severity: 'error', source: 'load' }]);
  }, 30_000);

  it('refuses paths outside code/ and files that do not exist', async () => {
    const c = core();
    await expect(c.code.check('../x.ts')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(c.code.check('none.ts')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('parses Deno’s output, leaving out files outside code/', () => {
    const out = 'TS2322 [ERROR]: Bad.\n  x\n  ^\n    at file:///elsewhere/dep.d.ts:1:1\n\nTS2345 [ERROR]: Worse.\n    at file:///code/a/b.ts:3:4\n';
    expect(parseCheckOutput(out, '/code').diagnostics).toEqual([{ file: 'a/b.ts', line: 3, column: 4, message: 'Worse. (TS2345)', severity: 'warning', source: 'type' }]);
  });
});

describe('code.check downloads nothing', () => {
  it('an npm: import that is not cached leaves types unchecked, with a note, and fills no cache', async () => {
    const t = tempCore();
    cleanups.push(t.cleanup);
    t.core.code.write('remote.ts', 'import ms from "npm:ms@2.1.3";\nexport default async () => new Response(ms(1000));\n');
    const r = await t.core.code.check('remote.ts');
    expect(r).toMatchObject({ diagnostics: [], typeChecked: false });
    expect(r.note).toMatch(/not downloaded yet/);
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    expect(existsSync(join(t.dir, 'deno', 'cache', 'npm', 'registry.npmjs.org', 'ms'))).toBe(false);
  }, 30_000);
});
