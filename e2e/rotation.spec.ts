// Journey: rotate the encryption key with a progress bar; secrets stay readable after.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

test('Rotate now shows progress and the result; secrets are still readable', async ({ appPage: page }) => {
  const prefix = uniq('E2E_ROT');
  // Enough records that progress is reported in more than one step.
  for (let i = 0; i < 120; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => rpc('secrets.create', { name: `${prefix}_${i + j}`, value: `rot-${i + j}`, scope: 'global' })));
  }
  const before = await rpc<{ currentVersion: string }>('rotation.status');
  await openApp(page);
  await nav(page, 'Settings');
  await expect(page.getByTestId('settings-key-version')).toHaveText(before.currentVersion);
  await expect(page.getByText('Back up the key file together with the database.')).toBeVisible();
  await shot(page, 'rotation-01-before');

  await page.getByRole('button', { name: 'Rotate now' }).click();
  const bar = page.getByTestId('rotation-progress');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('rotation-result')).toBeVisible({ timeout: 60_000 });
  await expect(bar).toHaveAttribute('value', '100');
  await expect(page.getByTestId('rotation-result')).toContainText(`from key ${before.currentVersion}`);
  const after = await rpc<{ currentVersion: string }>('rotation.status');
  expect(after.currentVersion).not.toBe(before.currentVersion);
  await expect(page.getByTestId('settings-key-version')).toHaveText(after.currentVersion);
  await expect(page.getByTestId('key-version')).toHaveText(`version ${after.currentVersion}`);
  await shot(page, 'rotation-02-after');

  // Still readable through the UI…
  await nav(page, 'Global secrets');
  const name = `${prefix}_7`;
  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  const row = page.getByRole('row', { name: new RegExp(`${name}\\b`) });
  await row.getByRole('button', { name: `Reveal secret ${name}` }).click();
  await expect(row.getByText('rot-7', { exact: true })).toBeVisible();
  await shot(page, 'rotation-03-still-readable');

  // …and by a handler.
  await nav(page, 'Functions');
  await page.getByRole('row', { name: /hello/ }).first().click();
  await page.getByRole('tab', { name: 'Try it' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-status')).toHaveText('200');
});

test('the rotation interval is editable', async ({ appPage: page }) => {
  await openApp(page);
  await nav(page, 'Settings');
  const input = page.getByLabel('Rotate every (days)');
  await input.fill('45');
  await input.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Rotation every 45 days.' })).toBeVisible();
  expect((await rpc<{ intervalDays: number }>('rotation.status')).intervalDays).toBe(45);
});
