// Journeys of issue 13 in the UI: a function's CORS rules are edited in its form; a function
// whose access rules were changed in the database outside the app is marked and refused.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { dialog, nav, openApp, rpc, shot, uniq } from './helpers';

test('CORS rules are set in the function form and answered by the host', async ({ appPage: page }) => {
  const fname = uniq('corsfn');
  await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET', 'POST'], handler: `${fname}.ts` });
  await openApp(page);
  await nav(page, 'Functions');
  await page.getByRole('row', { name: new RegExp(fname) }).click();
  await page.getByRole('button', { name: 'Edit function' }).click();
  const d = dialog(page);
  await d.getByLabel('Allowed origins').fill('https://app.example.com/path');
  await d.getByRole('button', { name: 'Save function' }).click();
  await expect(d.getByText(/is not an origin/)).toBeVisible();
  await d.getByLabel('Allowed origins').fill('https://app.example.com');
  await d.getByLabel(/Allow credentials/).check();
  await shot(page, 'cors-01-form');
  await d.getByRole('button', { name: 'Save function' }).click();
  await expect(d).toBeHidden();
  const fns = await rpc<{ name: string; cors: unknown }[]>('functions.list');
  expect(fns.find((f) => f.name === fname)?.cors).toMatchObject({ origins: ['https://app.example.com'], credentials: true });
  const run = process.env.E2E_FUNCTIONS_URL!;
  const allowed = await fetch(`${run}/${fname}`, { headers: { origin: 'https://app.example.com' } });
  expect(allowed.status).toBe(200);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  expect((await fetch(`${run}/${fname}`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
});

test('a function whose required groups were deleted in the database is marked and refused, not public', async ({ appPage: page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'edits the browser-mode data directory with sqlite');
  const fname = uniq('guarded');
  const group = await rpc<{ id: number }>('groups.create', { name: uniq('guards').toLowerCase() });
  const fn = await rpc<{ id: number }>('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [group.id] });
  const db = new Database(join(process.env.E2E_DATA_DIR!, 'database.db'));
  db.pragma('busy_timeout = 5000');
  db.prepare('DELETE FROM function_groups WHERE function_id = ?').run(fn.id);
  db.close();
  await openApp(page);
  await nav(page, 'Functions');
  const row = page.getByRole('row', { name: new RegExp(fname) });
  await expect(row.getByText('changed outside the app')).toBeVisible();
  await shot(page, 'integrity-01-marked');
  const res = await fetch(`${process.env.E2E_FUNCTIONS_URL}/${fname}`);
  expect(res.status).toBe(403);
  expect(await res.json()).toMatchObject({ error: 'Forbidden', message: expect.stringMatching(/changed outside the app/) });
});
