// Journey: every validation error is shown next to its field, as the operator types,
// and the server's refusals land in the form too.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot } from './helpers';

test('secret form: name pattern, required, duplicate in scope, value size', async ({ appPage: page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'New secret', exact: true }).click();
  const d = page.getByRole('dialog', { name: /^New secret/ });
  const name = d.getByLabel('Name', { exact: true });
  await name.fill('api.key');
  await expect(d.getByText('Secret name may contain only letters, digits, underscores and hyphens')).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'validation-01-secret-name');
  await name.fill('GREETING');
  await expect(d.getByText('A secret named GREETING already exists in this scope.')).toBeVisible();
  await name.fill('');
  await expect(d.getByText('Secret name is required.')).toBeVisible();
  await name.fill('BIG_ONE');
  await d.getByLabel('Value').fill('x'.repeat(16 * 1024 + 1));
  await expect(d.getByText('Secret value is 16385 bytes; the limit is 16384 bytes (16 KiB).')).toBeVisible();
  await d.getByRole('button', { name: 'Create secret' }).click();
  await expect(d).toBeVisible(); // refused: still open
  await shot(page, 'validation-02-secret-size');
  await page.keyboard.press('Escape');
  await expect(d).toBeHidden();
});

test('group and key forms: name rules and duplicates', async ({ appPage: page }) => {
  const existing = await rpc<{ name: string }>('groups.create', { name: `val-${Date.now()}` });
  await openApp(page);
  await nav(page, 'API keys');
  await page.getByRole('button', { name: 'New group', exact: true }).click();
  const g = page.getByRole('dialog', { name: 'New API key group' });
  await g.getByLabel('Group name').fill('Shipping');
  await expect(g.getByText('Group name may contain only lowercase letters, digits, underscores and hyphens')).toBeVisible();
  await g.getByLabel('Group name').fill(existing.name);
  await expect(g.getByText(`A group named ${existing.name} already exists.`)).toBeVisible();
  await shot(page, 'validation-03-group');
  await page.keyboard.press('Escape');

  await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(existing.name) }).click();
  await page.getByRole('button', { name: /^(New key|Create the first key)$/ }).first().click();
  const k = page.getByRole('dialog', { name: /New key in group/ });
  await k.getByLabel('Key name').fill('bad key');
  await expect(k.getByText('Key name may contain only lowercase letters, digits, underscores and hyphens ([a-z0-9_-]).')).toBeVisible();
  await shot(page, 'validation-04-key');
  await page.keyboard.press('Escape');
});

test('function form: name, route, methods, handler path, and the server refusing a route clash', async ({ appPage: page }) => {
  const hello = (await rpc<{ name: string; route: string; methods: string[] }[]>('functions.list')).find((f) => f.name === 'hello');
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('button', { name: 'New function', exact: true }).click();
  const d = page.getByRole('dialog', { name: 'New function' });
  await d.getByLabel('Function name').fill('hello');
  await expect(d.getByText('A function named hello already exists.')).toBeVisible();
  await d.getByLabel('Function name').fill('has space');
  await expect(d.getByText('Function name may contain only letters, digits, underscores and hyphens.')).toBeVisible();
  await d.getByLabel('Route').fill('no-slash');
  await expect(d.getByText('Route must start with "/".')).toBeVisible();
  await d.getByLabel('Route').fill('/a/:id/:id');
  await expect(d.getByText('Route repeats a parameter name.')).toBeVisible();
  await d.getByLabel('Handler file').fill('../outside.ts');
  await expect(d.getByText('Handler file may not leave the code/ folder ("..").')).toBeVisible();
  await d.getByLabel('Handler file').fill('notes.txt');
  await expect(d.getByText(/Handler file must end with/)).toBeVisible();
  await d.getByRole('checkbox', { name: 'GET' }).uncheck();
  await expect(d.getByText('Choose at least one HTTP method.')).toBeVisible();
  await shot(page, 'validation-05-function');

  // Valid by the rules, refused by the server: same route and method as hello.
  if (hello) {
    await d.getByLabel('Function name').fill(`clash${Date.now()}`);
    await d.getByLabel('Route').fill(hello.route);
    await d.getByLabel('Handler file').fill(`clash${Date.now()}.ts`);
    await d.getByRole('checkbox', { name: hello.methods[0] }).check();
    await d.getByRole('button', { name: 'Create function' }).click();
    await expect(d.locator('.field-error, .state.error').first()).toBeVisible();
    await expect(d).toBeVisible();
    await shot(page, 'validation-06-server-refusal');
  }
  await page.keyboard.press('Escape');
});

test('settings: interval, port and retention ranges; Try it: missing path parameter', async ({ appPage: page }) => {
  await openApp(page);
  await nav(page, 'Settings');
  await page.getByLabel('Rotate every (days)').fill('0');
  await expect(page.getByText('Interval must be a whole number of days from 1 to 3650.')).toBeVisible();
  await page.getByLabel('Host port').fill('70000');
  await expect(page.getByText('Port must be from 0 to 65535.')).toBeVisible();
  await page.getByLabel('Execution log entries kept per function').fill('abc');
  await expect(page.getByText('Log retention must be a whole number.')).toBeVisible();
  await shot(page, 'validation-07-settings');

  const fname = `param${Date.now()}`;
  await rpc('functions.create', { name: fname, route: `/${fname}/:id`, methods: ['GET'], handler: `${fname}.ts` });
  await nav(page, 'Functions');
  await page.getByRole('searchbox', { name: 'Filter functions' }).fill(fname);
  await page.getByRole('row', { name: new RegExp(fname) }).click();
  await page.getByRole('tab', { name: 'Try it' }).click();
  await expect(page.getByText('Fill in the path parameter :id.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send request' })).toBeDisabled();
  await page.getByLabel('Path parameter :id').fill('42');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-status')).toHaveText('200');
});
