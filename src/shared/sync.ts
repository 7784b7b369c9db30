// Sync with a Crude Functions server: the shapes the contract's servers.* and sync.*
// operations answer with, and the rules a server connection follows. Plain data only.
import type { Scope } from './types';

/** A configured server (staging, production…). Its management key is never sent back. */
export interface ServerConnection {
  id: number;
  name: string;
  /** The management API's base URL, e.g. https://functions.example.com:9000 */
  url: string;
  /** True when the key would travel unencrypted: http:// to a host other than this machine. */
  insecure: boolean;
  createdAt: string;
  updatedAt: string;
  lastPulledAt: string | null;
  lastPushedAt: string | null;
  /** Set when the stored key cannot be decrypted (its row was edited outside the app): enter the key again. */
  keyProblem?: string;
}

/** What "Test connection" found on the server. */
export interface ServerCheck {
  server: { id: number; name: string; url: string };
  functions: number;
  groups: number;
  keys: number;
  secrets: number;
  sources: number;
  rotation: { currentVersion: string; lastRotationAt: string; isInProgress: boolean };
}

export type SyncRecordKind = 'group' | 'key' | 'function' | 'file' | 'secret';

/**
 * One record compared by name (function name, group name, key name within its group,
 * file path, secret scope + record + name). Values are never included: lengths give an
 * honest mask, ids and refs let the operator reveal one.
 */
export interface SyncRow {
  /** Stable id of the record on both sides; what selections name. */
  ref: string;
  kind: SyncRecordKind;
  label: string;
  /** Where it exists: on both sides (then `changed` says what differs), only on the server, only here. */
  presence: 'both' | 'server' | 'local';
  /** Fields that differ ("value", "route"…); empty when only one side has it. */
  changed: string[];
  secret?: { name: string; scope: Scope; owner: string | null };
  /** The local record (its id reveals the value: secrets.reveal / keys.reveal) and the server's value length. */
  local?: { id: number; valueLength?: number };
  server?: { valueLength?: number };
  /** Records that must exist first on the side that receives this one. */
  requires: string[];
  /** Why it cannot be pulled: a rule of this app it breaks, or what the server could not give. */
  pullProblem?: string;
  /** Why it cannot be pushed: a rule of the server it breaks. */
  pushProblem?: string;
  /** Worth knowing before choosing it (left unticked by default). */
  warning?: string;
}

/** What one caller's `ctx.getSecret(name)` answers on one side. */
export type WinnerAnswer = { refused: true } | { refused?: false; scope: Scope | null; valueLength: number | null; secretId?: number; ref?: string };

/** A (function, caller, name) whose answer is not the same here and there. */
export interface WinnerDiff {
  functionName: string;
  /** null: the call without a key (a public function). */
  caller: { group: string; key: string } | null;
  /** null when the caller is refused on one side only. */
  name: string | null;
  local: WinnerAnswer;
  server: WinnerAnswer;
}

export interface SyncComparison {
  /** The server's answers are kept in memory under this id for a while: pull applies exactly them, reveal reads them. */
  snapshotId: string;
  server: { id: number; name: string; url: string };
  fetchedAt: string;
  /** Records that differ or exist on one side only. */
  rows: SyncRow[];
  /** Records equal on both sides. */
  unchanged: number;
  winners: {
    /** (function, caller, name) answers compared. */
    compared: number;
    differing: number;
    /** The first of them (at most 500). */
    rows: WinnerDiff[];
  };
  /** Things of the server not compared (binary files, a secret of a record the server did not list…). */
  notes: string[];
}

export interface PullResult {
  server: { id: number; name: string };
  applied: Record<SyncRecordKind, number>;
  /** Selected records that were already equal (changed here since the preview). */
  unchanged: number;
  summary: string;
}

export interface PushStep {
  ref: string;
  kind: SyncRecordKind | 'source';
  label: string;
  action: 'create' | 'update' | 'delete';
  /** The server call, e.g. "POST /api/secrets". */
  call: string;
  changed: string[];
}

/** Which (function, caller) pairs on the server will read another value after the push. */
export interface ServerWhatIf {
  affected: number;
  refused: number;
  pairs: {
    functionName: string;
    caller: { group: string; key: string } | null;
    name: string | null;
    before: Scope | null;
    after: Scope | null;
    valueChanges: boolean;
    refused?: true;
  }[];
  summary: string;
}

export interface PushPlan {
  planId: string;
  server: { id: number; name: string; url: string };
  steps: PushStep[];
  whatIf: ServerWhatIf;
  /** Selected records that cannot be pushed, and why; they are left out of the steps. */
  problems: { ref: string; label: string; message: string }[];
}

export interface PushOutcome {
  ref: string;
  label: string;
  action: PushStep['action'];
  status: 'done' | 'failed' | 'skipped';
  message?: string;
}

export interface PushResult {
  server: { id: number; name: string; url: string };
  outcomes: PushOutcome[];
  done: number;
  failed: number;
  skipped: number;
  summary: string;
}

export const MAX_SERVER_NAME_LENGTH = 64;
export const MAX_SERVER_URL_LENGTH = 500;

export function serverNameProblem(name: string): string | null {
  if (name.trim().length === 0) return 'Server name is required.';
  if (name.length > MAX_SERVER_NAME_LENGTH) return `Server name is longer than ${MAX_SERVER_NAME_LENGTH} characters.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/.test(name)) return 'Server name may contain letters, digits, spaces, ".", "_" and "-", and starts with a letter or digit.';
  return null;
}

/**
 * Why `url` cannot be a server's management URL, or null. No user name or password in
 * it (the key travels in a header, never in a URL), no query or fragment.
 */
export function serverUrlProblem(url: string): string | null {
  if (url.trim().length === 0) return 'Server URL is required.';
  if (url.length > MAX_SERVER_URL_LENGTH) return `Server URL is longer than ${MAX_SERVER_URL_LENGTH} characters.`;
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return 'Server URL must be a full URL such as https://functions.example.com:9000';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Server URL must start with https:// (or http://).';
  if (u.username || u.password) return 'Server URL may not contain a user name or password: the management key is entered separately.';
  if (u.search || u.hash || url.includes('?') || url.includes('#')) return 'Server URL may not have a query (?…) or fragment (#…).';
  return null;
}

/** The URL as stored: origin and path, without a trailing slash. */
export function normaliseServerUrl(url: string): string {
  const u = new URL(url.trim());
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.origin}${path}`;
}

/** The platform's rule for API key values, which management keys are too. */
export function managementKeyProblem(key: string): string | null {
  if (key.length === 0) return 'Management key is required.';
  if (key.length > 512) return 'Management key is longer than 512 characters.';
  if (!/^[a-zA-Z0-9_-]+$/.test(key)) return 'Management key may contain only letters, digits, "_" and "-" (the platform\'s rule for key values).';
  return null;
}

/** True when the key would cross the network unencrypted. */
export function isInsecureServerUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:') return false;
    const h = u.hostname.replace(/^\[|\]$/g, '');
    return !(h === 'localhost' || h === '::1' || /^127\./.test(h));
  } catch {
    return false;
  }
}
