// Issue 16, items 10–18: copy text, counts, near names, row layout, icons, masks, focus,
// URLs, and the Health view. Each check fails on the build before the fix.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { adminOrigin, dialog, nav, openApp, rpc, uniq } from './helpers';

async function openFunction(page: Page, name: string): Promise<void> {
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(name);
  await page.getByRole('row', { name: new RegExp(name) }).click();
}

test('item 10: the words agree with each other and with the numbers', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('words').toLowerCase() });
  const k1 = await rpc<{ id: number }>('keys.create', { groupId: group.id, name: uniq('w1') });
  const k2 = await rpc<{ id: number }>('keys.create', { groupId: group.id, name: uniq('w2') });
  await rpc('secrets.create', { name: 'W_GROUP', value: 'g', scope: 'group', scopeId: group.id });
  await rpc('secrets.create', { name: 'W_KEY', value: 'k', scope: 'key', scopeId: k1.id });
  await rpc('secrets.create', { name: 'W_KEY', value: 'k', scope: 'key', scopeId: k2.id });
  const blocker = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('blocked').toLowerCase() });
  const fname = uniq('needsit');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [blocker.id] });
  await openApp(page);
  await nav(page, 'API keys');
  const groups = page.getByRole('list', { name: 'API key groups' });
  // The list counts the group's own secrets and says so; the delete dialog adds up the same records.
  await expect(groups.getByRole('button', { name: new RegExp(group.name) })).toContainText('2 keys · 1 group secret');
  await groups.getByRole('button', { name: new RegExp(group.name) }).click();
  await page.getByRole('button', { name: 'Delete group' }).click();
  await expect(dialog(page)).toContainText('This also deletes 2 keys and 3 secrets (1 group secret, 2 key secrets)');
  await page.keyboard.press('Escape');
  // A group that a function requires: one function "requires" it, linked; no disabled button.
  await groups.getByRole('button', { name: new RegExp(blocker.name) }).click();
  await page.getByRole('button', { name: 'Delete group' }).click();
  const blocked = dialog(page).getByTestId('delete-blocked');
  await expect(blocked).toContainText('1 function requires it');
  await expect(blocked.getByRole('link', { name: fname })).toBeVisible();
  await expect(dialog(page).getByRole('button', { name: /^Delete group/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  // The new-key dialog does not contradict itself.
  await page.getByRole('button', { name: 'New key', exact: true }).click();
  await dialog(page).getByLabel('Key name').fill(uniq('newkey'));
  await dialog(page).getByLabel('Key name').press('Enter');
  await expect(dialog(page)).toContainText('Store this key value now.');
  await expect(dialog(page)).not.toContainText('only this once');
  await dialog(page).getByRole('button', { name: 'I have stored it' }).click();
  // Settings: the port in use is said beside the saved one, and words are spaced.
  await nav(page, 'Settings');
  const host = (await rpc<{ port: number }>('host.status')).port;
  const settings = await rpc<{ hostPort: number }>('settings.get');
  if (host !== settings.hostPort) await expect(page.getByText(`Running now on port ${host}`)).toBeVisible();
  await expect(page.getByText(/or--host-port/)).toHaveCount(0);
  // The scope tree's folder speaks of "1 secret", not "1 secrets".
  await nav(page, 'Scope tree');
  await page.getByRole('treeitem', { name: /^Functions/ }).click();
  await expect(page.locator('.tree-detail')).toContainText(/\d+ secrets? below/);
  await expect(page.locator('.tree-detail')).not.toContainText(/\b1 secrets\b/);
});

test('item 11: filtering a table updates its count', async ({ appPage: page }) => {
  const name = uniq('COUNTED');
  await rpc('secrets.create', { name, value: 'v', scope: 'global' });
  await openApp(page);
  const count = page.getByRole('region', { name: 'Global secrets' }).getByText(/^[\d,]+( of [\d,]+)? secrets$/);
  await expect(count).toHaveText(/^\d[\d,]* secrets$/);
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  await expect(count).toHaveText(/^1 of \d[\d,]* secrets$/);
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill('hello');
  await expect(page.getByText(/^\d+ of \d+ functions$/)).toBeVisible();
});

test('item 12: case-only twins are pointed out, and an unknown name suggests the near ones', async ({ appPage: page }) => {
  const base = uniq('TWIN_URL').toUpperCase();
  await rpc('secrets.create', { name: base, value: 'v', scope: 'global' });
  await openApp(page);
  await page.getByRole('button', { name: /New secret$/ }).click();
  await dialog(page).getByLabel('Name', { exact: true }).fill(base.toLowerCase());
  await expect(dialog(page).getByTestId('case-twin-warning')).toContainText(base);
  // Still allowed: names are case-sensitive, as the spec says.
  await dialog(page).getByLabel('Value').fill('other');
  await dialog(page).getByLabel('Value').press('Enter');
  await expect(dialog(page)).toBeHidden();
  await nav(page, 'Inspector');
  const typo = `${base.slice(0, -1)}l`;
  await page.getByLabel('Secret name').fill(typo);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const suggestion = page.getByTestId('did-you-mean');
  await expect(suggestion).toContainText('Did you mean');
  await suggestion.getByRole('button', { name: base, exact: true }).click();
  await expect(page.getByRole('heading', { name: `Definitions of ${base}` })).toBeVisible();
  await expect(page.getByTestId('case-twins')).toContainText(base.toLowerCase());
});

test('item 13: row buttons are whole, a row’s controls line up, OPTIONS never wraps alone', async ({ appPage: page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const name = uniq('ROW_WITH_A_RATHER_LONG_SECRET_NAME');
  await rpc('secrets.create', { name, value: 'v', scope: 'global', comment: 'a comment that is long enough to fill its column and then some more' });
  await openApp(page);
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  const edit = page.getByRole('button', { name: `Edit ${name}` });
  const cell = page.getByRole('row', { name: new RegExp(name) }).locator('[role="cell"]').last();
  const [e, c] = [await edit.boundingBox(), await cell.boundingBox()];
  expect(e!.x).toBeGreaterThanOrEqual(c!.x - 1);
  expect(e!.x + e!.width).toBeLessThanOrEqual(c!.x + c!.width + 1);
  await expect(edit).toBeInViewport({ ratio: 1 });
  // Try it: the method select and the key select of one row are one height.
  await openFunction(page, 'hello');
  await page.getByRole('tab', { name: /Try it/ }).click();
  const heights = await Promise.all([page.getByLabel('Method'), page.getByLabel('API key')].map(async (l) => (await l.boundingBox())!.height));
  expect(Math.abs(heights[0]! - heights[1]!)).toBeLessThanOrEqual(1);
  // The function form: OPTIONS shares its line with another method.
  await page.getByRole('button', { name: /Edit function/ }).click();
  const top = async (m: string) => (await dialog(page).getByRole('checkbox', { name: m, exact: true }).boundingBox())!.y;
  const options = await top('OPTIONS');
  const others = await Promise.all(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map(top));
  expect(others.some((y) => Math.abs(y - options) < 4)).toBe(true);
  await page.keyboard.press('Escape');
});

test('item 14: no emoji anywhere; icons are SVG, hidden from screen readers, beside text or a label', async ({ appPage: page }) => {
  await openApp(page);
  const emoji = /[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]/u;
  const screens = ['Global secrets', 'Functions', 'API keys', 'Scope tree', 'Inspector', 'Settings'];
  for (const s of screens) {
    await nav(page, s);
    await expect(page.locator('#main h1, #main h2').first()).toBeVisible();
    const text = await page.evaluate(() => document.body.innerText);
    expect(text.match(emoji), `emoji on ${s}`).toBeNull();
    // Every icon is an SVG with aria-hidden, and every button has a name.
    expect(await page.locator('svg:not([aria-hidden="true"])').count()).toBe(0);
    const unnamed = await page.locator('button').evaluateAll((bs) => bs.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length);
    expect(unnamed, `unnamed buttons on ${s}`).toBe(0);
  }
  await nav(page, 'Global secrets');
  await expect(page.getByRole('button', { name: /^Reveal secret / }).first().locator('svg')).toHaveCount(1);
});

test('item 15: one mask for every value; a revealed value hides again (a timer, leaving the screen); Edit shows the value masked', async ({ appPage: page }) => {
  await page.clock.install();
  const short = uniq('MASK_SHORT');
  const long = uniq('MASK_LONG');
  await rpc('secrets.create', { name: short, value: 'ab', scope: 'global' });
  await rpc('secrets.create', { name: long, value: 'x'.repeat(40), scope: 'global' });
  await openApp(page);
  const filter = page.getByRole('searchbox', { name: /Filter Global secrets/ });
  await filter.fill('MASK_');
  const maskOf = (n: string) => page.getByRole('row', { name: new RegExp(n) }).locator('code.value');
  const [a, b] = [await maskOf(short).textContent(), await maskOf(long).textContent()];
  expect(a).toBe(b);
  // Revealed, then hidden by itself.
  await page.getByRole('button', { name: `Reveal secret ${short}` }).click();
  await expect(maskOf(short)).toHaveText('ab');
  await page.clock.fastForward(31_000);
  await expect(maskOf(short)).toHaveText(a!);
  // Revealed, then the screen is left: hidden on return.
  await page.getByRole('button', { name: `Reveal secret ${short}` }).click();
  await expect(maskOf(short)).toHaveText('ab');
  await nav(page, 'Settings');
  await nav(page, 'Global secrets');
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(short);
  await expect(maskOf(short)).toHaveText(a!);
  // Edit: the current value is there, masked, and can be revealed.
  await page.getByRole('button', { name: `Edit ${short}` }).click();
  const d = dialog(page);
  await expect(d.getByLabel(`masked value of current value of ${short}`)).toHaveText(a!);
  await d.getByRole('button', { name: `Reveal current value of ${short}` }).click();
  await expect(d.getByLabel(`value of current value of ${short}`)).toHaveText('ab');
});

test('item 16: focus lands where the eyes are, lists are one Tab stop, Copied is announced, names match labels', async ({ appPage: page }) => {
  await openApp(page);
  // The first Tab stop skips the navigation.
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveText('Skip to content');
  await page.keyboard.press('Enter');
  await expect(page.locator(':focus')).toHaveJSProperty('tagName', 'H1');
  // A dialog starts on its first field, not on ✕.
  await page.getByRole('button', { name: 'New secret', exact: true }).click();
  await expect(dialog(page).getByLabel('Name', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  // The table is one Tab stop; arrows move between rows.
  // (After the column headers, which sort.)
  await page.getByRole('button', { name: 'Updated', exact: true }).focus();
  await page.keyboard.press('Tab');
  const first = page.locator(':focus');
  await expect(first).toHaveAttribute('role', 'row');
  const firstIndex = await first.getAttribute('aria-rowindex');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator(':focus')).toHaveAttribute('aria-rowindex', String(Number(firstIndex) + 1));
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[role="table"]') === null)).toBe(true);
  // Copying says so to a screen reader.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowRight'); // reveal
  await page.keyboard.press('ArrowRight'); // copy
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('announcer')).toContainText('Copied');
  // Creating a function lands on its heading, not on <body>.
  const fname = uniq('focusfn');
  await nav(page, 'Functions');
  await page.getByRole('button', { name: 'New function', exact: true }).click();
  await dialog(page).getByLabel('Function name').fill(fname);
  await dialog(page).getByLabel('Route').fill(`/${fname}`);
  await dialog(page).getByRole('button', { name: 'Create function' }).click();
  await expect(page.getByRole('heading', { name: fname, exact: true })).toBeFocused();
  // Opening a row with Enter lands on the function's heading too.
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(fname);
  await page.getByRole('row', { name: new RegExp(fname) }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: fname, exact: true })).toBeFocused();
  // A button's name contains what it shows.
  const group = await rpc<{ name: string }>('groups.create', { name: uniq('named').toLowerCase() });
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) }).click();
  await expect(page.getByRole('button', { name: 'Group secrets (0)', exact: true })).toBeVisible();
});

test('item 17: every screen has its URL; reload and back/forward keep the place; a link opens the inspector on a name; the shell can navigate', async ({ appPage: page, appMode }) => {
  const name = uniq('ROUTED');
  await rpc('secrets.create', { name, value: 'v', scope: 'global' });
  await openApp(page);
  await nav(page, 'API keys');
  await expect(page).toHaveURL(/#\/keys/);
  await openFunction(page, 'hello');
  await page.getByRole('tab', { name: /Try it/ }).click();
  await expect(page).toHaveURL(/#\/functions\/hello\/try$/);
  await page.reload();
  await expect(page.getByRole('tab', { name: /Try it/ })).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(page).toHaveURL(/#\/functions(\?.*)?$/);
  await page.goForward();
  await expect(page.getByRole('heading', { name: 'hello', exact: true })).toBeVisible();
  // A link straight to the inspector on a name, for a function.
  await page.goto(`${page.url().replace(/#.*$/, '')}#/inspect?name=${name}&function=hello`);
  await expect(page.getByRole('heading', { name: `Definitions of ${name}` })).toBeVisible();
  await expect(page.getByLabel('Context function').locator('option:checked')).toHaveText('hello');
  await expect(page.getByTestId('chain-winner')).toHaveText('global scope');
  for (const [hash, heading] of [
    ['#/secrets', 'Global secrets'],
    ['#/tree', 'Scope tree'],
    ['#/health', 'Health'],
    ['#/audit', 'Audit log'],
    ['#/servers', 'Servers'],
    ['#/settings', 'Settings'],
    ['#/secrets/function/hello', 'Scope tree'],
  ] as const) {
    await page.goto(`${page.url().replace(/#.*$/, '')}${hash}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  }
  await expect(page.getByRole('table', { name: 'Secrets of function hello' }).or(page.getByText('No secrets in this scope yet'))).toBeVisible();
  if (appMode === 'electron') return;
  // The Electron shell's app.navigate event, through a stand-in of preload's bridge.
  await page.addInitScript((token: string) => {
    const w = window as unknown as { crudeBridge: unknown; fire: (e: string, p: unknown) => void };
    const listeners: ((e: string, p: unknown) => void)[] = [];
    w.fire = (e, p) => listeners.forEach((l) => l(e, p));
    w.crudeBridge = {
      async call(operation: string, input: unknown) {
        const res = await fetch(`/rpc/${operation}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
        const body = (await res.json()) as { ok: boolean; data?: unknown; error?: unknown };
        if (body.ok) return body.data;
        throw { name: 'RpcError', ...(body.error as object) };
      },
      on(event: string, listener: (p: unknown) => void) {
        const l = (e: string, p: unknown) => e === event && listener(p);
        listeners.push(l);
        return () => listeners.splice(listeners.indexOf(l), 1);
      },
    };
  }, process.env.E2E_TOKEN!);
  await page.goto(`${adminOrigin()}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Global secrets' })).toBeVisible();
  await page.evaluate((n) => (window as unknown as { fire: (e: string, p: unknown) => void }).fire('app.navigate', { route: `#/inspect?name=${n}&function=hello` }), name);
  await expect(page.getByRole('heading', { name: `Definitions of ${name}` })).toBeVisible();
  await page.evaluate(() => (window as unknown as { fire: (e: string, p: unknown) => void }).fire('app.navigate', { notice: 'Crude Functions is already open: here it is.' }));
  await expect(page.getByTestId('app-notice')).toContainText('already open');
});

test('item 18: the Health view lists undefined reads, unread and shadowed secrets, case twins and the next rotation, each linked', async ({ appPage: page }) => {
  const tag = uniq('hl').toLowerCase();
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: `${tag}-grp` });
  const k1 = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: `${tag}-k1` });
  await rpc('keys.create', { groupId: group.id, name: `${tag}-k2` });
  const fname = `${tag}-fn`;
  const reads = `HL_READ_${tag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const unread = `HL_UNREAD_${tag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  const shadow = `HL_SHADOW_${tag.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  await rpc('code.write', { path: `${fname}.ts`, content: `export default async (c, ctx) => c.json({ a: await ctx.getSecret(${JSON.stringify(reads)}), b: await ctx.getSecret(${JSON.stringify(shadow)}) });\n` });
  const fn = await rpc<{ id: number }>('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  await rpc('secrets.create', { name: reads, value: 'only k1', scope: 'key', scopeId: k1.id });
  await rpc('secrets.create', { name: unread, value: 'nobody', scope: 'global' });
  await rpc('secrets.create', { name: unread.toLowerCase(), value: 'twin', scope: 'global' });
  await rpc('secrets.create', { name: shadow, value: 'fn', scope: 'function', scopeId: fn.id });
  await rpc('secrets.create', { name: shadow, value: 'grp', scope: 'group', scopeId: group.id });
  await openApp(page);
  await nav(page, 'Health');
  const undef = page.getByTestId('health-undefined');
  await expect(undef).toContainText(`${fname} reads ${reads}: undefined for 1 of 2 callers`);
  await expect(page.getByTestId('health-unread')).toContainText(unread);
  await expect(page.getByTestId('health-shadowed')).toContainText(`${shadow} at Function: ${fname}`);
  await expect(page.getByTestId('health-twins')).toContainText(`${unread} and ${unread.toLowerCase()}`);
  await expect(page.getByTestId('health-rotation')).toContainText('Next rotation');
  // Each line leads to where it can be fixed.
  await undef.getByRole('listitem').filter({ hasText: reads }).getByRole('link', { name: 'inspect' }).click();
  await expect(page).toHaveURL(new RegExp(`#/inspect\\?name=${reads}&function=${fname}&key=${tag}-k2`));
  await expect(page.getByTestId('chain-winner')).toHaveText('undefined');
});
