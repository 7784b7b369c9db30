// The first screen's data, asked for before the screen's code is even evaluated: the
// entry module starts these requests, then loads the app, so main works while the
// renderer parses React and the screens (render-as-you-fetch). Each answer is handed
// out once; every later load asks main again, so nothing here can go stale.
import type { SecretSummary } from '../../../shared/types';
import { crude } from './client';

/** Rows enough to fill the first screen of the global secrets table at any window size. */
export const FIRST_PAGE_ROWS = 60;

export interface EarlySecrets {
  /** The first secrets by name: small, so it arrives first and the table paints at once. */
  firstPage: Promise<SecretSummary[]>;
  /** The first page once it has arrived: a screen mounted after that renders it in its first pass. */
  firstPageRows?: SecretSummary[];
  /** Every secret of the scope; the table switches to it when it arrives. */
  all: Promise<SecretSummary[]>;
}

let globalSecrets: EarlySecrets | undefined;

/** Starts the requests of the screen the app opens on (global secrets). */
export function startFirstScreenData(): void {
  const firstPage = crude().secrets.list({ scope: 'global', limit: FIRST_PAGE_ROWS });
  // Asked for after the first page so main answers the small request first.
  const all = firstPage.then(
    () => crude().secrets.list({ scope: 'global' }),
    () => crude().secrets.list({ scope: 'global' }),
  );
  // The screen that takes them reports errors; none may go unhandled before it does.
  all.catch(() => {});
  const early: EarlySecrets = { firstPage, all };
  firstPage.then(
    (rows) => (early.firstPageRows = rows),
    () => {},
  );
  globalSecrets = early;
}

/** The global secrets requested at start, the first time they are asked for; then undefined. */
export function takeGlobalSecrets(): EarlySecrets | undefined {
  const taken = globalSecrets;
  globalSecrets = undefined;
  return taken;
}
