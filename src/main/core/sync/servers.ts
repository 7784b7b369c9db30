import type { ServerConnection } from '../../../shared/sync';
import { isInsecureServerUrl, managementKeyProblem, normaliseServerUrl, serverNameProblem, serverUrlProblem } from '../../../shared/sync';
import type { AuditLog } from '../audit/audit-log';
import { serverKeyBinding } from '../crypto/bindings';
import type { KeyRing } from '../crypto/key-ring';
import { CoreError, notFound, validation } from '../errors';
import { nowIso, type Db } from '../store/database';
import { mapConstraint } from '../store/sql';
import type { WriteGate } from '../store/write-gate';

interface ServerRow {
  id: number;
  name: string;
  url: string;
  key_encrypted: string;
  created_at: string;
  updated_at: string;
  last_pulled_at: string | null;
  last_pushed_at: string | null;
}

/** Where a sync call goes, with the key to present. Lives only for the calls it is made for. */
export interface ServerTarget {
  id: number;
  name: string;
  url: string;
  key: string;
}

/** How errors name a server record. */
export const serverRecordLabel = (id: number, name?: string) => `server #${id}${name ? ` ("${name}")` : ''}`;

function checkName(name: unknown): string {
  const problem = typeof name === 'string' ? serverNameProblem(name) : 'Server name must be text.';
  if (problem) throw validation('name', problem);
  return (name as string).trim();
}

function checkUrl(url: unknown): string {
  const problem = typeof url === 'string' ? serverUrlProblem(url) : 'Server URL must be text.';
  if (problem) throw validation('url', problem);
  return normaliseServerUrl(url as string);
}

function checkKey(key: unknown): string {
  // The message never quotes the key.
  const problem = typeof key === 'string' ? managementKeyProblem(key) : 'Management key must be text.';
  if (problem) throw validation('key', problem);
  return key as string;
}

/**
 * The servers the operator syncs with. The management key is encrypted like secrets and
 * bound to the server's name and URL; it is decrypted only to make calls, and never
 * returned by any operation.
 */
export function createServerStore(db: Db, ring: KeyRing, gate: WriteGate, audit: AuditLog) {
  const byId = db.prepare('SELECT * FROM servers WHERE id = ?');

  function row(id: number): ServerRow {
    const r = byId.get(id) as ServerRow | undefined;
    if (!r) throw notFound('Server', id);
    return r;
  }

  function decryptKey(r: ServerRow): string {
    try {
      return ring.cipher.decrypt(r.key_encrypted, serverRecordLabel(r.id, r.name), serverKeyBinding(r));
    } catch (e) {
      throw new CoreError(
        'DECRYPTION_FAILED',
        `The management key of server "${r.name}" cannot be decrypted (${(e as Error).message.replace(/^Cannot decrypt [^:]*: /, '')}). ` +
          'Its record was changed outside the app (its URL, say); enter the key again under Servers › Edit. Nothing was sent.',
      );
    }
  }

  function toConnection(r: ServerRow): ServerConnection {
    let keyProblem: string | undefined;
    try {
      decryptKey(r);
    } catch (e) {
      keyProblem = (e as Error).message;
    }
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      insecure: isInsecureServerUrl(r.url),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastPulledAt: r.last_pulled_at,
      lastPushedAt: r.last_pushed_at,
      ...(keyProblem ? { keyProblem } : {}),
    };
  }

  const conflict = (name: string) => [{ match: /servers\.name/, field: 'name', message: `A server named "${name}" already exists.` }];

  return {
    list: (): ServerConnection[] => (db.prepare('SELECT * FROM servers ORDER BY name').all() as ServerRow[]).map(toConnection),
    get: (id: number): ServerConnection => toConnection(row(id)),

    create(input: { name: string; url: string; key: string }): ServerConnection {
      const name = checkName(input.name);
      const url = checkUrl(input.url);
      const key = checkKey(input.key);
      gate.assertOpen();
      const now = nowIso();
      const id = db.transaction(() => {
        const newId = Number(
          mapConstraint(
            () =>
              db
                .prepare('INSERT INTO servers (name, url, key_encrypted, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                .run(name, url, ring.cipher.encrypt(key, serverKeyBinding({ name, url })), now, now).lastInsertRowid,
            conflict(name),
          ),
        );
        audit.append({ action: 'server.created', recordKind: 'server', recordId: newId, recordName: name, detail: { url } });
        return newId;
      })();
      return toConnection(row(id));
    },

    /** A new name or URL re-encrypts the key (it is bound to both); a new key replaces it. */
    update(input: { id: number; name?: string; url?: string; key?: string }): ServerConnection {
      const existing = row(input.id);
      const name = input.name === undefined ? existing.name : checkName(input.name);
      const url = input.url === undefined ? existing.url : checkUrl(input.url);
      const newKey = input.key === undefined ? undefined : checkKey(input.key);
      const moved = name !== existing.name || url !== existing.url;
      // Moving a key to another URL needs the key readable; a broken one must be entered again.
      const key = newKey ?? (moved ? decryptKey(existing) : null);
      gate.assertOpen();
      db.transaction(() => {
        mapConstraint(
          () =>
            db
              .prepare('UPDATE servers SET name = ?, url = ?, key_encrypted = coalesce(?, key_encrypted), updated_at = ? WHERE id = ?')
              .run(name, url, key === null ? null : ring.cipher.encrypt(key, serverKeyBinding({ name, url })), nowIso(), existing.id),
          conflict(name),
        );
        const fields = [...(name !== existing.name ? ['name'] : []), ...(url !== existing.url ? ['url'] : []), ...(newKey !== undefined ? ['key'] : [])];
        audit.append({
          action: 'server.updated',
          recordKind: 'server',
          recordId: existing.id,
          recordName: name,
          detail: { fields, ...(url !== existing.url ? { url } : {}), ...(name !== existing.name ? { renamedFrom: existing.name } : {}) },
        });
      })();
      return toConnection(row(existing.id));
    },

    delete(id: number): void {
      const existing = row(id);
      gate.assertOpen();
      db.transaction(() => {
        db.prepare('DELETE FROM servers WHERE id = ?').run(id);
        audit.append({ action: 'server.deleted', recordKind: 'server', recordId: id, recordName: existing.name, detail: { url: existing.url } });
      })();
    },

    /** Name, URL and the decrypted key, for the calls about to be made. */
    target(id: number): ServerTarget {
      const r = row(id);
      return { id: r.id, name: r.name, url: r.url, key: decryptKey(r) };
    },

    markPulled(id: number): void {
      db.prepare('UPDATE servers SET last_pulled_at = ? WHERE id = ?').run(nowIso(), id);
    },
    markPushed(id: number): void {
      db.prepare('UPDATE servers SET last_pushed_at = ? WHERE id = ?').run(nowIso(), id);
    },
  };
}

export type ServerStore = ReturnType<typeof createServerStore>;
