// Journey: create a function, edit its handler in the editor, save with Ctrl+S, call it again.
import { expect, test } from './fixtures';
import { nav, openApp, shot, uniq } from './helpers';

test('edit a handler, save with Ctrl+S, and the next call runs the new code', async ({ appPage: page }) => {
  const fname = uniq('editfn');
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('button', { name: 'New function', exact: true }).click();
  const d = page.getByRole('dialog', { name: 'New function' });
  await d.getByLabel('Function name').fill(fname);
  await d.getByLabel('Route').fill(`/${fname}`);
  await expect(d.getByLabel('Handler file')).toHaveValue(`${fname}.ts`);
  await d.getByRole('button', { name: 'Create function' }).click();
  await expect(d).toBeHidden();
  await expect(page.getByRole('heading', { name: fname, exact: true })).toBeVisible();

  // First call: the starter handler.
  await page.getByRole('tab', { name: 'Try it' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-status')).toHaveText('200');
  await expect(page.getByTestId('try-body')).toContainText(`from ${fname}`);

  // Edit and save.
  await page.getByRole('tab', { name: 'Handler', exact: true }).click();
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(
    'export default async function (c, ctx) {\n  console.log("edited");\n  return c.json({ edited: true, n: 42 });\n}\n',
  );
  await expect(page.getByTestId('unsaved')).toBeVisible();
  await shot(page, 'edit-01-unsaved');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('unsaved')).toBeHidden();
  await expect(page.getByTestId('save-status')).toContainText(`Saved ${fname}.ts`);
  await shot(page, 'edit-02-saved');

  // Second call: the new code.
  await page.getByRole('tab', { name: 'Try it' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-body')).toContainText('"edited": true');
  await expect(page.getByLabel('Console output').last()).toContainText('edited');
  await shot(page, 'edit-03-called-again');

  // The execution log shows both calls.
  await page.getByRole('tab', { name: 'Execution log' }).click();
  await expect(page.locator('.log-entry')).toHaveCount(2);
  await page.locator('.log-entry').first().getByRole('button').click();
  await expect(page.locator('.log-detail')).toContainText('edited');
  await shot(page, 'edit-04-log');
});

test('leaving the editor with unsaved changes asks first', async ({ appPage: page }) => {
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('row', { name: /hello/ }).first().click();
  await page.locator('.cm-content').click();
  await page.keyboard.insertText('// unsaved edit\n');
  await expect(page.getByTestId('unsaved')).toBeVisible();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await nav(page, 'Global secrets');
  expect(asked).toContain('unsaved changes');
  // Dismissed: still on the function.
  await expect(page.getByTestId('unsaved')).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await nav(page, 'Global secrets');
  await expect(page.getByRole('heading', { name: 'Global secrets' })).toBeVisible();
});
