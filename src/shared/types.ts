// Domain types shared by core, the contract, both transports and the renderer.
// Plain data only: everything here crosses IPC/HTTP as JSON.

/** The four scopes, most specific first: the order `ctx.getSecret(name)` searches. */
export const SCOPES_BY_PRECEDENCE = ['key', 'group', 'function', 'global'] as const;
export type Scope = (typeof SCOPES_BY_PRECEDENCE)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Error as a value: a code to branch on, a message a person can act on, the field or record concerned. */
export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  field?: string;
}

export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IN_USE'
  | 'DECRYPTION_FAILED'
  | 'KEY_FILE'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'ROTATION_IN_PROGRESS'
  | 'LOCKED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'HOST_UNAVAILABLE'
  | 'RUNTIME_UNAVAILABLE'
  /** A Crude Functions server could not be reached (network, timeout, TLS). */
  | 'SERVER_UNREACHABLE'
  /** A server refused the management key (401). */
  | 'SERVER_UNAUTHORIZED'
  /** A server answered in a shape this app does not know: another version of its API. */
  | 'SERVER_INCOMPATIBLE'
  /** A server refused a call (its status and error message are in the message). */
  | 'SERVER_ERROR'
  | 'INTERNAL';

export interface ApiKeyGroup {
  id: number;
  name: string;
  description: string | null;
  keyCount: number;
  secretCount: number;
  createdAt: string;
  updatedAt: string;
  /** Its row fails its integrity check: it was changed outside the app, and is refused where it is used. */
  tampered?: true;
}

/** An API key as listed: never carries its value (see `keys.reveal`). */
export interface ApiKey {
  id: number;
  groupId: number;
  groupName: string;
  name: string;
  description: string | null;
  secretCount: number;
  createdAt: string;
  updatedAt: string;
  /** Its row fails its integrity check: it was changed outside the app, and is refused where it is used. */
  tampered?: true;
}

export interface FunctionDef {
  id: number;
  name: string;
  description: string | null;
  /** Handler file path relative to the data directory's `code/`. */
  handler: string;
  route: string;
  methods: HttpMethod[];
  /** Required API key group ids; empty = public function. */
  groupIds: number[];
  enabled: boolean;
  /** Rules for browser callers from other origins; null: cross-origin calls are refused. */
  cors: CorsConfig | null;
  secretCount: number;
  lastStatus: number | null;
  /** When the function was last called (the newest execution log entry), null if never. */
  lastCalledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Its row fails its integrity check: it was changed outside the app, and is refused where it is used. */
  tampered?: true;
}

/** A function's CORS settings, as the platform has them (handler-context.md). */
export interface CorsConfig {
  /** Allowed origins ("https://app.example.com"), or ["*"]. */
  origins: string[];
  /** Allow credentials (cookies, Authorization); not with "*". */
  credentials?: boolean;
  /** How long a browser may cache a preflight answer, in seconds (default 86400). */
  maxAge?: number;
  allowHeaders?: string[];
  exposeHeaders?: string[];
}

/** A secret as listed: the value is masked; `secrets.reveal` returns it on request. */
export interface SecretSummary {
  id: number;
  name: string;
  scope: Scope;
  /** Function, group or key id; null for global. */
  scopeId: number | null;
  comment: string | null;
  /** Byte length of the plaintext, so the UI can show a mask of honest width. */
  valueLength: number;
  /** Set when this record cannot be decrypted (tampered or unknown key version). */
  decryptionError?: string;
  createdAt: string;
  updatedAt: string;
}

/** What a handler's `ctx.getCompleteSecret(name)` returns: the spec's shape to the letter. */
export interface CompleteSecret {
  global?: string;
  function?: string;
  group?: { value: string; groupId: number; groupName: string };
  key?: { value: string; groupId: number; groupName: string; keyId: number; keyName: string };
}

/** The request context a secret is resolved for; the group follows from the key. */
export interface ResolutionContext {
  functionId: number;
  keyId?: number | null;
}

/** One link of an override chain, for the inspector. Values are not included. */
export interface ChainLink {
  scope: Scope;
  /** Whether this scope applies to the context at all (no key → key and group do not apply). */
  applies: boolean;
  defined: boolean;
  secretId: number | null;
  /** The record the scope refers to: function, group or key (null for global). */
  recordId: number | null;
  recordName: string | null;
  wins: boolean;
}

export interface SecretExplanation {
  name: string;
  functionId: number;
  functionName: string;
  keyId: number | null;
  keyName: string | null;
  groupId: number | null;
  groupName: string | null;
  /** Key, Group, Function, Global — in that order. */
  chain: ChainLink[];
  winner: Scope | null;
  /** Why key and group do not apply though a key was chosen (public function), if so. */
  note?: string;
  /** Set when this caller would be refused (401) before the handler runs. */
  refused?: string;
}

/** Every definition of one name across all scopes and records (values masked). */
export interface SecretDefinition {
  secretId: number;
  scope: Scope;
  scopeId: number | null;
  recordName: string | null;
  /** For key scope: the key's group. */
  groupId: number | null;
  groupName: string | null;
  comment: string | null;
  valueLength: number;
  updatedAt: string;
}

export interface SecretInspection {
  name: string;
  definitions: SecretDefinition[];
}

/** What deleting a record would remove with it. */
export interface DeletePreview {
  target: { kind: 'function' | 'group' | 'key'; id: number; name: string };
  keys: { id: number; name: string }[];
  secrets: { id: number; name: string; scope: Scope; scopeId: number | null }[];
  /** Functions that require this group: deletion is refused while any exist. */
  blockingFunctions: { id: number; name: string }[];
}

export interface RotationStatus {
  currentVersion: string;
  phasedOutVersion: string | null;
  lastRotationAt: string;
  nextRotationDue: string;
  intervalDays: number;
  inProgress: boolean;
  done: number;
  total: number;
  keyFile: string;
  databaseFile: string;
}

export interface RotationResult {
  fromVersion: string;
  toVersion: string;
  reencrypted: number;
  /** Records that could not be decrypted before rotation (already broken) and were left as they were. */
  skipped: { table: string; id: number; label: string }[];
  finishedAt: string;
}

export interface Settings {
  rotationIntervalDays: number;
  hostPort: number;
  /** Execution log entries kept per function. */
  logRetention: number;
  requestTimeoutMs: number;
  /** Memory limit of one handler process: its JavaScript heap and everything else it allocates. */
  handlerMemoryMb: number;
  /** Local "host:port" entries handlers may reach; the rest of loopback is closed to them. */
  handlerLocalHosts: string[];
  /** A secret keeps at least this many versions… */
  historyKeepVersions: number;
  /** …and every version younger than this many days. */
  historyKeepDays: number;
  /** Audit log entries kept (the oldest go first; the chain stays verifiable). */
  auditRetention: number;
  /** Remind to back up when changes have waited this many days (0: never). */
  backupReminderDays: number;
}

export interface BackupStatus {
  lastBackupAt: string | null;
  /** The operator's last change (not a disclosure, not the app's own work) in the audit log. */
  lastChangeAt: string | null;
  reminderDays: number;
  /** Changes have waited for a backup longer than `reminderDays`. */
  due: boolean;
  unsavedChanges: boolean;
  /** This run created the installation: the moment to offer restoring a backup instead. */
  firstStart: boolean;
}

/** How the keys in the key file are guarded, what this machine offers, and the recovery kit. */
export interface KeyProtectionStatus {
  protection: 'file' | 'keychain';
  /** The keychain backend that wraps the keys (with keychain protection), else null. */
  backend: string | null;
  /** What this process can use: the OS keychain through Electron's safeStorage, or nothing (browser mode). */
  keychain: { available: boolean; backend: string | null; reason: string | null };
  /** With file protection: why ("browser mode has no keychain", the basic_text backend, switched off). */
  fileOnlyReason: string | null;
  keyFile: string;
  currentKeyVersion: string;
  /** The last recovery kit made, and the key version it holds. */
  recoveryKit: { createdAt: string; keyVersion: string } | null;
  /** The last kit holds the current keys (a rotation since makes it stale). */
  recoveryKitCurrent: boolean;
  /** Nag: the keys are keychain-wrapped (they cannot leave this machine) and no current kit exists. */
  recoveryKitDue: boolean;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** A function's handler process, as the UI tells it ("fetching dependencies…"). */
export type HandlerPhase = 'fetching-dependencies' | 'starting' | 'ready' | 'failed' | 'stopped';

export interface ConsoleEntry {
  level: ConsoleLevel;
  message: string;
  at: string;
}

/** One `ctx.getSecret` / `ctx.getCompleteSecret` call: names and scopes only, never values. */
export interface SecretAccess {
  call: 'getSecret' | 'getCompleteSecret';
  name: string;
  requestedScope: Scope | null;
  /** Scope that answered; for getCompleteSecret, the scopes that had a value. */
  answeredBy: Scope | null;
  answeredScopes?: Scope[];
}

export interface ExecutionLogEntry {
  id: number;
  functionId: number;
  requestId: string;
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  keyId: number | null;
  keyName: string | null;
  groupName: string | null;
  console: ConsoleEntry[];
  error: string | null;
  trace: SecretAccess[];
}

export interface HostStatus {
  url: string | null;
  port: number | null;
  running: boolean;
  requestedPort: number;
  error?: string;
}

/** What the audit log records: every change and every disclosure, never a value. */
export type AuditAction =
  | 'secret.created'
  | 'secret.updated'
  | 'secret.deleted'
  | 'secret.restored'
  | 'secret.revealed'
  | 'secret.copied'
  | 'key.created'
  | 'key.updated'
  | 'key.deleted'
  | 'key.revealed'
  | 'key.copied'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted'
  | 'function.created'
  | 'function.updated'
  | 'function.deleted'
  | 'rotation.started'
  | 'rotation.finished'
  | 'rotation.failed'
  | 'settings.changed'
  | 'secrets.imported'
  | 'secrets.exported'
  | 'audit.exported'
  | 'backup.created'
  | 'backup.restored'
  | 'key-protection.changed'
  | 'recovery-kit.created'
  | 'recovery-kit.restored'
  | 'sync.pulled'
  | 'sync.pushed'
  | 'server.created'
  | 'server.updated'
  | 'server.deleted'
  | 'admin-api.called';

export type AuditRecordKind = 'secret' | 'key' | 'group' | 'function' | 'server';

export interface AuditEntry {
  id: number;
  at: string;
  /** Who: "desktop window", "browser session", "admin API key "ops" (#3)", "app (scheduled rotation)". */
  actor: string;
  action: AuditAction;
  recordKind: AuditRecordKind | null;
  recordId: number | null;
  recordName: string | null;
  scope: Scope | null;
  scopeId: number | null;
  /** What changed, by field name ("value changed"), counts, operation names — never a value. */
  detail: Record<string, unknown>;
}

/** Whether every entry's MAC follows from the one before it (the log was not edited). */
export interface AuditChainStatus {
  ok: boolean;
  checked: number;
  /** The first entry whose MAC does not follow: it or an entry before it was changed, removed or inserted. */
  brokenAt?: { id: number; at: string };
}

/** One earlier (or the current) value of a secret: masked; `secrets.revealVersion` shows it. */
export interface SecretVersion {
  id: number;
  /** 1, 2, 3… per place (scope, scope record and name). */
  n: number;
  change: 'created' | 'updated' | 'deleted' | 'restored' | 'renamed';
  scope: Scope;
  scopeId: number | null;
  name: string;
  valueLength: number;
  comment: string | null;
  changedAt: string;
  changedBy: string;
  /** Which fields changed ("value", "comment", "name"), a rename's other name, the version a restore came from. */
  detail: { fields?: string[]; renamedFrom?: string; renamedTo?: string; restoredFrom?: number };
  /** True for the version the secret has now. */
  current: boolean;
}

/** A secret that is gone but can still be restored (its last version is within the retention). */
export interface DeletedSecret {
  versionId: number;
  scope: Scope;
  scopeId: number | null;
  name: string;
  deletedAt: string;
  deletedBy: string;
  versions: number;
}

/** A change to preview (`changes.preview`) before it is made. */
export type ProposedChange =
  | { kind: 'secret.create'; name: string; scope: Scope; scopeId?: number | null }
  | { kind: 'secret.update'; id: number; name?: string; value?: string }
  | { kind: 'secret.delete'; id: number }
  | { kind: 'secret.restore'; versionId: number }
  | { kind: 'key.delete'; id: number }
  | { kind: 'group.delete'; id: number }
  | { kind: 'secrets.import'; scope: Scope; scopeId?: number | null; entries: { name: string; value: string }[] };

/** One line of an import, as the preview shows it (names and lengths, never values). */
export interface ImportRow {
  line: number;
  name: string | null;
  /** new: not in the scope yet; changed: another value; unchanged: the same value; invalid: see `problem`. */
  status: 'new' | 'changed' | 'unchanged' | 'invalid';
  problem?: string;
  valueLength?: number;
  /** The secret the row would change (changed, unchanged): its current value is revealed by id. */
  secretId?: number;
}

/** One (function, caller) pair whose answer changes. */
export interface WhatIfPair {
  functionId: number;
  functionName: string;
  /** null: the call without a key (a public function). */
  keyId: number | null;
  keyName: string | null;
  groupName: string | null;
  /** The secret name; null for a refused caller. */
  name: string | null;
  /** The scope that answers now, and after the change (null: undefined). */
  before: Scope | null;
  after: Scope | null;
  /** Same scope, another value. */
  valueChanges: boolean;
  /** The caller will be refused (401) after the change. */
  refused?: true;
}

export interface WhatIfPreview {
  /** How many (function, caller) pairs get another answer (or are refused). */
  affected: number;
  functions: number;
  callers: number;
  /** The first of them (at most 100). */
  pairs: WhatIfPair[];
  /** Of `affected`: callers that will be refused (key and group deletions). */
  refused: number;
  summary: string;
}
