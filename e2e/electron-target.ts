// Whether the Electron project can run here, and why not. Read by playwright.config.ts
// (which leaves the project out and prints the reason) and by the fixture that launches it.
import { findElectronRuntime } from '../scripts/electron-runtime.mjs';

export const electronRuntime: string | null = findElectronRuntime();

export const electronSkipReason: string | null = !electronRuntime
  ? "e2e: the electron project is skipped: Electron's runtime binary is not installed (node_modules/electron/dist is missing; it cannot be downloaded on this machine). The same specs run against browser mode."
  : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
    ? 'e2e: the electron project is skipped: no DISPLAY. Run `xvfb-run npm run test:e2e` to include it.'
    : null;
