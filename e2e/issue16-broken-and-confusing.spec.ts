// Issue 16, items 1–9 ("Broken" and the first "Confusing" ones): each check fails on the
// build before the fix (run with E2E_SERVE_SCRIPT pointing at that build to see it).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { noSidewaysScroll } from './a11y';
import { dialog, nav, openApp, rpc, uniq } from './helpers';

async function openFunction(page: Page, name: string): Promise<void> {
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(name);
  await page.getByRole('row', { name: new RegExp(name) }).click();
}

async function tab(page: Page, name: RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

test('item 1: the Functions list names required groups even when the groups arrive after the functions', async ({ appPage: page, appMode }) => {
  test.skip(appMode === 'electron', 'holding back one answer needs the HTTP transport (page.route)');
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('race').toLowerCase() });
  const fname = uniq('racefn');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  // The race of the issue, made certain: groups.list answers only after functions.list.
  let functionsAnswered!: () => void;
  const answered = new Promise<void>((r) => (functionsAnswered = r));
  await page.route('**/rpc/functions.list', async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res });
    functionsAnswered();
  });
  await page.route('**/rpc/groups.list', async (route) => {
    await answered;
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await openApp(page);
  await nav(page, 'Functions');
  const row = page.getByRole('row', { name: new RegExp(fname) });
  await expect(row).toContainText(group.name);
  await expect(row).not.toContainText(`#${group.id}`);
  await page.unrouteAll();
});

test('item 2: a handler that throws: the message once, the response stays on screen, frames open the editor at their line', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const fname = uniq('throws');
  await rpc('code.write', { path: `${fname}-lib.ts`, content: 'export function fail(): never {\n  throw new Error("the order has no lines");\n}\n' });
  await rpc('code.write', { path: `${fname}.ts`, content: `import { fail } from "./${fname}-lib.ts";\nexport default async () => {\n  fail();\n};\n` });
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await openApp(page);
  await openFunction(page, fname);
  await tab(page, /Try it/);
  await page.getByRole('button', { name: /Send request/ }).click();
  await expect(page.getByTestId('try-status')).toHaveText('500');
  const box = page.locator('.invoke-result').getByRole('alert');
  await expect(box).toContainText('the order has no lines');
  // Once, not twice (the stack's own "Error: …" line is not repeated).
  expect(((await box.textContent()) ?? '').split('the order has no lines').length - 1).toBe(1);
  await expect(box).not.toContainText('data:');
  // The error box does not push the response away: the body starts inside the window.
  const body = await page.getByTestId('try-body').boundingBox();
  expect(body!.y).toBeLessThan(700 - 40);
  // A frame is a link to the editor at that file and line.
  await box.getByRole('link', { name: new RegExp(`${fname}-lib\\.ts:2:\\d+`) }).click();
  await expect(page).toHaveURL(new RegExp(`#/functions/${fname}/handler\\?file=${fname}-lib\\.ts&line=2&col=\\d+$`));
  await expect(page.locator('.cm-activeLine')).toContainText('throw new Error');
  // The execution log shows the same error the same way.
  await tab(page, /Execution log/);
  await page.locator('.log-entry').first().getByRole('button').first().click();
  const logged = page.locator('.log-detail').getByRole('alert');
  expect(((await logged.textContent()) ?? '').split('the order has no lines').length - 1).toBe(1);
  await expect(logged.getByRole('link', { name: new RegExp(`${fname}-lib\\.ts:2`) })).toBeVisible();
});

test('item 3: at 1024×700 nothing is cut off or scrolls sideways (API keys, scope tree, Functions, inspector, a function)', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('narrow').toLowerCase(), description: 'a group with a long description that takes room' });
  const key = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('narrow-key-with-a-long-name'), description: 'the key of a service with a long name' });
  await rpc('secrets.create', { name: uniq('NARROW_SECRET_WITH_A_LONG_NAME'), value: 'v', scope: 'key', scopeId: key.id, comment: 'a comment long enough to need the room it gets' });
  await openApp(page);
  const problems: string[] = [];
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) }).click();
  const row = page.getByRole('row', { name: new RegExp(key.name) });
  await expect(row.getByRole('button', { name: `Delete key ${key.name}` })).toBeInViewport({ ratio: 1 });
  problems.push(...(await noSidewaysScroll(page, 'API keys')));
  await nav(page, 'Scope tree');
  await page.getByRole('treeitem', { name: /^Global/ }).click();
  await expect(page.getByRole('table', { name: 'Global secrets' })).toBeVisible();
  problems.push(...(await noSidewaysScroll(page, 'Scope tree')));
  await nav(page, 'Functions');
  await expect(page.getByRole('table', { name: 'Functions' })).toBeVisible();
  problems.push(...(await noSidewaysScroll(page, 'Functions')));
  await page.getByRole('row', { name: /hello/ }).first().click();
  await expect(page.getByRole('heading', { name: 'hello', exact: true })).toBeVisible();
  problems.push(...(await noSidewaysScroll(page, 'Function hello')));
  await nav(page, 'Inspector');
  await page.getByLabel('Secret name').fill('GREETING');
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await expect(page.getByTestId('chain-winner')).toBeVisible();
  problems.push(...(await noSidewaysScroll(page, 'Inspector')));
  expect(problems, problems.join('\n')).toEqual([]);
});

test('item 4: after a successful Try it the header says when the last call was; "Last call" is a time', async ({ appPage: page }) => {
  const fname = uniq('lastcall');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await openApp(page);
  await openFunction(page, fname);
  await expect(page.getByTestId('function-last-call')).toContainText('never');
  await tab(page, /Try it/);
  await page.getByRole('button', { name: /Send request/ }).click();
  await expect(page.getByTestId('try-status')).toHaveText('200');
  await expect(page.getByTestId('function-last-call')).toContainText('just now');
  await expect(page.getByTestId('function-last-call')).toContainText('200');
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(fname);
  await expect(page.getByRole('row', { name: new RegExp(fname) }).locator('.cell-last')).toContainText('just now');
});

test('item 5: the matrix marks Key, Group, Function and Global distinctly, with a legend, and can hide refused callers', async ({ appPage: page }) => {
  const name = uniq('MARKS');
  const g1 = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('acc').toLowerCase() });
  const g2 = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('ref').toLowerCase() });
  const k1 = await rpc<{ id: number; name: string }>('keys.create', { groupId: g1.id, name: uniq('k1') });
  const k2 = await rpc<{ id: number; name: string }>('keys.create', { groupId: g1.id, name: uniq('k2') });
  const k3 = await rpc<{ id: number; name: string }>('keys.create', { groupId: g2.id, name: uniq('k3') });
  const fname = uniq('marksfn');
  const fn = await rpc<{ id: number }>('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [g1.id] });
  await rpc('secrets.create', { name, value: 'gl', scope: 'global' });
  await rpc('secrets.create', { name, value: 'gr', scope: 'group', scopeId: g1.id });
  await rpc('secrets.create', { name, value: 'k', scope: 'key', scopeId: k1.id });
  void fn;
  await openApp(page);
  await nav(page, 'Inspector');
  await page.getByLabel('Secret name').fill(name);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await page.getByPlaceholder('filter by name').fill(fname);
  const cell = (k: { name: string }) => page.locator(`.matrix button[data-function="${fname}"][data-key="${k.name}"]`);
  await expect(cell(k1)).toHaveText('K');
  await expect(cell(k2)).toHaveText('Gr');
  const legend = page.getByRole('list', { name: 'Legend' });
  for (const text of ['K', 'Gr', 'F', 'Gl']) await expect(legend.locator('.swatch').filter({ hasText: new RegExp(`^${text}$`) })).toHaveCount(1);
  // Global wins somewhere else: a public function (hello) answers Gl, never the same mark as Group.
  await page.getByPlaceholder('filter by name').fill('hello');
  await expect(page.locator('.matrix button[data-function="hello"][data-key=""]')).toHaveText('Gl');
  // Hide refused callers: the key of a group no function here accepts goes away.
  await page.getByPlaceholder('filter by name').fill(fname);
  await expect(cell(k3)).toHaveText('401');
  await page.getByLabel('Hide refused callers').check();
  await expect(cell(k3)).toHaveCount(0);
  await expect(cell(k1)).toHaveText('K');
});

test('item 6: a scope says where its secrets are overridden, shows inherited values, and one caller’s secrets fit in one grid', async ({ appPage: page }) => {
  const name = uniq('OVERRIDDEN');
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('ovr').toLowerCase() });
  const key = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('ovr-key') });
  const fname = uniq('ovrfn');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  await rpc('secrets.create', { name, value: 'global-value', scope: 'global' });
  await rpc('secrets.create', { name, value: 'group-value', scope: 'group', scopeId: group.id });
  await openApp(page);
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText(`overridden for 1 caller: group ${group.name}`);

  // The function's own scope shows what it inherits, greyed, with "override here".
  await openFunction(page, fname);
  await tab(page, /^Secrets$/);
  await page.getByLabel('Show inherited').check();
  const inherited = page.getByRole('table', { name: `Inherited by function ${fname}` });
  await page.getByRole('searchbox', { name: /Filter Secrets of function/ }).fill(name);
  const row = inherited.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Global');
  await row.getByRole('button', { name: `Override here: ${name}` }).click();
  await expect(dialog(page).getByLabel('Name', { exact: true })).toHaveValue(name);
  await page.keyboard.press('Escape');

  // One caller: rows = names, columns = the four scopes, the winner marked.
  await page.goto(`${new URL(page.url()).origin}/#/inspect/caller?function=${fname}&key=${key.name}&group=${group.name}`);
  await page.getByRole('searchbox', { name: 'Filter secrets of this caller' }).fill(name);
  await expect(page.getByTestId(`cell-${name}-group`)).toContainText('wins');
  await expect(page.getByTestId(`cell-${name}-global`)).toContainText('shadowed');
});

test('item 7: saving a handler with a syntax error says so, with the line and column, inline and in a list that jumps there', async ({ appPage: page }) => {
  const fname = uniq('syntax');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await openApp(page);
  await openFunction(page, fname);
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('export default async function (c, ctx) {\n  const x = ;\n  const n: number = "a";\n  return c.json({ x, n });\n}\n');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('save-status')).toContainText(`Saved ${fname}.ts with 1 error`);
  const problems = page.getByRole('region', { name: /^Problems/ });
  const item = problems.getByRole('button', { name: /2:13.*Expression expected/ });
  await expect(item).toBeVisible();
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  // Still saved: the file on disk is what was typed.
  expect((await rpc<{ content: string }>('code.read', { path: `${fname}.ts` })).content).toContain('const x = ;');
  // A click on the diagnostic puts the cursor there.
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await item.click();
  await expect(page.locator('.cm-activeLine')).toHaveText('  const x = ;');
  // Fixed: a type error alone is a warning, and says so.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('export default async function (c, ctx) {\n  const n: number = "a";\n  return c.json({ n });\n}\n');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('save-status')).toContainText(`Saved ${fname}.ts with 1 warning`);
  await expect(problems).toContainText('type error');
});

test('item 8: computed secret names are counted; "missing for" is a count with the callers on demand', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('many').toLowerCase() });
  const keys = [];
  for (let i = 0; i < 4; i++) keys.push(await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq(`many-${i}`) }));
  const fname = uniq('computed');
  const name = uniq('PARTLY');
  await rpc('code.write', { path: `${fname}.ts`, content: `export default async function (c, ctx) {\n  const which = "X";\n  const a = await ctx.getSecret(${JSON.stringify(name)});\n  const b = await ctx.getSecret(which);\n  return c.json({ a, b });\n}\n` });
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  await rpc('secrets.create', { name, value: 'k', scope: 'key', scopeId: keys[0]!.id });
  await openApp(page);
  await openFunction(page, fname);
  await tab(page, /Secrets this function reads/);
  await expect(page.getByTestId('computed-calls')).toContainText('1 call with a computed name not checked');
  await expect(page.getByTestId('computed-calls')).toContainText(`${fname}.ts:4:`);
  const row = page.getByRole('table', { name: 'Secrets this function reads' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('missing for 3 callers');
  await expect(row.getByText(keys[1]!.name)).toBeHidden();
  await row.getByText('missing for 3 callers').click();
  await expect(row.getByText(new RegExp(keys[1]!.name))).toBeVisible();
});

test('item 9: Try it keeps the request per function, shows the full URL, keeps a history, and copies as cURL', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('tryg').toLowerCase() });
  const key = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('try-key') });
  await rpc('keys.create', { groupId: group.id, name: uniq('aaa-first-key') });
  const fname = uniq('keeps');
  await rpc('code.write', { path: `${fname}.ts`, content: 'export default async (c) => c.json({ got: await c.req.text(), id: c.req.param("id") });\n' });
  await rpc('functions.create', { name: fname, route: `/${fname}/:id`, methods: ['GET', 'POST'], handler: `${fname}.ts`, groupIds: [group.id] });
  await openApp(page);
  await openFunction(page, fname);
  await tab(page, /Try it/);
  await page.getByLabel('Method').selectOption('POST');
  await page.getByLabel('Path parameter :id').fill('42');
  await page.getByLabel('API key').selectOption({ label: key.name });
  await page.getByLabel('Body', { exact: true }).fill('{"hello":"there"}');
  await tab(page, /Handler/);
  await tab(page, /Try it/);
  await expect(page.getByLabel('Method')).toHaveValue('POST');
  await expect(page.getByLabel('Path parameter :id')).toHaveValue('42');
  await expect(page.getByLabel('Body', { exact: true })).toHaveValue('{"hello":"there"}');
  await expect(page.getByLabel('API key').locator('option:checked')).toHaveText(key.name);
  const hostUrl = await page.getByTestId('host-url').textContent();
  await expect(page.getByTestId('try-url')).toHaveText(`POST ${hostUrl}/${fname}/42`);
  await page.getByRole('button', { name: /Send request/ }).click();
  await expect(page.getByTestId('try-body')).toContainText('"id": "42"');
  const history = page.getByRole('region', { name: 'Last requests' });
  await expect(history).toContainText(`POST /${fname}/42`);
  await page.getByRole('button', { name: /Copy as cURL/ }).click();
  await expect(page.getByTestId('announcer')).toContainText('Copied');
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toContain(`-X POST '${hostUrl}/${fname}/42'`);
  expect(curl).toMatch(/-H 'X-API-Key: [^']+'/);
  expect(curl).toContain(`--data-raw '{"hello":"there"}'`);
  // The request survives leaving the screen too.
  await nav(page, 'Global secrets');
  await openFunction(page, fname);
  await tab(page, /Try it/);
  await expect(page.getByLabel('Body', { exact: true })).toHaveValue('{"hello":"there"}');
});
