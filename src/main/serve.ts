// Browser mode: the same main-process services without Electron, the built renderer and
// the registry served on 127.0.0.1. Prints exactly one JSON line on stdout:
//   {"adminUrl":"http://127.0.0.1:PORT/","token":"...","functionsUrl":"...","dataDir":"..."}
// and one line for people on stderr with the URL to open (token in the fragment).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, parseCliArgs } from './cli-args';
import { defaultUserDataDir, resolveDataDir } from './data-dir';
import { isCoreError } from './core/errors';
import { newSessionToken, startHttpServer } from './api/http-transport';
import { restoreFromFlag, restoreKeysFromFlag } from './restore-flag';
import { startServices } from './services';

export const DEFAULT_ADMIN_PORT = 5174;

/** out/renderer next to out/main (built), or null when the renderer is not built. */
function findRendererDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '../renderer'), join(here, '../../out/renderer'), join(process.cwd(), 'out/renderer')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

async function main(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  const dataDir = resolveDataDir({
    flag: args.dataDir,
    env: process.env,
    userDataDir: () => defaultUserDataDir({ platform: process.platform, env: process.env, homedir: homedir() }),
  });
  if (args.restore) process.stderr.write(`${await restoreFromFlag(args.restore, dataDir, process.env)}\n`);
  const keysRestored = args.restoreKeys ? await restoreKeysFromFlag(args.restoreKeys, dataDir, process.env) : null;
  if (keysRestored) process.stderr.write(`${keysRestored.message}\n`);
  // No keychain here: a data folder whose keys the desktop app wrapped is refused, saying why.
  const services = await startServices({ dataDir, mode: 'browser', hostPort: args.hostPort });
  if (keysRestored) services.core.audit.append({ action: 'recovery-kit.restored', detail: { kitCreatedAt: keysRestored.restored.kitCreatedAt, keyVersion: keysRestored.restored.keyVersion } });
  const token = newSessionToken();
  let http;
  try {
    http = await startHttpServer({
      dispatch: services.dispatch,
      bus: services.bus,
      // Getters: a restored backup replaces core under the running server.
      core: { get keys() { return services.core.keys; }, get audit() { return services.core.audit; } },
      token,
      rendererDir: findRendererDir(),
      port: args.port ?? DEFAULT_ADMIN_PORT,
      fallbackToFree: args.port === undefined,
    });
  } catch (err) {
    await services.stop();
    throw err;
  }

  const hostStatus = services.host.status();
  const info = {
    adminUrl: http.url,
    token,
    functionsUrl: hostStatus.url ?? '',
    dataDir: services.core.paths.dataDir,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stderr.write(`Crude Functions Desktop (browser mode): open ${http.url}#token=${token}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await http.close();
      await services.stop();
    } catch (err) {
      process.stderr.write(`Shutdown after ${signal} was not clean: ${(err as Error).message}\n`);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof CliError || isCoreError(err)) {
    process.stderr.write(`${(err as Error).message}\n`);
  } else if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`The admin port is already in use: ${(err as Error).message}. Choose another with --port N (0 = any).\n`);
  } else {
    process.stderr.write(`Browser mode could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
