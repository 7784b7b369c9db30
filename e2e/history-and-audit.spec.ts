// Journey of issue 14: edit a group secret and read the what-if preview before saving,
// restore the old version from its history, and find both in the audit log.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

test('edit a group secret with its preview, restore the old version, see both in the audit log', async ({ appPage: page }) => {
  const group = uniq('audit-grp').toLowerCase();
  const name = uniq('RECIPIENT');
  const fname = uniq('notify');
  const g = await rpc<{ id: number }>('groups.create', { name: group });
  const keys = [];
  for (const k of ['ship-a', 'ship-b', 'ship-c']) keys.push(await rpc<{ id: number }>('keys.create', { groupId: g.id, name: k }));
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['POST'], handler: `${fname}.ts`, groupIds: [g.id] });
  await rpc('secrets.create', { name, value: 'shipping-updates@example.com', scope: 'group', scopeId: g.id });
  // One key overrides the group value: its caller is not affected by the group's edit.
  await rpc('secrets.create', { name, value: 'ship-c@example.com', scope: 'key', scopeId: keys[2]!.id });

  await openApp(page);
  await nav(page, 'API keys');
  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group) }).click();
  await page.getByRole('button', { name: /^Group secrets/ }).click();
  const secrets = page.getByRole('dialog', { name: `Secrets of group ${group}` });
  await secrets.getByRole('button', { name: `Edit ${name}` }).click();
  const form = page.getByRole('dialog', { name: `Edit secret ${name}` });
  await form.getByRole('textbox', { name: 'Value' }).fill('everyone@example.com');
  const whatIf = form.getByTestId('what-if');
  await expect(whatIf.getByRole('status')).toHaveText(`Changes what 2 callers of 1 function read for ${name}; ${fname} called with ship-a will read the changed group value.`);
  await whatIf.getByText(/All 2/).click();
  await expect(whatIf.getByRole('listitem')).toHaveCount(2);
  await shot(page, 'history-01-preview');
  await form.getByRole('button', { name: 'Save secret' }).click();
  await expect(form).toBeHidden();

  // History: two versions; restore the first, after its own preview.
  await secrets.getByRole('button', { name: `History of ${name}` }).click();
  const history = page.getByRole('dialog', { name: `History of ${name}` });
  await expect(history.getByTestId('version-2')).toContainText('changed (value)');
  await expect(history.getByTestId('version-2')).toContainText('current');
  await history.getByRole('button', { name: `Reveal version 1 of ${name}` }).click();
  await expect(history.getByText('shipping-updates@example.com')).toBeVisible();
  await shot(page, 'history-02-versions');
  await history.getByRole('button', { name: `Restore version 1 of ${name}` }).click();
  const restore = page.getByRole('dialog', { name: `Restore version 1 of ${name}?` });
  await expect(restore.getByTestId('what-if').getByRole('status')).toContainText('Changes what 2 callers of 1 function read');
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(restore).toBeHidden();
  await expect(history.getByTestId('version-3')).toContainText('restored (value) from version 1');
  await shot(page, 'history-03-restored');
  await page.keyboard.press('Escape');
  await expect(history).toBeHidden();
  await secrets.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(secrets).toBeHidden();

  // The audit log has the edit, the reveal and the restore, and its chain is intact.
  await nav(page, 'Audit log');
  await page.getByRole('searchbox').fill(name);
  const table = page.getByRole('table', { name: 'Audit log' });
  await expect(table.getByRole('row', { name: /secret\.restored/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /secret\.updated.*value changed/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /secret\.revealed/ })).toBeVisible();
  await expect(page.getByTestId('audit-chain')).toContainText('is intact');
  await expect(table).not.toContainText('everyone@example.com');
  await shot(page, 'history-04-audit');
});
