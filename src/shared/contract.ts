// The one contract: every operation the UI or a script can perform, declared once
// with its input schema and result type. The Electron IPC transport, the HTTP /rpc
// transport, the preload client and the browser client are all derived from it.
import { z } from 'zod';
import {
  HTTP_METHODS,
  SCOPES_BY_PRECEDENCE,
  type ApiKey,
  type ApiKeyGroup,
  type AuditChainStatus,
  type AuditEntry,
  type CompleteSecret,
  type BackupStatus,
  type DeletedSecret,
  type ImportRow,
  type SecretVersion,
  type WhatIfPreview,
  type ConsoleEntry,
  type DeletePreview,
  type ExecutionLogEntry,
  type FunctionDef,
  type HandlerPhase,
  type HostStatus,
  type KeyProtectionStatus,
  type RotationResult,
  type RotationStatus,
  type SecretAccess,
  type SecretExplanation,
  type SecretInspection,
  type SecretSummary,
  type Settings,
  type Scope,
} from './types';
import {
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_LOCAL_HOSTS,
  corsProblem,
  groupNameProblem,
  handlerPathProblem,
  keyNameProblem,
  keyValueProblem,
  localTargetProblem,
  recordNameProblem,
  routeProblem,
  secretNameProblem,
  secretValueProblem,
} from './rules';
import type { Navigation } from './deep-link';
import {
  managementKeyProblem,
  serverNameProblem,
  serverUrlProblem,
  type PullResult,
  type PushPlan,
  type PushResult,
  type ServerCheck,
  type ServerConnection,
  type SyncComparison,
} from './sync';

/** Turns a rule's `problem()` function into a zod refinement with the same message. */
function ruled(problem: (v: string) => string | null) {
  return z.string().superRefine((v, ctx) => {
    const p = problem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  });
}

const id = z.number().int().positive();
const text = z.string().max(MAX_TEXT_LENGTH);
const optionalText = text.nullable().optional();
const scope = z.enum(SCOPES_BY_PRECEDENCE);
const method = z.enum(HTTP_METHODS);
const secretName = ruled(secretNameProblem);
const secretValue = ruled(secretValueProblem);
const groupName = ruled(groupNameProblem);
const keyName = ruled(keyNameProblem);
// Names from before the platform's lowercase rule may still be passed back unchanged (core checks a new one).
const existingKeyName = ruled((v) => recordNameProblem('Key', v));
const keyValue = ruled(keyValueProblem);
const functionName = ruled((v) => recordNameProblem('Function', v));
const route = ruled(routeProblem);
const handlerPath = ruled(handlerPathProblem);
const codePath = z
  .string()
  .min(1, 'Path is required.')
  .max(512)
  .superRefine((v, ctx) => {
    if (v.includes('\u0000')) ctx.addIssue({ code: 'custom', message: 'Path may not contain a NUL character.' });
    else if (v.startsWith('/') || /^[a-zA-Z]:/.test(v) || v.split(/[\\/]/).some((p) => p === '..' || p === '')) {
      ctx.addIssue({ code: 'custom', message: 'Path must stay inside the code/ folder (relative, no "..").' });
    }
  });
const methods = z.array(method).min(1, 'Choose at least one HTTP method.').max(HTTP_METHODS.length);
const corsConfig = z
  .object({
    origins: z.array(z.string().max(300)).max(50),
    credentials: z.boolean().optional(),
    maxAge: z.number().int().optional(),
    allowHeaders: z.array(z.string().max(100)).max(50).optional(),
    exposeHeaders: z.array(z.string().max(100)).max(50).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const p = corsProblem(v);
    if (p) ctx.addIssue({ code: 'custom', message: p.message, path: p.field.split('.').slice(1) });
  });
const empty = z.object({}).strict();
const disclosure = z.enum(['reveal', 'copy']);
const fileFormat = z.enum(['env', 'json']);
const importEntries = z.array(z.object({ name: secretName, value: secretValue }).strict()).max(10_000);
const proposedChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('secret.create'), name: secretName, scope, scopeId: id.nullable().optional() }).strict(),
  z.object({ kind: z.literal('secret.update'), id, name: secretName.optional(), value: secretValue.optional() }).strict(),
  z.object({ kind: z.literal('secret.delete'), id }).strict(),
  z.object({ kind: z.literal('secret.restore'), versionId: id }).strict(),
  z.object({ kind: z.literal('key.delete'), id }).strict(),
  z.object({ kind: z.literal('group.delete'), id }).strict(),
  z.object({ kind: z.literal('secrets.import'), scope, scopeId: id.nullable().optional(), entries: importEntries }).strict(),
]);
const auditFilter = z.object({
  recordKind: z.enum(['secret', 'key', 'group', 'function', 'server']).optional(),
  recordId: id.optional(),
  scope: scope.optional(),
  scopeId: id.optional(),
  action: z.string().max(40).optional(),
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  text: z.string().max(200).optional(),
});
const byId = z.object({ id }).strict();
const serverName = ruled(serverNameProblem);
const serverUrl = ruled(serverUrlProblem);
// Its problems never quote it.
const managementKey = ruled(managementKeyProblem);
const syncRef = z.string().min(1).max(2000);
const syncRefs = z.array(syncRef).max(100_000);
const keptId = z.string().min(1).max(100);

interface OperationSpec<I extends z.ZodType, R> {
  input: I;
  /** Phantom: carries the result type; never read at run time. */
  result?: R;
  /** Changes stored data (the transports use this for logging and write gating). */
  mutates: boolean;
}

function query<R>() {
  return <I extends z.ZodType>(input: I): OperationSpec<I, R> => ({ input, mutates: false });
}
function command<R>() {
  return <I extends z.ZodType>(input: I): OperationSpec<I, R> => ({ input, mutates: true });
}

export interface InvokeResult {
  requestId: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the body was cut to keep the UI responsive. */
  bodyTruncated: boolean;
  durationMs: number;
  console: ConsoleEntry[];
  trace: SecretAccess[];
  error: string | null;
}

export interface SecretResolution {
  name: string;
  scope: Scope | null;
  /** Present only when a scope answered. */
  value?: string;
}

export interface MatrixCell {
  functionId: number;
  keyId: number | null;
  winner: Scope | null;
}

export interface ResolutionMatrix {
  name: string;
  /** Functions and keys that match the filters; `functions` and `columns` hold the first of them (the window). */
  totalFunctions: number;
  totalKeys: number;
  functions: { id: number; name: string; groupIds: number[] }[];
  /** Columns: "no key" first (keyId null), then keys grouped by group. */
  columns: { keyId: number | null; keyName: string | null; groupId: number | null; groupName: string | null }[];
  /** cells[functionIndex][columnIndex]: the scope the handler's getSecret gets for that caller. */
  cells: (Scope | null)[][];
  /** denied[functionIndex][columnIndex]: that caller is refused (401) before the handler runs. */
  denied: boolean[][];
}

export interface FunctionSecretUse {
  name: string;
  calls: ('getSecret' | 'getCompleteSecret')[];
  /** Scope requested explicitly in the code, when a literal one was passed. */
  requestedScopes: Scope[];
  definedAt: { scope: Scope; recordName: string | null; scopeId: number | null }[];
  /** Callers (API keys, or "no key" for public functions) that would get `undefined`. */
  missingFor: { keyId: number | null; keyName: string | null; groupName: string | null }[];
  status: 'defined' | 'partial' | 'missing';
}

/** A ctx.getSecret / getCompleteSecret call whose name is not a string literal: the static scan cannot check it. */
export interface ComputedSecretCall {
  call: 'getSecret' | 'getCompleteSecret';
  line: number;
  column: number;
  /** The call as written, cut to one line. */
  text: string;
}

/** One problem `deno check` found in a handler file or a local file it imports. */
export interface CodeDiagnostic {
  /** Path relative to code/. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** Syntax and load problems stop the handler from loading (error); type errors do not (warning). */
  severity: 'error' | 'warning';
  source: 'syntax' | 'load' | 'type';
}

export interface CodeCheck {
  diagnostics: CodeDiagnostic[];
  /** False when types could not be checked (a syntax error first, uncached imports, no Deno, a timeout). */
  typeChecked: boolean;
  /** Why the check is incomplete, when it is. */
  note?: string;
}

/** Where one definition of a secret is overridden: for how many of the callers it reaches, and by which records. */
export interface SecretOverride {
  name: string;
  /** Callers (function × key, or no key) whose chain includes this definition. */
  reached: number;
  /** Of those, the callers for which a more specific scope wins. */
  overridden: number;
  overriddenBy: { scope: Scope; scopeId: number | null; recordName: string | null; groupName: string | null; callers: number }[];
}

/** A name a scope does not define but inherits from a less specific one. */
export interface InheritedSecret {
  name: string;
  secretId: number;
  from: Scope;
  fromScopeId: number | null;
  fromRecordName: string | null;
  comment: string | null;
  updatedAt: string;
}

/** Every secret one caller can see: rows = names, the scopes defining each (secret ids), the winner. */
export interface CallerOverview {
  functionId: number;
  functionName: string;
  keyId: number | null;
  keyName: string | null;
  groupId: number | null;
  groupName: string | null;
  /** False for a public function (it sees no key) or when no key was chosen. */
  keyApplies: boolean;
  note?: string;
  refused?: string;
  rows: { name: string; defined: Partial<Record<Scope, number>>; winner: Scope }[];
}

export interface SimilarNames {
  /** Names equal but for case: a different secret (names are case-sensitive), usually by mistake. */
  caseTwins: string[];
  /** Names one or two edits away, for "did you mean". */
  near: string[];
}

export interface HealthCaller {
  keyId: number | null;
  keyName: string | null;
  groupName: string | null;
}

/** The workspace report: what to fix before a deploy. */
export interface HealthReport {
  generatedAt: string;
  totals: { functions: number; names: number; namesRead: number };
  /** A name a handler reads (in its code or in its log) that some of its callers get undefined for. */
  undefinedReads: { functionId: number; functionName: string; name: string; seenIn: ('code' | 'log')[]; callers: number; missingFor: HealthCaller[] }[];
  /** Handlers whose code reads names the scan cannot see. */
  computedReads: { functionId: number; functionName: string; count: number }[];
  /** Names no handler reads, in its code or in its log: candidates to delete. */
  unreadSecrets: { name: string; definitions: number; scopes: Scope[] }[];
  /** Definitions that never answer: shadowed for every caller they reach, or reaching no caller. */
  shadowed: {
    name: string;
    secretId: number;
    scope: Scope;
    scopeId: number | null;
    recordName: string | null;
    reached: number;
    reason: 'shadowed' | 'no-caller';
    by: SecretOverride['overriddenBy'];
  }[];
  caseTwins: string[][];
  rotation: { lastRotationAt: string; nextRotationDue: string; intervalDays: number; overdue: boolean };
}

export interface CodeFile {
  path: string;
  size: number;
  modifiedAt: string;
}

export interface AppInfo {
  mode: 'electron' | 'browser';
  version: string;
  dataDir: string;
  databaseFile: string;
  keyFile: string;
  codeDir: string;
}

export const contract = {
  'app.info': query<AppInfo>()(empty),

  'groups.list': query<ApiKeyGroup[]>()(empty),
  'groups.create': command<ApiKeyGroup>()(
    z.object({ name: groupName, description: optionalText }).strict(),
  ),
  'groups.update': command<ApiKeyGroup>()(
    z.object({ id, name: groupName.optional(), description: optionalText }).strict(),
  ),
  'groups.delete': command<DeletePreview>()(byId),

  'keys.list': query<ApiKey[]>()(z.object({ groupId: id.optional() }).strict()),
  // `value`: one the operator chose (the platform's rule, [a-zA-Z0-9_-]+); left out, one is generated.
  'keys.create': command<ApiKey & { value: string }>()(
    z.object({ groupId: id, name: keyName, description: optionalText, value: keyValue.optional() }).strict(),
  ),
  'keys.update': command<ApiKey>()(
    z.object({ id, name: existingKeyName.optional(), description: optionalText }).strict(),
  ),
  'keys.delete': command<DeletePreview>()(byId),
  // Reveal and copy are disclosures: the audit log records which, and by whom.
  'keys.reveal': query<{ id: number; value: string }>()(z.object({ id, purpose: disclosure.optional() }).strict()),

  'functions.list': query<FunctionDef[]>()(empty),
  'functions.get': query<FunctionDef>()(byId),
  'functions.create': command<FunctionDef>()(
    z
      .object({
        name: functionName,
        route,
        methods,
        handler: handlerPath,
        groupIds: z.array(id).max(100).optional(),
        description: optionalText,
        enabled: z.boolean().optional(),
        cors: corsConfig.nullable().optional(),
      })
      .strict(),
  ),
  'functions.update': command<FunctionDef>()(
    z
      .object({
        id,
        name: functionName.optional(),
        route: route.optional(),
        methods: methods.optional(),
        handler: handlerPath.optional(),
        groupIds: z.array(id).max(100).optional(),
        description: optionalText,
        enabled: z.boolean().optional(),
        cors: corsConfig.nullable().optional(),
      })
      .strict(),
  ),
  'functions.delete': command<DeletePreview>()(byId),
  'functions.setEnabled': command<FunctionDef>()(z.object({ id, enabled: z.boolean() }).strict()),
  'functions.logs': query<ExecutionLogEntry[]>()(
    z.object({ functionId: id, limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'functions.invoke': command<InvokeResult>()(
    z
      .object({
        functionId: id,
        method: method.optional(),
        /** Path below /run, e.g. "/users/42"; defaults to the route with no parameters filled. */
        path: z.string().max(2048).optional(),
        query: z.record(z.string().max(256), z.string().max(4096)).optional(),
        headers: z.record(z.string().max(256), z.string().max(8192)).optional(),
        body: z.string().max(1024 * 1024).optional(),
        keyId: id.nullable().optional(),
      })
      .strict(),
  ),
  'functions.secretUses': query<FunctionSecretUse[]>()(z.object({ functionId: id }).strict()),
  'functions.computedSecretCalls': query<ComputedSecretCall[]>()(z.object({ functionId: id }).strict()),

  'code.list': query<CodeFile[]>()(empty),
  /** Parses and type-checks a handler file with Deno; never runs it. */
  'code.check': query<CodeCheck>()(z.object({ path: codePath }).strict()),
  'code.read': query<{ path: string; content: string }>()(z.object({ path: codePath }).strict()),
  'code.write': command<CodeFile>()(
    z.object({ path: codePath, content: z.string().max(1024 * 1024) }).strict(),
  ),
  'code.delete': command<{ path: string }>()(z.object({ path: codePath }).strict()),

  // `limit`: only the first secrets by name, so a screen can show its first rows before the rest arrive.
  'secrets.list': query<SecretSummary[]>()(z.object({ scope, scopeId: id.nullable().optional(), limit: id.optional() }).strict()),
  'secrets.create': command<SecretSummary>()(
    z
      .object({
        name: secretName,
        value: secretValue,
        scope,
        scopeId: id.nullable().optional(),
        comment: optionalText,
      })
      .strict(),
  ),
  'secrets.update': command<SecretSummary>()(
    z.object({ id, name: secretName.optional(), value: secretValue.optional(), comment: optionalText }).strict(),
  ),
  'secrets.delete': command<{ id: number }>()(byId),
  'secrets.reveal': query<{ id: number; value: string }>()(z.object({ id, purpose: disclosure.optional() }).strict()),
  /** A secret's versions, newest first (values masked), by its id or by its place. */
  'secrets.history': query<SecretVersion[]>()(
    z.union([z.object({ id }).strict(), z.object({ scope, scopeId: id.nullable().optional(), name: secretName }).strict()]),
  ),
  'secrets.revealVersion': query<{ versionId: number; value: string }>()(z.object({ versionId: id, purpose: disclosure.optional() }).strict()),
  /** Secrets of one scope that were deleted and can still be restored. */
  'secrets.deleted': query<DeletedSecret[]>()(z.object({ scope, scopeId: id.nullable().optional() }).strict()),
  /** Makes a version the current value again (a new version); a deleted secret comes back. */
  'secrets.restore': command<SecretSummary>()(z.object({ versionId: id }).strict()),

  /** What importing a .env or JSON file into a scope would do, line by line; nothing is written. */
  'secrets.importPreview': query<{ rows: ImportRow[]; whatIf: WhatIfPreview }>()(
    z.object({ scope, scopeId: id.nullable().optional(), format: fileFormat, text: z.string().max(2 * 1024 * 1024) }).strict(),
  ),
  /** Writes the picked entries of an import in one transaction. */
  'secrets.import': command<{ created: number; updated: number; unchanged: number }>()(
    z.object({ scope, scopeId: id.nullable().optional(), entries: importEntries }).strict(),
  ),
  /** One scope as a .env or JSON file of plaintext values (the UI confirms first; audited). */
  'secrets.export': query<{ fileName: string; text: string; count: number; unreadable: string[] }>()(
    z.object({ scope, scopeId: id.nullable().optional(), format: fileFormat }).strict(),
  ),

  /** What a change would do, before it is made: which callers read a different value, or are refused. */
  'changes.preview': query<WhatIfPreview>()(z.object({ change: proposedChange }).strict()),

  /** The whole installation sealed under a passphrase, as the text of a .cfbackup file. */
  'backup.create': command<{ fileName: string; content: string; createdAt: string }>()(z.object({ passphrase: z.string().max(1024) }).strict()),
  'backup.status': query<BackupStatus>()(empty),
  /**
   * Replaces this installation with a backup's: the current data is moved aside into the
   * data folder (never deleted), the backup written, the app reopened on it.
   */
  'backup.restore': command<{ restoredFrom: string; previousDataKeptIn: string }>()(
    z.object({ content: z.string().max(256 * 1024 * 1024), passphrase: z.string().max(1024) }).strict(),
  ),

  'audit.list': query<{ entries: AuditEntry[]; total: number; chain: AuditChainStatus }>()(
    auditFilter.extend({ limit: z.number().int().min(1).max(1000).optional(), beforeId: id.optional() }).strict(),
  ),
  /** The matching entries as JSON lines (oldest first), for a file. */
  'audit.export': query<{ fileName: string; jsonl: string; entries: number }>()(auditFilter.strict()),
  'secrets.names': query<string[]>()(z.object({ query: z.string().max(MAX_NAME_LENGTH).optional() }).strict()),
  'secrets.inspect': query<SecretInspection>()(z.object({ name: secretName }).strict()),
  'secrets.explain': query<SecretExplanation>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional() }).strict(),
  ),
  'secrets.resolve': query<SecretResolution>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional(), scope: scope.optional() }).strict(),
  ),
  'secrets.complete': query<CompleteSecret | null>()(
    z.object({ name: secretName, functionId: id, keyId: id.nullable().optional() }).strict(),
  ),
  'secrets.matrix': query<ResolutionMatrix>()(
    z
      .object({
        name: secretName,
        /** Case-insensitive substring of the function's name. */
        functionFilter: z.string().max(200).optional(),
        /** Case-insensitive substring of "<group> <key>". */
        keyFilter: z.string().max(200).optional(),
        /** The window: at most this many functions (rows) and keys (columns besides "no key"). */
        maxFunctions: z.number().int().min(1).max(100_000).optional(),
        maxKeys: z.number().int().min(1).max(100_000).optional(),
        /** Leave out keys that no function in the filter accepts (they are refused everywhere). */
        acceptedOnly: z.boolean().optional(),
      })
      .strict(),
  ),
  'secrets.overrides': query<SecretOverride[]>()(z.object({ scope, scopeId: id.nullable().optional() }).strict()),
  'secrets.inherited': query<InheritedSecret[]>()(z.object({ scope, scopeId: id.nullable().optional() }).strict()),
  'secrets.callerOverview': query<CallerOverview>()(z.object({ functionId: id, keyId: id.nullable().optional() }).strict()),
  'secrets.similarNames': query<SimilarNames>()(z.object({ name: secretName }).strict()),
  'secrets.deletePreview': query<DeletePreview>()(
    z.object({ kind: z.enum(['function', 'group', 'key']), id }).strict(),
  ),

  'rotation.status': query<RotationStatus>()(empty),
  'rotation.rotateNow': command<RotationResult>()(empty),
  'rotation.setInterval': command<RotationStatus>()(
    z.object({ days: z.number().int().min(1).max(3650) }).strict(),
  ),

  /**
   * How the keys in the key file are guarded (file permissions, or the OS keychain), what
   * this machine offers, and whether a current recovery kit exists.
   */
  'keyProtection.status': query<KeyProtectionStatus>()(empty),
  /**
   * Switches key protection: the key file is rewritten in the other form, atomically (the
   * old form stays until the new one is on disk). 'keychain' needs the OS keychain (the
   * desktop app, not the basic_text backend).
   */
  'keyProtection.set': command<KeyProtectionStatus>()(z.object({ protection: z.enum(['file', 'keychain']) }).strict()),
  /**
   * The keys sealed under a passphrase (as a backup is), as the text of a .cfkeys file:
   * how keychain-wrapped keys can move to another machine (--restore-keys FILE).
   */
  'recoveryKit.create': command<{ fileName: string; content: string; createdAt: string }>()(z.object({ passphrase: z.string().max(1024) }).strict()),

  'host.status': query<HostStatus>()(empty),

  // Crude Functions servers. The management key goes in once and never comes back out.
  'servers.list': query<ServerConnection[]>()(empty),
  'servers.create': command<ServerConnection>()(z.object({ name: serverName, url: serverUrl, key: managementKey }).strict()),
  'servers.update': command<ServerConnection>()(
    z.object({ id, name: serverName.optional(), url: serverUrl.optional(), key: managementKey.optional() }).strict(),
  ),
  'servers.delete': command<{ id: number }>()(byId),
  /** Calls the server: its rotation status and record counts, or an error naming the call that failed. */
  'servers.test': query<ServerCheck>()(byId),
  /**
   * The pull preview and the diff: every record here against the server's (by name), and
   * every function × caller's getSecret answer on both sides; with `name`, that secret's only.
   */
  'sync.compare': query<SyncComparison>()(z.object({ serverId: id, name: secretName.optional() }).strict()),
  /** A server value from a comparison (an audited disclosure). */
  'sync.reveal': query<{ value: string }>()(z.object({ snapshotId: keptId, ref: syncRef, purpose: disclosure.optional() }).strict()),
  /** Applies the chosen records of a comparison, in one transaction (all or nothing). */
  'sync.pull': command<PullResult>()(z.object({ serverId: id, snapshotId: keptId, refs: syncRefs.min(1, 'Choose at least one record to pull.') }).strict()),
  /** Reads the server again and plans pushing the chosen records, with what it does to the server's callers. */
  'sync.pushPreview': query<PushPlan>()(z.object({ serverId: id, refs: syncRefs.min(1, 'Choose at least one record to push.') }).strict()),
  /** Runs a planned push; `serverName` is the confirmation and must name the server. Outcomes per record. */
  'sync.push': command<PushResult>()(z.object({ serverId: id, planId: keptId, serverName: z.string().max(200) }).strict()),

  'health.report': query<HealthReport>()(empty),

  'settings.get': query<Settings>()(empty),
  'settings.set': command<Settings>()(
    z
      .object({
        rotationIntervalDays: z.number().int().min(1).max(3650).optional(),
        hostPort: z.number().int().min(0).max(65535).optional(),
        logRetention: z.number().int().min(1).max(100000).optional(),
        requestTimeoutMs: z.number().int().min(100).max(600000).optional(),
        handlerMemoryMb: z.number().int().min(64).max(8192).optional(),
        handlerLocalHosts: z.array(ruled(localTargetProblem)).max(MAX_LOCAL_HOSTS).optional(),
        historyKeepVersions: z.number().int().min(1).max(1000).optional(),
        historyKeepDays: z.number().int().min(0).max(3650).optional(),
        auditRetention: z.number().int().min(100).max(10_000_000).optional(),
        backupReminderDays: z.number().int().min(0).max(365).optional(),
      })
      .strict(),
  ),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<K extends OperationName> = z.input<Contract[K]['input']>;
export type OperationParsedInput<K extends OperationName> = z.output<Contract[K]['input']>;
export type OperationResult<K extends OperationName> = Exclude<Contract[K]['result'], undefined>;

export const operationNames = Object.keys(contract) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events main pushes to the renderer. */
export interface ContractEvents {
  'rotation.progress': { done: number; total: number };
  'rotation.finished': { ok: true; result: RotationResult } | { ok: false; message: string };
  'executions.new': { functionId: number; requestId: string; status: number };
  'host.status': HostStatus;
  /** A function's handler process changed phase: fetching dependencies, starting, ready… */
  'functions.runtime': { functionId: number; phase: HandlerPhase };
  'data.changed': { operation: OperationName };
  /**
   * A deep link (crude-functions://…) reached the running app: open `route` (a URL
   * fragment such as `#/inspect?name=LOG_LEVEL&function=notify`, see shared/deep-link.ts),
   * or show `notice` for a link that was refused. Electron only. A link that starts the
   * app opens the window at its route instead (location.hash); a refused one's notice is
   * sent once the page has loaded.
   */
  'app.navigate': Navigation;
}
export type EventName = keyof ContractEvents;
export const eventNames: EventName[] = [
  'rotation.progress',
  'rotation.finished',
  'executions.new',
  'host.status',
  'functions.runtime',
  'data.changed',
  'app.navigate',
];

type Namespace<K> = K extends `${infer N}.${string}` ? N : never;
type Method<K, N extends string> = K extends `${N}.${infer M}` ? M : never;

/** The typed client `window.crude` exposes: `crude.secrets.list({ scope: 'global' })`. */
export type CrudeClient = {
  [N in Namespace<OperationName>]: {
    [K in OperationName as Method<K, N>]: (input: OperationInput<K>) => Promise<OperationResult<K>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
};

/** The shape every transport answers with. */
export type RpcResponse<T> = { ok: true; data: T } | { ok: false; error: import('./types').AppErrorShape };

// The client built on this contract (window.crude) and RpcError live in client.ts, which
// imports only types from here, so the renderer and preload never evaluate zod.
