// Journey: a handler written for the platform (an npm: import, a relative .ts import) runs
// from Try it; the first call says it is fetching dependencies; an error points at the
// handler's own file and line.
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

test('Try it runs a handler with an npm: import, saying "Fetching dependencies…" on the first call', async ({ appPage: page }) => {
  const fname = uniq('npmfn');
  await rpc('code.write', { path: `${fname}.ts`, content: 'import ms from "npm:ms@2.1.3";\nexport default async (c) => c.json({ inAMinute: ms(60_000) });\n' });
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('row', { name: new RegExp(fname) }).click();
  await page.getByRole('tab', { name: 'Try it' }).click();
  const send = page.getByRole('button', { name: 'Send request' });
  // Every label the button shows while the call runs (the download may take a moment only).
  await send.evaluate((button) => {
    const seen: string[] = [];
    (window as unknown as { seenLabels: string[] }).seenLabels = seen;
    new MutationObserver(() => seen.push(button.textContent ?? '')).observe(button, { childList: true, characterData: true, subtree: true });
  });
  await send.click();
  await expect(page.getByTestId('try-status')).toHaveText('200', { timeout: 60_000 });
  await expect(page.getByTestId('try-body')).toContainText('"inAMinute": "1m"');
  const labels = await page.evaluate(() => (window as unknown as { seenLabels: string[] }).seenLabels);
  expect(labels).toContain('Fetching dependencies…');
  await shot(page, 'deno-01-npm-import');
});

test('a handler that throws in an imported file: Try it names the file and line', async ({ appPage: page }) => {
  const fname = uniq('throwfn');
  await rpc('code.write', { path: `${fname}-lib.ts`, content: 'export function fail(): never {\n  throw new Error("the order has no lines");\n}\n' });
  await rpc('code.write', { path: `${fname}.ts`, content: `import { fail } from "./${fname}-lib.ts";\nexport default async () => {\n  fail();\n};\n` });
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts` });
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('row', { name: new RegExp(fname) }).click();
  await page.getByRole('tab', { name: 'Try it' }).click();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByTestId('try-status')).toHaveText('500');
  await expect(page.getByTestId('try-body')).toContainText('"error": "Handler execution failed"');
  await expect(page.getByTestId('try-body')).toContainText(`"hint": "at ${fname}-lib.ts:2:9"`);
  const shown = page.locator('.invoke-result').getByRole('alert');
  await expect(shown).toContainText(`${fname}-lib.ts:2:9`);
  await expect(shown).not.toContainText('data:');
  await shot(page, 'deno-02-error-location');
});
