// The renderer's Electron path in Chromium: where preload has exposed window.crudeBridge,
// the app builds window.crude on it and needs no session token. Here a stand-in bridge
// forwards each call over HTTP the way preload forwards it over IPC (same answers, same
// error objects), so the renderer side of the Electron window is exercised on every run.
import { expect, test } from './fixtures';
import { adminOrigin, nav, rpc, uniq } from './helpers';

test('the app runs on a preload-style bridge, without a session token', async ({ appPage: page, appMode }) => {
  test.skip(appMode === 'electron', 'the Electron project runs every spec on the real preload bridge');
  const name = uniq('E2E_BRIDGE');
  await rpc('secrets.create', { name, value: 'through-the-bridge', scope: 'global' });
  await page.addInitScript((token: string) => {
    const w = window as unknown as { crudeBridge: unknown; bridgeCalls: string[] };
    w.bridgeCalls = [];
    w.crudeBridge = {
      async call(operation: string, input: unknown) {
        w.bridgeCalls.push(operation);
        const res = await fetch(`/rpc/${operation}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
        const body = (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string; field?: string } };
        if (body.ok) return body.data;
        // What preload throws: a plain object, since contextBridge copies only an Error's message.
        throw { name: 'RpcError', ...body.error };
      },
      on: () => () => {},
    };
  }, process.env.E2E_TOKEN!);
  await page.goto(`${adminOrigin()}/`); // no #token: only the bridge can let the app in

  await page.getByRole('searchbox', { name: /Filter Global secrets/ }).fill(name);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.getByRole('button', { name: `Reveal secret ${name}` }).click();
  await expect(row.getByText('through-the-bridge')).toBeVisible();

  // An error from main reaches the field it names, as it does over HTTP: the name was taken
  // behind the screen's back (the stand-in delivers no events), so only main can refuse it.
  const taken = `${name}_TAKEN`;
  await rpc('secrets.create', { name: taken, value: 'x', scope: 'global' });
  await nav(page, 'Global secrets');
  await page.getByRole('button', { name: 'New secret', exact: true }).click();
  const d = page.getByRole('dialog', { name: /^New secret/ });
  await d.getByLabel('Name', { exact: true }).fill(taken);
  await d.getByLabel('Value').fill('duplicate');
  await d.getByLabel('Value').press('Enter');
  await expect(d.getByText(`A global secret named "${taken}" already exists.`)).toBeVisible();
  await d.getByLabel('Name', { exact: true }).fill(`${name}_2`);
  await d.getByLabel('Value').press('Enter');
  await expect(d).toBeHidden();

  const calls = await page.evaluate(() => (window as unknown as { bridgeCalls: string[] }).bridgeCalls);
  expect(calls).toEqual(expect.arrayContaining(['secrets.list', 'secrets.reveal', 'secrets.create']));
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});
