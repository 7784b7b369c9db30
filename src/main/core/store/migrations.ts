import type Database from 'better-sqlite3';

/**
 * Versioned schema migrations, applied in order on open; `PRAGMA user_version` records
 * the last one applied. Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE api_groups (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE api_keys (
        id              INTEGER PRIMARY KEY,
        group_id        INTEGER NOT NULL REFERENCES api_groups(id) ON DELETE CASCADE,
        name            TEXT NOT NULL,
        description     TEXT,
        value_encrypted TEXT NOT NULL,
        value_hash      TEXT NOT NULL UNIQUE,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        UNIQUE (group_id, name)
      );

      CREATE TABLE functions (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        description TEXT,
        handler     TEXT NOT NULL,
        route       TEXT NOT NULL,
        route_key   TEXT NOT NULL,
        methods     TEXT NOT NULL,
        enabled     INTEGER NOT NULL DEFAULT 1,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE INDEX functions_route_key ON functions(route_key);

      CREATE TABLE function_groups (
        function_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
        group_id    INTEGER NOT NULL REFERENCES api_groups(id),
        PRIMARY KEY (function_id, group_id)
      );

      -- scope_id is the function, group or key id, and 0 (never NULL) for global:
      -- SQLite's UNIQUE treats NULLs as distinct, which would let duplicate global names in.
      CREATE TABLE secrets (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL,
        value_encrypted TEXT NOT NULL,
        value_length    INTEGER NOT NULL,
        comment         TEXT,
        scope           TEXT NOT NULL CHECK (scope IN ('global', 'function', 'group', 'key')),
        scope_id        INTEGER NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        CHECK ((scope = 'global') = (scope_id = 0)),
        UNIQUE (name, scope, scope_id)
      );
      CREATE INDEX secrets_by_scope ON secrets(scope, scope_id, name);

      -- Secrets die with the record they are scoped to, whoever deletes it.
      CREATE TRIGGER functions_cascade_secrets AFTER DELETE ON functions BEGIN
        DELETE FROM secrets WHERE scope = 'function' AND scope_id = OLD.id;
        DELETE FROM executions WHERE function_id = OLD.id;
      END;
      CREATE TRIGGER api_groups_cascade_secrets AFTER DELETE ON api_groups BEGIN
        DELETE FROM secrets WHERE scope = 'group' AND scope_id = OLD.id;
      END;
      CREATE TRIGGER api_keys_cascade_secrets AFTER DELETE ON api_keys BEGIN
        DELETE FROM secrets WHERE scope = 'key' AND scope_id = OLD.id;
      END;

      CREATE TABLE executions (
        id          INTEGER PRIMARY KEY,
        function_id INTEGER NOT NULL,
        request_id  TEXT NOT NULL,
        at          TEXT NOT NULL,
        method      TEXT NOT NULL,
        path        TEXT NOT NULL,
        status      INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        key_id      INTEGER,
        key_name    TEXT,
        group_name  TEXT,
        console     TEXT NOT NULL,
        error       TEXT,
        trace       TEXT NOT NULL
      );
      CREATE INDEX executions_by_function ON executions(function_id, id);
    `,
  },
  {
    // One number that moves with every change to what a caller may get: a secret, a key,
    // a group, a function's groups. The host's caches of resolved secrets and authenticated
    // keys are valid while it stands still. Triggers keep it, so that no write path — a
    // cascade, a rotation, an edit with sqlite3 — can forget to.
    version: 2,
    sql: `
      CREATE TABLE revisions (
        name TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
      );
      INSERT INTO revisions (name, n) VALUES ('access', 0);
      ${['secrets', 'api_keys', 'api_groups', 'function_groups', 'functions']
        .flatMap((table) =>
          ['INSERT', 'UPDATE', 'DELETE'].map(
            (op) => `CREATE TRIGGER ${table}_${op.toLowerCase()}_access AFTER ${op} ON ${table} BEGIN
        UPDATE revisions SET n = n + 1 WHERE name = 'access';
      END;`,
          ),
        )
        .join('\n      ')}
    `,
  },
  {
    // Row MACs for the records that decide access (crypto/integrity.ts), and per-function
    // CORS rules. The MACs and the binding of every ciphertext to its record are filled in
    // by the data migration that runs once the keys are loaded (store/data-migrations.ts).
    version: 3,
    sql: `
      ALTER TABLE api_groups ADD COLUMN integrity TEXT;
      ALTER TABLE api_keys ADD COLUMN integrity TEXT;
      ALTER TABLE functions ADD COLUMN integrity TEXT;
      ALTER TABLE functions ADD COLUMN cors TEXT;
    `,
  },
  {
    // Every secret keeps its earlier values (secret_versions, per place: scope, scope
    // record and name, so a deleted secret can come back), and an append-only audit log of
    // every change and disclosure, each entry MAC-chained to the one before it.
    version: 4,
    sql: `
      CREATE TABLE secret_versions (
        id              INTEGER PRIMARY KEY,
        scope           TEXT NOT NULL,
        scope_id        INTEGER NOT NULL,
        name            TEXT NOT NULL,
        n               INTEGER NOT NULL,
        change          TEXT NOT NULL,
        value_encrypted TEXT NOT NULL,
        value_length    INTEGER NOT NULL,
        comment         TEXT,
        changed_at      TEXT NOT NULL,
        changed_by      TEXT NOT NULL,
        detail          TEXT,
        UNIQUE (scope, scope_id, name, n)
      );
      CREATE INDEX secret_versions_by_time ON secret_versions(changed_at);
      -- A scope record that is gone takes its secrets' history with it: nothing could be restored there.
      CREATE TRIGGER functions_cascade_versions AFTER DELETE ON functions BEGIN
        DELETE FROM secret_versions WHERE scope = 'function' AND scope_id = OLD.id;
      END;
      CREATE TRIGGER api_groups_cascade_versions AFTER DELETE ON api_groups BEGIN
        DELETE FROM secret_versions WHERE scope = 'group' AND scope_id = OLD.id;
      END;
      CREATE TRIGGER api_keys_cascade_versions AFTER DELETE ON api_keys BEGIN
        DELETE FROM secret_versions WHERE scope = 'key' AND scope_id = OLD.id;
      END;

      CREATE TABLE audit_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        record_kind TEXT,
        record_id   INTEGER,
        record_name TEXT,
        scope       TEXT,
        scope_id    INTEGER,
        detail      TEXT NOT NULL,
        mac         TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_record ON audit_log(record_kind, record_id);
    `,
  },
  {
    // Crude Functions servers to sync with: a name, the management API's URL and its
    // management key, encrypted like secrets and bound to the name and URL
    // (crypto/bindings.ts), so a URL edited outside the app never receives the key.
    version: 5,
    sql: `
      CREATE TABLE servers (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        url            TEXT NOT NULL,
        key_encrypted  TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        last_pulled_at TEXT,
        last_pushed_at TEXT
      );
    `,
  },
];

/** Applies every migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
