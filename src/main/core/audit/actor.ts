import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who or what is making a change: the window, the browser session, a management key on
 * the admin API, or the app itself (a scheduled rotation, an import, a restore). Set by
 * the transport around each call (api/registry.ts) and read by the history and the audit
 * log, so that no core signature has to carry it.
 */
export type Actor = (
  | { via: 'window' }
  | { via: 'browser' }
  | { via: 'api-key'; keyId: number; keyName: string }
  | { via: 'app'; what?: string }
) & {
  /** A bulk way a change came: an import, a restore of a backup, a sync with a server. */
  through?: string;
};

const current = new AsyncLocalStorage<Actor>();

export function runAs<T>(actor: Actor, fn: () => T): T {
  return current.run(actor, fn);
}

export function currentActor(): Actor {
  return current.getStore() ?? { via: 'app' };
}

/** Runs `fn` as the current actor, through `way` (e.g. "import"). */
export function runThrough<T>(way: string, fn: () => T): T {
  return runAs({ ...currentActor(), through: way }, fn);
}

/** How the history and the audit log name an actor. */
export function describeActor(a: Actor = currentActor()): string {
  const who = whoOf(a);
  return a.through ? `${who} (${a.through})` : who;
}

function whoOf(a: Actor): string {
  switch (a.via) {
    case 'window':
      return 'desktop window';
    case 'browser':
      return 'browser session';
    case 'api-key':
      return `admin API key "${a.keyName}" (#${a.keyId})`;
    case 'app':
      return a.what ? `app (${a.what})` : 'app';
  }
}
