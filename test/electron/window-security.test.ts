import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  allowNavigation,
  allowPermission,
  CONTENT_SECURITY_POLICY,
  decideLink,
  parseWindowState,
  secureWebPreferences,
} from '../../src/main/window-security';
import { loadWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../src/main/window-state';

const app = { rendererIndexUrl: pathToFileURL('/opt/app/out/renderer/index.html').toString(), devServerUrl: null };

describe('window security', () => {
  it('webPreferences isolate and sandbox the renderer', () => {
    const p = secureWebPreferences('/opt/app/out/preload/index.cjs');
    expect(p).toMatchObject({
      preload: '/opt/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('the CSP allows only the app itself', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [k, ...v] = d.trim().split(/\s+/);
        return [k, v.join(' ')];
      }),
    );
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['connect-src']).toBe("'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
    expect(directives['script-src']).not.toContain('unsafe-inline');
  });

  it('the built index.html carries the same script policy', () => {
    const html = readFileSync(join(import.meta.dirname, '../../src/renderer/index.html'), 'utf8');
    expect(html).toMatch(/Content-Security-Policy/);
    expect(html).toContain("script-src 'self'");
  });

  it('navigation away from the app is denied; http(s) links go to the OS browser', () => {
    expect(allowNavigation(app.rendererIndexUrl, app)).toBe(true);
    expect(allowNavigation(`${app.rendererIndexUrl}#/keys`, app)).toBe(true);
    expect(allowNavigation('https://example.com/', app)).toBe(false);
    expect(allowNavigation('file:///etc/passwd', app)).toBe(false);
    expect(decideLink('https://example.com/docs')).toEqual({ action: 'deny', openExternal: 'https://example.com/docs' });
    expect(decideLink('http://example.com/')).toMatchObject({ action: 'deny', openExternal: 'http://example.com/' });
    for (const u of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://x/y', 'not a url']) expect(decideLink(u)).toEqual({ action: 'deny' });
  });

  it('permission requests are denied', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) expect(allowPermission(p)).toBe(false);
  });
});

describe('window state', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('is remembered in window-state.json and sanitised', () => {
    dir = mkdtempSync(join(tmpdir(), 'crude-ws-'));
    expect(loadWindowState(dir)).toEqual({ width: 1280, height: 820 });
    saveWindowState(dir, { width: 1000, height: 700, x: 10, y: 20, maximized: true });
    expect(loadWindowState(dir)).toEqual({ width: 1000, height: 700, x: 10, y: 20, maximized: true });
    writeFileSync(join(dir, WINDOW_STATE_FILE), '{"width": -5, "height": "big", "x": 1}');
    expect(loadWindowState(dir)).toEqual({ width: 1280, height: 820 });
    writeFileSync(join(dir, WINDOW_STATE_FILE), 'not json');
    expect(loadWindowState(dir)).toEqual({ width: 1280, height: 820 });
    expect(parseWindowState(null)).toEqual({ width: 1280, height: 820 });
  });
});
