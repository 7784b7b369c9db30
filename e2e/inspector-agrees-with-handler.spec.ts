// Journey: the inspector's chain and matrix agree with what the handler returns when
// called through Try it with the same key.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

interface Ids {
  name: string;
  fn: { id: number; name: string };
  group: { id: number; name: string };
  k1: { id: number; name: string };
  k2: { id: number; name: string };
}

async function seed(): Promise<Ids> {
  const name = uniq('E2E_CHAIN');
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('chain').toLowerCase() });
  const k1 = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('k1') });
  const k2 = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('k2') });
  const fname = uniq('chainfn');
  const handler = `${fname}.ts`;
  await rpc('code.write', {
    path: handler,
    content: `export default async function (c, ctx) {
  const value = await ctx.getSecret(${JSON.stringify(name)});
  const complete = await ctx.getCompleteSecret(${JSON.stringify(name)});
  console.log("resolved");
  return c.json({ value: value ?? null, complete: complete ?? null });
}
`,
  });
  const fn = await rpc<{ id: number; name: string }>('functions.create', {
    name: fname,
    route: `/${fname}`,
    methods: ['GET'],
    handler,
    groupIds: [group.id],
  });
  await rpc('secrets.create', { name, value: 'v-global', scope: 'global' });
  await rpc('secrets.create', { name, value: 'v-function', scope: 'function', scopeId: fn.id });
  await rpc('secrets.create', { name, value: 'v-group', scope: 'group', scopeId: group.id });
  await rpc('secrets.create', { name, value: 'v-key', scope: 'key', scopeId: k1.id });
  return { name, fn, group, k1, k2 };
}

/** The matrix cell for one function and key, narrowed with the matrix filters (the matrix is virtualized). */
async function matrixCell(page: Page, functionName: string, keyName: string) {
  await page.getByPlaceholder('filter by name').fill(functionName);
  await page.getByPlaceholder('filter by group or key').fill(keyName);
  await expect(page.locator('.matrix-filters [role="status"]')).toHaveText('Showing all 1 function and 1 key.');
  return page.locator(`.matrix button[data-function="${functionName}"][data-key="${keyName}"]`);
}

async function inspectorFor(page: Page, ids: Ids, keyName: string) {
  await nav(page, 'Inspector');
  await page.getByLabel('Secret name').fill(ids.name);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await page.getByLabel('Context function').selectOption({ label: ids.fn.name });
  await page.locator('.context-picker select').nth(1).selectOption({ label: keyName });
  // The chain for the previous context stays on screen until the new one arrives.
  await expect(page.locator('.chain-box')).toContainText(`${keyName} (`);
  const winner = (await page.getByTestId('chain-winner').textContent())!.replace(' scope', '').trim();
  const winRow = page.locator('.chain-link.wins');
  await winRow.getByRole('button', { name: /^Reveal/ }).click();
  // Revealing fetches the value: wait until the mask is gone before reading it.
  await expect(winRow.locator('code.value')).not.toContainText('•');
  const value = (await winRow.locator('code.value').textContent())!.trim();
  const cell = await matrixCell(page, ids.fn.name, keyName);
  const matrixWinner = await cell.getAttribute('data-winner');
  await page.getByRole('button', { name: 'Reveal values' }).click();
  // Revealing fetches the values: wait until the masked placeholders are gone.
  await expect(page.getByTestId('complete-result')).not.toContainText('•••');
  const complete = JSON.parse((await page.getByTestId('complete-result').textContent())!);
  return { winner, value, matrixWinner, complete };
}

async function tryItWith(page: Page, ids: Ids, keyName: string) {
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(ids.fn.name);
  await page.getByRole('row', { name: new RegExp(ids.fn.name) }).click();
  await page.getByRole('tab', { name: 'Try it' }).click();
  await page.getByLabel('API key').selectOption({ label: keyName });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-status')).toHaveText('200');
  const body = JSON.parse((await page.getByTestId('try-body').textContent())!) as { value: string; complete: unknown };
  const answered = page.getByRole('table', { name: 'Secret-access trace' }).getByRole('row', { name: /getSecret/ }).first();
  return { body, answered };
}

test('chain, matrix and Try it agree for a key-scoped and a group-scoped caller', async ({ appPage: page }) => {
  const ids = await seed();
  await openApp(page);

  // Key k1 defines its own value: key scope wins.
  const a = await inspectorFor(page, ids, ids.k1.name);
  expect(a.winner).toBe('key');
  expect(a.matrixWinner).toBe('key');
  expect(a.value).toBe('v-key');
  await expect(page.locator('.chain-link.shadowed')).toHaveCount(3);
  await shot(page, 'inspector-01-chain-key');
  await page.locator('.matrix-wrap').scrollIntoViewIfNeeded();
  await shot(page, 'inspector-02-matrix');
  const ta = await tryItWith(page, ids, ids.k1.name);
  expect(ta.body.value).toBe(a.value);
  expect(ta.body.complete).toEqual(a.complete);
  await expect(ta.answered).toContainText('Key');
  await shot(page, 'inspector-03-tryit-key');

  // Key k2 has nothing of its own: the group wins.
  const b = await inspectorFor(page, ids, ids.k2.name);
  expect(b.winner).toBe('group');
  expect(b.matrixWinner).toBe('group');
  expect(b.value).toBe('v-group');
  const tb = await tryItWith(page, ids, ids.k2.name);
  expect(tb.body.value).toBe(b.value);
  expect(tb.body.complete).toEqual(b.complete);
  await expect(tb.answered).toContainText('Group');

  // A matrix cell opens its chain.
  await nav(page, 'Inspector');
  await page.getByLabel('Secret name').fill(ids.name);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await (await matrixCell(page, ids.fn.name, ids.k1.name)).click();
  await expect(page.getByTestId('chain-winner')).toHaveText('key scope');
  await shot(page, 'inspector-04-cell-opens-chain');
});
