// Journey: deleting a group, key or function shows what goes with it before confirming;
// a group that functions require cannot be deleted, and the UI says why.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

test('deleting a group lists its keys and secrets, then removes them', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('doomed').toLowerCase() });
  const k1 = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('dk1') });
  const k2 = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('dk2') });
  await rpc('secrets.create', { name: 'GROUP_ONLY', value: 'g', scope: 'group', scopeId: group.id });
  await rpc('secrets.create', { name: 'KEY_ONE', value: 'k', scope: 'key', scopeId: k1.id });
  await rpc('secrets.create', { name: 'KEY_TWO', value: 'k', scope: 'key', scopeId: k2.id });

  await openApp(page);
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) }).click();
  await page.getByRole('button', { name: 'Delete group' }).click();
  const d = page.getByRole('dialog', { name: `Delete group ${group.name}?` });
  const cascade = d.getByTestId('delete-cascade');
  await expect(cascade).toContainText('This also deletes 2 keys and 3 secrets');
  for (const text of [k1.name, k2.name, 'GROUP_ONLY', 'KEY_ONE', 'KEY_TWO']) await expect(cascade).toContainText(text);
  await shot(page, 'delete-01-group-cascade');
  await d.getByRole('button', { name: /^Delete group/ }).click();
  await expect(d).toBeHidden();
  await expect(page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) })).toHaveCount(0);
  const left = await rpc<{ groupId: number }[]>('keys.list', {});
  expect(left.filter((k) => k.groupId === group.id)).toHaveLength(0);
});

test('a group required by a function cannot be deleted, and the dialog says which function', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('needed').toLowerCase() });
  const fname = uniq('needsgroup');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  await openApp(page);
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) }).click();
  await page.getByRole('button', { name: 'Delete group' }).click();
  const d = page.getByRole('dialog', { name: `Delete group ${group.name}?` });
  await expect(d.getByTestId('delete-blocked')).toContainText('cannot be deleted');
  await expect(d.getByTestId('delete-blocked')).toContainText(fname);
  // Refused: no disabled button to puzzle over, only a way out (issue 16, item 10).
  await expect(d.getByRole('button', { name: /^Delete group/ })).toHaveCount(0);
  await expect(d.getByRole('button', { name: 'Close', exact: true }).last()).toBeVisible();
  await shot(page, 'delete-02-group-blocked');
  await page.keyboard.press('Escape');
  await expect(d).toBeHidden();
});

test('deleting a key and a function shows their secrets first', async ({ appPage: page }) => {
  const group = await rpc<{ id: number; name: string }>('groups.create', { name: uniq('keep').toLowerCase() });
  const key = await rpc<{ id: number; name: string }>('keys.create', { groupId: group.id, name: uniq('gone') });
  await rpc('secrets.create', { name: 'KEY_SECRET', value: 'x', scope: 'key', scopeId: key.id });
  const fname = uniq('gonefn');
  const fn = await rpc<{ id: number }>('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await rpc('secrets.create', { name: 'FN_SECRET', value: 'y', scope: 'function', scopeId: fn.id });

  await openApp(page);
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group.name) }).click();
  await page.getByRole('button', { name: `Delete key ${key.name}` }).click();
  const kd = page.getByRole('dialog', { name: `Delete key ${key.name}?` });
  await expect(kd.getByTestId('delete-cascade')).toContainText('KEY_SECRET');
  await kd.getByRole('button', { name: /^Delete key/ }).click();
  await expect(kd).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(key.name) })).toHaveCount(0);

  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(fname);
  await page.getByRole('row', { name: new RegExp(fname) }).click();
  await page.getByRole('button', { name: 'Delete function' }).click();
  const fd = page.getByRole('dialog', { name: `Delete function ${fname}?` });
  await expect(fd.getByTestId('delete-cascade')).toContainText('FN_SECRET');
  await shot(page, 'delete-03-function-cascade');
  await fd.getByRole('button', { name: /^Delete function/ }).click();
  await expect(page.getByRole('heading', { name: 'Functions', exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(fname) })).toHaveCount(0);
});

test('deleting a secret asks for confirmation', async ({ appPage: page }) => {
  const name = uniq('E2E_DEL');
  await rpc('secrets.create', { name, value: 'bye', scope: 'global' });
  await openApp(page);
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  const d = page.getByRole('dialog', { name: `Delete secret ${name}?` });
  await expect(d).toContainText('will be removed from this scope');
  await d.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  await d.getByRole('button', { name: 'Delete secret' }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});
