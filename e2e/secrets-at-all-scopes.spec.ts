// Journey: create secrets at all four scopes through the UI.
import { expect, test } from './fixtures';
import { createSecretInDialog, nav, openApp, shot, uniq } from './helpers';

test('create a secret at global, function, group and key scope', async ({ appPage: page }) => {
  const name = uniq('E2E_SCOPED');
  const group = uniq('grp').toLowerCase();
  const keyName = uniq('key');
  await openApp(page);

  // 🔒 Global
  await nav(page, 'Global secrets');
  await page.getByRole('button', { name: 'New secret', exact: true }).click();
  await createSecretInDialog(page, name, 'global-value', 'made by e2e');
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Reveal secret ${name}` }).click();
  await expect(row.getByText('global-value')).toBeVisible();
  await shot(page, 'scopes-01-global');

  // 🔑 group and key (the key value is shown once)
  await nav(page, 'API keys');
  await page.getByRole('button', { name: 'New group', exact: true }).click();
  const gd = page.getByRole('dialog', { name: 'New API key group' });
  await gd.getByLabel('Group name').fill(group);
  await gd.getByLabel('Group name').press('Enter');
  await expect(gd).toBeHidden();
  await expect(page.getByRole('heading', { name: group, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'New key', exact: true }).click();
  const kd = page.getByRole('dialog', { name: /New key in group/ });
  await kd.getByLabel('Key name').fill(keyName);
  await kd.getByLabel('Key name').press('Enter');
  const created = page.getByRole('dialog', { name: `Key ${keyName} created` });
  await expect(created.getByText('Store this key value now.')).toBeVisible();
  await expect(created.getByTestId('new-key-value')).not.toBeEmpty();
  await shot(page, 'scopes-02-key-created');
  await created.getByRole('button', { name: 'I have stored it' }).click();

  // 👥 group secret
  await page.getByRole('button', { name: /^Group secrets/ }).click();
  const gsd = page.getByRole('dialog', { name: `Secrets of group ${group}` });
  await gsd.getByRole('button', { name: /New secret|Create the first secret/ }).first().click();
  await createSecretInDialog(page, name, 'group-value');
  await expect(gsd.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await shot(page, 'scopes-03-group-secrets');
  await page.keyboard.press('Escape');
  await expect(gsd).toBeHidden();

  // 🔑 key secret
  await page.getByRole('button', { name: `Secrets of key ${keyName}` }).click();
  const ksd = page.getByRole('dialog', { name: `Secrets of key ${keyName}` });
  await ksd.getByRole('button', { name: 'Create the first secret' }).click();
  await createSecretInDialog(page, name, 'key-value');
  await expect(ksd.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await ksd.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('row', { name: new RegExp(keyName) })).toContainText('1');
  await shot(page, 'scopes-04-keys');

  // ⚡ function secret
  await nav(page, 'Functions');
  await page.getByRole('row', { name: /hello/ }).first().click();
  await page.getByRole('tab', { name: 'Secrets', exact: true }).click();
  await page.getByRole('button', { name: 'New secret', exact: true }).click();
  await createSecretInDialog(page, name, 'function-value');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toBeVisible();
  await shot(page, 'scopes-05-function-secrets');

  // The scope tree marks all four.
  await nav(page, 'Scope tree');
  await page.getByLabel('Mark nodes defining').fill(name);
  await page.getByRole('button', { name: 'Mark', exact: true }).click();
  await expect(page.locator('[role=treeitem][data-marked=true]')).toHaveCount(5); // global, Functions folder, hello, Groups folder, group
  await expect(page.getByRole('treeitem', { name: /hello/ })).toHaveAttribute('data-marked', 'true');
  await expect(page.getByRole('treeitem', { name: new RegExp(group) })).toHaveAttribute('data-marked', 'true');
  await page.getByRole('treeitem', { name: new RegExp(group) }).click();
  await page.keyboard.press('ArrowRight'); // expands the group
  await expect(page.getByRole('treeitem', { name: new RegExp(keyName) })).toHaveAttribute('data-marked', 'true');
  await shot(page, 'scopes-06-tree-marked');
});
