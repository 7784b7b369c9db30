// Journey of issue 15: import a .env file into a group with its preview, back the whole
// installation up, change something, restore the backup — and the change is undone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { nav, openApp, rpc, shot, uniq } from './helpers';

const PASSPHRASE = 'e2e backup passphrase 2026';

test('import a .env into a group, back up, change a value, restore the backup', async ({ appPage: page }) => {
  const work = mkdtempSync(join(tmpdir(), 'crude-e2e-backup-'));
  try {
    const group = uniq('imp-grp').toLowerCase();
    const fname = uniq('importer');
    const g = await rpc<{ id: number }>('groups.create', { name: group });
    await rpc('keys.create', { groupId: g.id, name: 'svc' });
    await rpc('functions.create', { name: fname, route: `/${fname}`, methods: ['GET'], handler: `${fname}.ts`, groupIds: [g.id] });
    await rpc('secrets.create', { name: 'REGION', value: 'us-east-1', scope: 'group', scopeId: g.id });

    await openApp(page);
    await nav(page, 'API keys');
    await page.getByRole('list', { name: 'API key groups' }).getByRole('button', { name: new RegExp(group) }).click();
    await page.getByRole('button', { name: /^Group secrets/ }).click();
    const secrets = page.getByRole('dialog', { name: `Secrets of group ${group}` });
    await secrets.getByRole('button', { name: 'Import…' }).click();

    const imp = page.getByRole('dialog', { name: `Import into secrets of group ${group}` });
    await imp.getByLabel('File contents').fill(
      ['# from the old server', 'export CARRIER_TOKEN="tok-123 \\"quoted\\""', 'REGION=eu-west-1', 'PEM="-----BEGIN-----', 'abc', '-----END-----"', 'bad.name=x'].join('\n'),
    );
    const rows = imp.getByRole('table', { name: 'What the import does' });
    await expect(rows.getByRole('row', { name: /CARRIER_TOKEN.*new/ })).toBeVisible();
    await expect(rows.getByRole('row', { name: /REGION.*changed/ })).toBeVisible();
    await expect(rows.getByRole('row', { name: /PEM.*new/ })).toBeVisible();
    await expect(rows.getByRole('row', { name: /bad\.name.*invalid.*letters, digits/ })).toBeVisible();
    await expect(imp.getByRole('status').first()).toHaveText('2 new · 1 changed · 1 invalid');
    // Masked until revealed; the current value beside the new one.
    await expect(rows.getByText('tok-123')).toHaveCount(0);
    await rows.getByRole('button', { name: 'Reveal imported CARRIER_TOKEN' }).click();
    await expect(rows.getByText('tok-123 "quoted"')).toBeVisible();
    await rows.getByRole('button', { name: 'Reveal current REGION' }).click();
    await expect(rows.getByText('us-east-1')).toBeVisible();
    await expect(imp.getByTestId('what-if').getByRole('status')).toContainText(`${fname} called with svc`);
    // Leave PEM out.
    await imp.getByRole('checkbox', { name: 'Import PEM (line 4)' }).uncheck();
    await expect(imp.getByTestId('what-if').getByRole('status')).toHaveText(`Changes 2 answers for 2 secrets (1 caller of 1 function); e.g. ${fname} called with svc will read the group value instead of nothing for CARRIER_TOKEN.`);
    await shot(page, 'import-01-preview');
    await imp.getByRole('button', { name: 'Import 2 secrets' }).click();
    await expect(imp.getByText('Imported: 1 new, 1 changed.')).toBeVisible();
    await imp.getByRole('button', { name: 'Close' }).first().click();
    await expect(secrets.getByRole('row', { name: /CARRIER_TOKEN/ })).toBeVisible();
    await expect(secrets.getByRole('row', { name: /PEM/ })).toHaveCount(0);
    await secrets.getByRole('button', { name: 'Close', exact: true }).first().click();
    await expect(secrets).toBeHidden();

    const listed = await rpc<{ id: number; name: string }[]>('secrets.list', { scope: 'group', scopeId: g.id });
    const region = listed.find((s) => s.name === 'REGION')!;
    expect((await rpc<{ value: string }>('secrets.reveal', { id: region.id })).value).toBe('eu-west-1');

    // Back up the whole installation.
    await nav(page, 'Settings');
    const backup = page.getByRole('region', { name: 'Backup' });
    const create = backup.getByRole('form', { name: 'Create a backup' });
    await create.getByLabel('Passphrase', { exact: true }).fill('too short');
    await create.getByRole('button', { name: 'Create backup' }).click();
    await expect(create.getByText('At least 12 characters.')).toBeVisible();
    await create.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await create.getByLabel('Passphrase again').fill(PASSPHRASE);
    const downloading = page.waitForEvent('download');
    await create.getByRole('button', { name: 'Create backup' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^crude-functions-backup-\d{4}-\d{2}-\d{2}\.cfbackup$/);
    const file = join(work, download.suggestedFilename());
    await download.saveAs(file);
    expect(readFileSync(file, 'utf8')).not.toContain('eu-west-1');
    await expect(backup.getByTestId('last-backup')).not.toHaveText('never');
    await shot(page, 'backup-01-created');

    // A change after the backup…
    await rpc('secrets.update', { id: region.id, value: 'ap-south-1' });

    // …is undone by restoring it. A wrong passphrase first: said at the field, nothing changes.
    const restore = backup.getByRole('form', { name: 'Restore a backup' });
    await restore.getByLabel('Backup file').setInputFiles(file);
    await restore.getByLabel('Its passphrase').fill('the wrong passphrase');
    await restore.getByRole('button', { name: 'Restore…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Replace this installation with the backup?' });
    await expect(confirm).toContainText('Nothing is deleted');
    await confirm.getByRole('button', { name: 'Restore backup' }).click();
    await expect(restore.getByText('The passphrase is wrong for this backup.')).toBeVisible();
    expect((await rpc<{ value: string }>('secrets.reveal', { id: region.id })).value).toBe('ap-south-1');

    await restore.getByLabel('Its passphrase').fill(PASSPHRASE);
    await restore.getByRole('button', { name: 'Restore…' }).click();
    await shot(page, 'backup-02-confirm-restore');
    await confirm.getByRole('button', { name: 'Restore backup' }).click();
    await expect(backup.getByText(/Restored the backup made .* The installation it replaced is kept in/)).toBeVisible();
    await shot(page, 'backup-03-restored');
    await backup.getByRole('button', { name: 'Reload the app' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect((await rpc<{ value: string }>('secrets.reveal', { id: region.id })).value).toBe('eu-west-1');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
