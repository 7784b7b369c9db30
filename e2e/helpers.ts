// Shared by the specs: open the app, call /rpc directly for seeding, save screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const SHOTS = join(import.meta.dirname, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the specs through playwright (global setup starts browser mode).`);
  return v;
}

/** What the specs drive: browser mode over HTTP, or the Electron window (set by e2e/fixtures.ts). */
type Target = { mode: 'browser' } | { mode: 'electron'; page: Page };
let target: Target = { mode: 'browser' };
export function useTarget(t: Target): void {
  target = t;
}

export function adminOrigin(): string {
  return new URL(env('E2E_ADMIN_URL')).origin;
}

/** Opens the admin UI with the session token in the fragment, as a person would. */
export async function openApp(page: Page): Promise<void> {
  if (target.mode === 'electron') {
    // The window is shared by the specs: a reload starts each one on a fresh screen.
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    return;
  }
  await page.goto(`${env('E2E_ADMIN_URL').replace(/#.*$/, '')}#token=${env('E2E_TOKEN')}`);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** Calls one contract operation over HTTP, for seeding data and checking results. */
export async function rpc<T = unknown>(operation: string, input: unknown = {}): Promise<T> {
  if (target.mode === 'electron') {
    // The Electron app has no HTTP admin API: call the same operation through window.crude (IPC).
    const r = await target.page.evaluate(
      async ([op, arg]) => {
        const [ns, m] = (op as string).split('.') as [string, string];
        const client = (window as unknown as { crude: Record<string, Record<string, (i: unknown) => Promise<unknown>>> }).crude;
        try {
          return { ok: true as const, data: await client[ns]![m]!(arg) };
        } catch (e) {
          return { ok: false as const, message: String((e as { message?: unknown }).message ?? e) };
        }
      },
      [operation, input] as const,
    );
    if (!r.ok) throw new Error(`${operation}: ${r.message}`);
    return r.data as T;
  }
  const res = await fetch(`${adminOrigin()}/rpc/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env('E2E_TOKEN')}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; data?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${operation}: ${body.error?.message}`);
  return body.data as T;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, target.mode === 'electron' ? `electron-${name}.png` : `${name}.png`) });
}

export async function nav(page: Page, label: string): Promise<void> {
  // Links since each screen has its URL (issue 16); matched by text so that a check can
  // also run against an older build, where they were buttons, and fail for its own reason.
  await page
    .getByRole('navigation', { name: 'Main' })
    .locator('a, button')
    .filter({ hasText: new RegExp(`^\\W*${label}$`) })
    .click();
}

/** The open modal dialog. */
export function dialog(page: Page): Locator {
  return page.locator('dialog[open]').last();
}

/** A unique suffix so specs sharing one server never collide. */
export function uniq(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Fills the create-secret dialog of the scope currently shown and submits it with Enter. */
export async function createSecretInDialog(page: Page, name: string, value: string, comment?: string): Promise<void> {
  const d = page.getByRole('dialog', { name: /^New secret/ });
  await d.getByLabel('Name', { exact: true }).fill(name);
  if (comment) await d.getByLabel('Comment (optional)').fill(comment);
  await d.getByLabel('Value').fill(value);
  await d.getByLabel('Value').press('Enter');
  await expect(d).toBeHidden();
}
