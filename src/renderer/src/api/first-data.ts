// The first screen's data, asked for before the screen's code is even evaluated: the
// entry module starts these requests, then loads the app, so main works while the
// renderer parses React and the screens (render-as-you-fetch). Each answer is handed
// out once; every later load asks main again, so nothing here can go stale.
import type { SecretSummary } from '../../../shared/types';
import { crude } from './client';

const started = new Map<string, Promise<unknown>>();

const GLOBAL_SECRETS = 'secrets.list:global';

/** Starts the requests of the screen the app opens on (global secrets). */
export function startFirstScreenData(): void {
  const p = crude().secrets.list({ scope: 'global', scopeId: null });
  p.catch(() => {}); // the screen that takes it reports the error
  started.set(GLOBAL_SECRETS, p);
}

function take<T>(key: string): Promise<T> | undefined {
  const p = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return p;
}

/** The global secrets requested at start, the first time they are asked for; then undefined. */
export function takeGlobalSecrets(): Promise<SecretSummary[]> | undefined {
  return take<SecretSummary[]>(GLOBAL_SECRETS);
}
