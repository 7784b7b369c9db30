// Journey of issue 17 (keys in the OS keychain): Settings says how the keys are guarded —
// in browser mode "protected by file permissions only", and why — and makes a recovery
// kit (.cfkeys). In the Electron app with a real keychain the keys are wrapped and the
// banner nags until a kit exists.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyProtectionStatus } from '../src/shared/types';
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot } from './helpers';

const PASSPHRASE = 'e2e recovery kit passphrase';

test('Settings shows the key protection and makes a recovery kit', async ({ appPage: page }) => {
  const work = mkdtempSync(join(tmpdir(), 'crude-e2e-kit-'));
  try {
    const info = await rpc<{ mode: 'browser' | 'electron' }>('app.info');
    const before = await rpc<KeyProtectionStatus>('keyProtection.status');
    await openApp(page);
    const banner = page.getByTestId('recovery-kit-reminder');
    if (before.recoveryKitDue) await expect(banner).toBeVisible();
    else await expect(banner).toHaveCount(0);

    await nav(page, 'Settings');
    const panel = page.getByRole('region', { name: 'Key protection' });
    if (before.protection === 'file') {
      await expect(panel.getByTestId('key-protection')).toContainText('Keys are protected by file permissions only.');
      await expect(panel.getByTestId('key-protection')).toContainText(before.fileOnlyReason!);
      if (info.mode === 'browser') {
        await expect(panel.getByTestId('key-protection')).toContainText('Browser mode runs without Electron and has no access to the OS keychain.');
        // Nothing to switch on here.
        await expect(panel.getByRole('button', { name: /Protect the keys with the OS keychain/ })).toHaveCount(0);
      }
    } else {
      await expect(panel.getByTestId('key-protection')).toContainText('Keys are wrapped by the OS keychain');
    }
    await expect(panel.getByText(before.keyFile)).toBeVisible();
    await shot(page, 'key-protection-01-settings');

    const create = panel.getByRole('form', { name: 'Create a recovery kit' });
    await create.getByLabel('Passphrase', { exact: true }).fill('too short');
    await create.getByRole('button', { name: 'Create recovery kit' }).click();
    await expect(create.getByText('At least 12 characters.')).toBeVisible();
    await create.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await create.getByLabel('Passphrase again').fill(PASSPHRASE);
    const downloading = page.waitForEvent('download');
    await create.getByRole('button', { name: 'Create recovery kit' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^crude-functions-keys-\d{4}-\d{2}-\d{2}\.cfkeys$/);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'crude-functions-desktop-recovery-kit', cipher: 'aes-256-gcm' });
    await expect(panel.getByTestId('recovery-kit-status')).not.toHaveText('never');
    await expect(panel.getByTestId('recovery-kit-status')).toContainText(`(key ${before.currentKeyVersion})`);
    await shot(page, 'key-protection-02-kit');

    // A current kit ends the nag.
    expect(await rpc<KeyProtectionStatus>('keyProtection.status')).toMatchObject({ recoveryKitCurrent: true, recoveryKitDue: false });
    await nav(page, 'Global secrets');
    await expect(banner).toHaveCount(0);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
