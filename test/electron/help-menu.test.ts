// The Help menu (src/main/app-menu.ts, src/main/help.ts): on every OS, About with the
// versions of the app, Electron, Node and Deno; the data folder; the docs.
import { describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../src/main/app-menu';
import { aboutDetail, denoVersion, docsLocation, parseDenoVersion } from '../../src/main/help';
import { findDeno } from '../../src/main/core/host/runtime/deno/deno-binary';
import { root } from '../../scripts/build-if-needed.mjs';

function items(menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  return (menu?.submenu ?? []) as MenuItemConstructorOptions[];
}

describe('the Help menu', () => {
  it.each(['darwin', 'linux', 'win32'] as const)('on %s: Documentation, Open Data Folder and About, each doing its job', (platform) => {
    const actions = { about: vi.fn(), openDataFolder: vi.fn(), openDocs: vi.fn() };
    const template = menuTemplate({ platform, isPackaged: true, actions });
    const help = template.find((m) => m.label === 'Help');
    expect(help?.role).toBe('help');
    const byLabel: Record<string, MenuItemConstructorOptions> = Object.fromEntries(items(help).filter((i) => i.label).map((i) => [i.label, i]));
    expect(Object.keys(byLabel)).toEqual(['Documentation', 'Open Data Folder', 'About Crude Functions Desktop']);
    for (const item of Object.values(byLabel)) (item.click as () => void)();
    expect(actions.openDocs).toHaveBeenCalledOnce();
    expect(actions.openDataFolder).toHaveBeenCalledOnce();
    expect(actions.about).toHaveBeenCalledOnce();
    // The last menu, as each OS expects Help.
    expect(template.at(-1)).toBe(help);
  });

  it('offers the developer tools only outside a packaged app', () => {
    const actions = { about: vi.fn(), openDataFolder: vi.fn(), openDocs: vi.fn() };
    const roles = (isPackaged: boolean) =>
      items(menuTemplate({ platform: 'linux', isPackaged, actions }).find((m) => m.label === 'View')).map((i) => i.role);
    expect(roles(false)).toContain('toggleDevTools');
    expect(roles(true)).not.toContain('toggleDevTools');
  });

  it('About lists the versions of the app, Electron, Node and Deno', () => {
    const text = aboutDetail({ app: '0.1.0', electron: '45.5.0', chrome: '142.0.1', node: '22.20.0', deno: '2.9.6' });
    expect(text.split('\n')).toEqual(['Version 0.1.0', '', 'Electron 45.5.0', 'Chromium 142.0.1', 'Node.js 22.20.0', 'Deno 2.9.6']);
    expect(aboutDetail({ app: '0.1.0', electron: '45.5.0', node: '22.20.0', deno: null })).toContain('Deno not found');
  });

  it("reads Deno's version from the binary the app runs handlers with", async () => {
    expect(parseDenoVersion('deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\nv8 14.0\ntypescript 5.9\n')).toBe('2.9.6');
    expect(parseDenoVersion('')).toBeNull();
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules/deno/package.json'), 'utf8')) as { version: string };
    expect(await denoVersion(findDeno())).toBe(pkg.version);
    expect(await denoVersion('/nonexistent/deno')).toBeNull();
    expect(await denoVersion(null)).toBeNull();
  });

  it('opens the docs of the checkout, or the copy a packaged app carries in its resources', () => {
    const dev = docsLocation({ isPackaged: false, appPath: root, resourcesPath: '/unused' });
    expect(existsSync(dev.file) && existsSync(dev.folder)).toBe(true);
    expect(docsLocation({ isPackaged: true, appPath: '/x/app.asar', resourcesPath: '/opt/Crude/resources' })).toEqual({
      file: join('/opt/Crude/resources', 'docs', 'README.md'),
      folder: join('/opt/Crude/resources', 'docs'),
    });
  });
});
