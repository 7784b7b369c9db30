import { afterEach } from 'vitest';
import { createFunctionHost, type FunctionHost, type FunctionHostOptions } from '../../src/main/core/host';
import type { Core } from '../../src/main/core/core-api';
import type { HttpMethod } from '../../src/shared/types';
import { tempCore } from '../support/temp-core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export interface HostWorld {
  core: Core;
  host: FunctionHost;
  base: string;
  /** Writes code/<file> and creates a function serving it. */
  fn(name: string, source: string, opts?: { route?: string; methods?: HttpMethod[]; groupIds?: number[] }): ReturnType<Core['functions']['create']>;
  get(path: string, init?: RequestInit): Promise<Response>;
}

/** A core on a temp data dir and a started host on an ephemeral port; both closed after the test. */
export async function hostWorld(options: FunctionHostOptions = {}, settings: Parameters<Core['settings']['set']>[0] = {}): Promise<HostWorld> {
  const t = tempCore();
  t.core.settings.set({ requestTimeoutMs: 5000, ...settings });
  const host = createFunctionHost(t.core, { port: 0, denoDir: process.env.CRUDE_TEST_DENO_DIR, ...options });
  const status = await host.start();
  if (!status.running) throw new Error(status.error);
  cleanups.push(async () => {
    await host.stop();
    t.cleanup();
  });
  return {
    core: t.core,
    host,
    base: status.url!,
    fn(name, source, opts = {}) {
      t.core.code.write(`${name}.ts`, source);
      return t.core.functions.create({
        name,
        route: opts.route ?? `/${name}`,
        methods: opts.methods ?? ['GET'],
        handler: `${name}.ts`,
        groupIds: opts.groupIds,
      });
    },
    get: (path, init) => fetch(`${status.url}${path}`, init),
  };
}
