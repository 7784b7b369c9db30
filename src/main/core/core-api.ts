// The surface core offers to the rest of main (api registry, function host, shells).
// Everything is synchronous except rotation, which yields between batches so reads
// keep being answered while it runs.
import type {
  ApiKey,
  ApiKeyGroup,
  AuditChainStatus,
  AuditEntry,
  BackupStatus,
  CompleteSecret,
  DeletedSecret,
  ImportRow,
  ProposedChange,
  SecretVersion,
  WhatIfPreview,
  CorsConfig,
  DeletePreview,
  ExecutionLogEntry,
  FunctionDef,
  HttpMethod,
  ResolutionContext,
  RotationResult,
  RotationStatus,
  Scope,
  SecretExplanation,
  SecretInspection,
  SecretSummary,
  Settings,
} from '../../shared/types';
import type { CallerOverview, CodeCheck, CodeFile, ComputedSecretCall, FunctionSecretUse, HealthReport, InheritedSecret, ResolutionMatrix, SecretOverride, SimilarNames } from '../../shared/contract';
import type { PullResult, PushPlan, PushResult, ServerCheck, ServerConnection, SyncComparison } from '../../shared/sync';
import type { AuditFilter, NewAuditEntry } from './audit/audit-log';
import type { KeyProtectionService } from './key-protection';

export interface DataPaths {
  dataDir: string;
  databaseFile: string;
  keyFile: string;
  codeDir: string;
}

export interface GroupService {
  list(): ApiKeyGroup[];
  get(id: number): ApiKeyGroup;
  getByName(name: string): ApiKeyGroup | undefined;
  create(input: { name: string; description?: string | null }): ApiKeyGroup;
  update(input: { id: number; name?: string; description?: string | null }): ApiKeyGroup;
  /** Deletes the group, its keys, and every secret scoped to them, in one transaction. */
  delete(id: number): DeletePreview;
}

/** Which part of a resolution matrix to compute: filters, then the first rows and columns. */
export interface MatrixWindow {
  functionFilter?: string;
  keyFilter?: string;
  maxFunctions?: number;
  maxKeys?: number;
  /** Only keys some function in the filter accepts. */
  acceptedOnly?: boolean;
}

export interface AuthenticatedKey {
  /** Names only: what the host and its execution log need, without a per-request count query. */
  key: Pick<ApiKey, 'id' | 'name'>;
  group: { id: number; name: string };
}

export interface KeyService {
  list(groupId?: number): ApiKey[];
  get(id: number): ApiKey;
  /** Takes the given value (the platform's rule: `[a-zA-Z0-9_-]+`) or generates one; the result carries it once. */
  create(input: { groupId: number; name: string; description?: string | null; value?: string }): ApiKey & { value: string };
  /** A new `value` replaces the key's value (a pull from a server does this). */
  update(input: { id: number; name?: string; description?: string | null; value?: string }): ApiKey;
  delete(id: number): DeletePreview;
  /** The value, for the operator (an audited disclosure: revealed or copied). */
  reveal(id: number, purpose?: 'reveal' | 'copy'): string;
  /** Keyed-hash lookup plus constant-time comparison; null when the value is unknown. */
  authenticate(value: string): AuthenticatedKey | null;
}

export interface FunctionInput {
  name: string;
  route: string;
  methods: HttpMethod[];
  handler: string;
  groupIds?: number[];
  description?: string | null;
  enabled?: boolean;
  /** CORS rules for browser callers; null removes them. */
  cors?: CorsConfig | null;
}

export interface FunctionService {
  list(): FunctionDef[];
  get(id: number): FunctionDef;
  create(input: FunctionInput): FunctionDef;
  update(input: Partial<FunctionInput> & { id: number }): FunctionDef;
  setEnabled(id: number, enabled: boolean): FunctionDef;
  delete(id: number): DeletePreview;
  /** Grows with every change to any function definition: lets the host cache its routes. */
  revision(): number;
}

export interface CodeService {
  list(): CodeFile[];
  read(path: string): string;
  write(path: string, content: string): CodeFile;
  delete(path: string): void;
  /** Absolute path of a file inside code/, refusing `..`, absolute paths and symlinks that leave it. */
  resolve(path: string): string;
  /** Syntax and type problems of a handler file, from `deno check` (never runs it). */
  check(path: string): Promise<CodeCheck>;
}

/** A resolved value and the scope it came from. */
export interface ResolvedSecret {
  value: string;
  scope: Scope;
}

export interface SecretService {
  /** The secrets of one scope by name; with `limit`, only the first of them. */
  list(scope: Scope, scopeId?: number | null, limit?: number): SecretSummary[];
  create(input: { name: string; value: string; scope: Scope; scopeId?: number | null; comment?: string | null }): SecretSummary;
  update(input: { id: number; name?: string; value?: string; comment?: string | null }): SecretSummary;
  delete(id: number): void;
  /** The value, for the operator (an audited disclosure: revealed or copied). */
  reveal(id: number, purpose?: 'reveal' | 'copy'): string;
  /** A secret's versions, newest first (values masked). */
  history(id: number): SecretVersion[];
  /** The versions of a place (scope, scope record, name), also when the secret is gone. */
  historyAt(scope: Scope, scopeId: number | null | undefined, name: string): SecretVersion[];
  revealVersion(versionId: number, purpose?: 'reveal' | 'copy'): string;
  /** Secrets of a scope that are gone but can be restored. */
  deleted(scope: Scope, scopeId?: number | null): DeletedSecret[];
  /** Makes a version the secret's value again (a new version; the secret comes back if it was deleted). */
  restore(versionId: number): SecretSummary;
  importPreview(scope: Scope, scopeId: number | null | undefined, format: 'env' | 'json', text: string): { rows: ImportRow[]; whatIf: WhatIfPreview };
  importEntries(scope: Scope, scopeId: number | null | undefined, entries: { name: string; value: string }[]): { created: number; updated: number; unchanged: number };
  exportScope(scope: Scope, scopeId: number | null | undefined, format: 'env' | 'json'): { fileName: string; text: string; count: number; unreadable: string[] };
  /** Distinct names over every scope, optionally filtered by a case-insensitive substring. */
  names(query?: string): string[];
  /** Key > Group > Function > Global, first match; or only `scope` when given. */
  getSecret(name: string, ctx: ResolutionContext, scope?: Scope): ResolvedSecret | undefined;
  /** The spec's all-scopes shape; undefined when no scope has the name. */
  getCompleteSecret(name: string, ctx: ResolutionContext): CompleteSecret | undefined;
  explain(name: string, ctx: ResolutionContext): SecretExplanation;
  /**
   * The context a handler really runs with for this caller: a public function sees no key;
   * a function that requires groups refuses a missing or foreign key (VALIDATION on keyId).
   */
  callerContext(functionId: number, keyId?: number | null): ResolutionContext;
  inspect(name: string): SecretInspection;
  matrix(name: string, window?: MatrixWindow): ResolutionMatrix;
  /** Names the handler code passes as literals to ctx.getSecret / getCompleteSecret, and where each is defined. */
  usesOf(functionId: number): FunctionSecretUse[];
  /** getSecret / getCompleteSecret calls whose name the static scan cannot read. */
  computedCallsOf(functionId: number): ComputedSecretCall[];
  /** For each secret of one scope that a more specific scope overrides for some caller: how often and by what. */
  overridesIn(scope: Scope, scopeId?: number | null): SecretOverride[];
  /** Names a scope does not define but inherits, with their source. */
  inheritedIn(scope: Scope, scopeId?: number | null): InheritedSecret[];
  /** Every name one caller can see, with the defining scopes and the winner. */
  callerOverview(functionId: number, keyId?: number | null): CallerOverview;
  /** Case-only twins and near names of `name`, among all names. */
  similarNames(name: string): SimilarNames;
  deletePreview(kind: 'function' | 'group' | 'key', id: number): DeletePreview;
}

export interface RotationService {
  status(): RotationStatus;
  rotateNow(): Promise<RotationResult>;
  setInterval(days: number): RotationStatus;
  /** Checks now and then periodically whether a rotation is due. */
  startScheduler(checkEveryMs?: number): void;
  stopScheduler(): void;
  onProgress(listener: (p: { done: number; total: number }) => void): () => void;
  onFinished(listener: (r: { ok: true; result: RotationResult } | { ok: false; message: string }) => void): () => void;
}

export interface SettingsService {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
}

export interface NewExecution {
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
  console: ExecutionLogEntry['console'];
  error: string | null;
  trace: ExecutionLogEntry['trace'];
}

export interface ExecutionLog {
  /** Appends one entry and trims that function's log to the retention setting. */
  record(entry: NewExecution): ExecutionLogEntry;
  list(functionId: number, limit?: number): ExecutionLogEntry[];
}

export interface AuditService {
  list(filter?: AuditFilter, limit?: number, beforeId?: number): { entries: AuditEntry[]; total: number };
  verify(): AuditChainStatus;
  /** JSON lines, oldest first. */
  exportLines(filter?: AuditFilter): string;
  append(entry: NewAuditEntry): void;
  /** Applies the retention now (it also runs every few hundred entries). */
  trim(): void;
}

export interface BackupService {
  create(passphrase: string): { fileName: string; content: string; createdAt: string };
  status(): BackupStatus;
}

export interface ChangeService {
  /** What a change would do to callers' answers; nothing is written. */
  preview(change: ProposedChange): WhatIfPreview;
}

/** The Crude Functions servers to sync with; their management keys never leave core. */
export interface ServerService {
  list(): ServerConnection[];
  get(id: number): ServerConnection;
  create(input: { name: string; url: string; key: string }): ServerConnection;
  /** A new name or URL keeps the key (re-encrypted); `key` replaces it. */
  update(input: { id: number; name?: string; url?: string; key?: string }): ServerConnection;
  delete(id: number): void;
}

/** Sync with a server: network calls with timeouts; every error names the server and the call. */
export interface SyncService {
  test(serverId: number): Promise<ServerCheck>;
  /** The pull preview and the diff: every record and every caller's answer, here against the server. */
  compare(serverId: number, opts?: { name?: string }): Promise<SyncComparison>;
  /** A value as the server sent it for a comparison (an audited disclosure). */
  reveal(snapshotId: string, ref: string, purpose?: 'reveal' | 'copy'): string;
  /** Applies the chosen records of a comparison in one transaction. */
  pull(serverId: number, snapshotId: string, refs: string[]): PullResult;
  pushPreview(serverId: number, refs: string[]): Promise<PushPlan>;
  /** `serverName`: the operator's confirmation, which must name the server. */
  push(serverId: number, planId: string, serverName: string): Promise<PushResult>;
}

export interface Core {
  paths: DataPaths;
  servers: ServerService;
  sync: SyncService;
  audit: AuditService;
  changes: ChangeService;
  backups: BackupService;
  groups: GroupService;
  keys: KeyService;
  functions: FunctionService;
  code: CodeService;
  secrets: SecretService;
  rotation: RotationService;
  /** File protection or the OS keychain for the key file, and the recovery kit. */
  keyProtection: KeyProtectionService;
  settings: SettingsService;
  executions: ExecutionLog;
  /** The workspace report: undefined reads, unread and shadowed secrets, case twins, rotation. */
  health(): HealthReport;
  /** True the first time this data directory was opened (examples were seeded). */
  firstStart: boolean;
  close(): void;
}
