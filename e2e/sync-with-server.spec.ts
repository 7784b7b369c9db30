// Journey of issue 15 (sync): connect to a Crude Functions server (the test server of
// test/support, on an ephemeral port), test the connection, preview a pull and apply it,
// see the per-winner diff in the Servers screen and in the inspector, then push one local
// change after its preview and a confirmation that names the server.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';
import { startCrudeServer, type CrudeServer } from '../test/support/crude-server';

let server: CrudeServer;
test.beforeAll(async () => {
  server = await startCrudeServer();
});
test.afterAll(async () => {
  await server?.close();
});

test('connect to a server, pull with a preview, diff per winner, push after a preview and a confirmation', async ({ appPage: page }) => {
  // The platform side: a group with two keys, a function requiring it, its handler in a manual source, secrets at three scopes.
  const group = uniq('ship').toLowerCase();
  const fn = uniq('notify');
  const secret = uniq('RECIPIENT');
  const shipping = server.seed.group(group, 'Shipping services');
  const shipA = server.seed.key(shipping, 'ship-a', `e2e-${group}-a`);
  server.seed.key(shipping, 'ship-b', `e2e-${group}-b`);
  const src = server.seed.source(uniq('apps'));
  server.seed.file(src, `${fn}.ts`, 'export default async (c, ctx) => c.json({ to: await ctx.getSecret("RECIPIENT") });\n');
  server.seed.fn({ name: fn, route: `/${fn}`, handler: `${src.name}/${fn}.ts`, methods: ['POST'], groups: [shipping] });
  server.seed.secret({ name: secret, value: 'ops@example.com' });
  server.seed.secret({ name: secret, value: 'shipping@example.com', scope: 'group', ref: shipping });
  server.seed.secret({ name: secret, value: 'ship-a@example.com', scope: 'key', ref: shipA });

  await openApp(page);
  await nav(page, 'Servers');
  await page.getByRole('button', { name: 'Add server', exact: true }).click();
  const form = page.getByRole('dialog', { name: 'Add a Crude Functions server' });
  await form.getByLabel('Name').fill('staging');
  await form.getByLabel('Management API URL').fill(server.url);
  await form.getByLabel('Management key').fill(server.managementKey);
  await form.getByRole('button', { name: 'Add server' }).click();
  await expect(form).toBeHidden();
  const detail = page.getByRole('region', { name: 'Server staging' });
  await expect(detail.getByRole('heading', { name: 'staging' })).toBeVisible();
  await detail.getByRole('button', { name: 'Test connection' }).click();
  await expect(detail.getByTestId('server-check')).toContainText('Connected: 1 function, 2 groups, 3 keys, 3 secrets, 1 code source; encryption key version A.');
  // The key is never on the page again.
  await expect(page.locator('body')).not.toContainText(server.managementKey);

  // Pull: preview, then apply the ticked records.
  await detail.getByRole('button', { name: 'Preview pull' }).click();
  const table = detail.getByRole('table', { name: 'Records to pull' });
  await expect(table.locator(`tr[data-ref="function:${fn}"]`)).toContainText('new');
  await expect(table.locator(`tr[data-ref="key:${group}/ship-a"]`)).toContainText('new');
  await expect(table.locator(`tr[data-ref="secret:key:${group}%2Fship-a:${secret}"]`)).toBeVisible();
  // A key of the management group is not ticked by default (it would become an admin key here).
  await expect(table.getByLabel('Choose key management/admin')).not.toBeChecked();
  // Pull only this journey's records: tick none, then the secret at key scope, which ticks the key and group it needs.
  await detail.getByRole('button', { name: 'Tick none' }).click();
  await table.getByLabel(`Choose secret ${secret} (key ${group}/ship-a)`).check();
  await expect(table.getByLabel(`Choose key ${group}/ship-a`)).toBeChecked();
  await expect(table.getByLabel(`Choose group ${group}`)).toBeChecked();
  for (const label of [`function ${fn}`, `file ${src.name}/${fn}.ts`, `key ${group}/ship-b`, `secret ${secret} (global)`, `secret ${secret} (group ${group})`]) {
    await table.getByLabel(`Choose ${label}`).check();
  }
  // Values are masked until revealed.
  await expect(table).not.toContainText('ship-a@example.com');
  await table.getByRole('button', { name: `Reveal secret ${secret} (key ${group}/ship-a) on the server` }).click();
  await expect(table.getByText('ship-a@example.com')).toBeVisible();
  await shot(page, 'sync-01-pull-preview');
  await detail.getByRole('button', { name: 'Pull 8 records' }).click();
  await expect(detail.getByRole('status').filter({ hasText: 'Pulled' })).toHaveText('Pulled 1 function, 1 file, 1 group, 2 keys, 3 secrets from server "staging".');
  await shot(page, 'sync-02-pulled');

  // Pulled for real: the key authenticates here with its server value, the handler file is in code/.
  const fns = await rpc<{ id: number; name: string; handler: string }[]>('functions.list', {});
  expect(fns.find((f) => f.name === fn)?.handler).toBe(`${src.name}/${fn}.ts`);
  expect((await rpc<{ content: string }>('code.read', { path: `${src.name}/${fn}.ts` })).content).toContain('ctx.getSecret');

  // Change the group value here; the diff shows which callers now read another value.
  const grp = (await rpc<{ id: number; name: string }[]>('groups.list', {})).find((g) => g.name === group)!;
  const groupSecret = (await rpc<{ id: number; name: string }[]>('secrets.list', { scope: 'group', scopeId: grp.id })).find((s) => s.name === secret)!;
  await rpc('secrets.update', { id: groupSecret.id, value: 'everyone@example.com' });
  await detail.getByRole('tab', { name: 'Diff' }).click();
  await detail.getByRole('button', { name: 'Compare with staging' }).click();
  const winners = detail.getByRole('table', { name: 'Answers that differ from staging' });
  const row = winners.getByTestId('winner-row').filter({ hasText: `${group}/ship-b` }).filter({ hasText: secret });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Group');
  // ship-a has its own key value on both sides: the same answer, not listed.
  await expect(winners.getByTestId('winner-row').filter({ hasText: `${group}/ship-a` }).filter({ hasText: secret })).toHaveCount(0);
  await row.getByRole('button', { name: new RegExp(`^Reveal ${secret} for ${fn} ← ${group}/ship-b here`) }).click();
  await expect(row.getByText('everyone@example.com')).toBeVisible();
  await shot(page, 'sync-03-diff');

  // The inspector shows the same for that name.
  await nav(page, 'Inspector');
  await page.getByLabel('Secret name').fill(secret);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  await page.getByRole('button', { name: `Compare ${secret} with staging` }).click();
  const inspect = page.getByRole('region', { name: `${secret} here and on a server` });
  await expect(inspect.getByTestId('winners-summary')).toHaveText(`1 of 2 getSecret answers differ between here and staging.`);
  await inspect.scrollIntoViewIfNeeded();
  await shot(page, 'sync-04-inspector');

  // Push the change back, after its preview and a confirmation that names the server.
  await nav(page, 'Servers');
  const detail2 = page.getByRole('region', { name: 'Server staging' });
  await detail2.getByRole('tab', { name: 'Push' }).click();
  await detail2.getByRole('button', { name: 'Find local changes' }).click();
  const pushTable = detail2.getByRole('table', { name: 'Records to push' });
  await detail2.getByRole('button', { name: 'Tick none' }).click();
  await pushTable.getByLabel(`Choose secret ${secret} (group ${group})`).check();
  await detail2.getByRole('button', { name: 'Preview push of 1 record' }).click();
  const plan = detail2.getByRole('region', { name: 'Push preview' });
  await expect(plan.getByRole('listitem').filter({ hasText: `secret ${secret} (group ${group})` })).toContainText('update');
  await expect(plan.getByTestId('push-what-if').getByRole('status')).toContainText(`${fn} called with ${group}/ship-b will read the changed group value of ${secret}`);
  await shot(page, 'sync-05-push-preview');
  await plan.getByRole('button', { name: 'Push to staging…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Push to staging?' });
  await expect(confirm).toContainText(`server staging (${server.url})`);
  await shot(page, 'sync-06-push-confirm');
  await confirm.getByRole('button', { name: 'Push to staging' }).click();
  await expect(confirm).toBeHidden();
  await expect(detail2.getByTestId('push-outcome')).toContainText('pushed');
  await expect(detail2.getByRole('status').filter({ hasText: 'Pushed' })).toHaveText('Pushed 1 change to server "staging".');
  await shot(page, 'sync-07-pushed');
  expect([...server.data.secrets.values()].find((s) => s.name === secret && s.scopeRef === shipping.id)?.value).toBe('everyone@example.com');
  // The key never appeared in any request's URL, nor on the page.
  expect(server.requests.join('\n')).not.toContain(server.managementKey);
  await expect(page.locator('body')).not.toContainText(server.managementKey);

  // The diff again, in the dark theme on a smaller window: nothing scrolls sideways.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1024, height: 700 });
  await detail2.getByRole('tab', { name: 'Diff' }).click();
  await detail2.getByRole('button', { name: 'Compare with staging' }).click();
  await expect(detail2.getByTestId('winners-summary')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await shot(page, 'sync-08-diff-dark-1024');
});
