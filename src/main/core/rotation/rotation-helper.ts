import { Worker } from 'node:worker_threads';
import type { KeyFile } from '../crypto/key-file';
import { workerScript } from '../workers/worker-script';
import type { BoundValues } from './reencrypt';

export interface HelperData {
  current: { version: string; key: Uint8Array };
  others: { version: string; key: Uint8Array }[];
}
export interface HelperRequest {
  id: number;
  page: BoundValues;
}
export interface HelperResponse {
  id: number;
  results: (string | null)[];
}

/** What a rotation needs of its helper: re-encrypt a page, or reject so main does it itself. */
export interface AesHelper {
  readonly usable: boolean;
  run(page: BoundValues): Promise<(string | null)[]>;
  close(): Promise<void>;
}

let scriptPath: string | null = null;

/**
 * A second thread for the AES work of a large rotation: main re-encrypts part of each page
 * while the helper does the rest, so the two cores share what is otherwise most of a
 * rotation's time (docs/benchmarks.md). If the helper fails, `run` rejects and the caller
 * does that part itself.
 */
export class RotationHelper implements AesHelper {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(r: (string | null)[]): void; reject(e: Error): void }>();
  private failed: Error | null = null;

  constructor(keys: KeyFile) {
    scriptPath ??= workerScript('rotation-worker', new URL('./rotation-worker.ts', import.meta.url));
    const data: HelperData = {
      current: { version: keys.currentVersion, key: new Uint8Array(keys.currentKey) },
      others: keys.phasedOutVersion && keys.phasedOutKey ? [{ version: keys.phasedOutVersion, key: new Uint8Array(keys.phasedOutKey) }] : [],
    };
    this.worker = new Worker(scriptPath, { workerData: data, env: {}, execArgv: [] });
    this.worker.on('message', (m: HelperResponse) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.results);
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`rotation helper exited (${code})`)));
  }

  get usable(): boolean {
    return this.failed === null;
  }

  run(page: BoundValues): Promise<(string | null)[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, page } satisfies HelperRequest);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
