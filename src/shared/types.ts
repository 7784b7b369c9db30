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
  | 'ROTATION_IN_PROGRESS'
  | 'LOCKED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'HOST_UNAVAILABLE'
  | 'RUNTIME_UNAVAILABLE'
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
