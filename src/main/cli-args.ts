// Command-line options shared by the Electron shell and browser mode. Electron and
// Chromium add switches of their own, so unknown arguments are ignored, not refused.

export interface CliOptions {
  dataDir?: string;
  port?: number;
  hostPort?: number;
  /** A backup file to restore into the (fresh) data folder before starting. */
  restore?: string;
  /** A recovery kit (.cfkeys) whose keys are put next to the data folder's database before starting. */
  restoreKeys?: string;
}

export class CliError extends Error {
  override name = 'CliError';
}

function portValue(flag: string, raw: string | undefined): number {
  const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new CliError(`${flag} needs a port number from 0 to 65535 (0 = any free port), got "${raw ?? ''}".`);
  }
  return n;
}

/** Reads `--data-dir DIR`, `--port N`, `--host-port N`, `--restore FILE` and `--restore-keys FILE` (also `--flag=value`) from argv. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag !== '--data-dir' && flag !== '--port' && flag !== '--host-port' && flag !== '--restore' && flag !== '--restore-keys') continue;
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (flag === '--data-dir') {
      if (!value || value.startsWith('--')) throw new CliError('--data-dir needs a folder path.');
      options.dataDir = value;
    } else if (flag === '--restore') {
      if (!value || value.startsWith('--')) throw new CliError('--restore needs the path of a .cfbackup file.');
      options.restore = value;
    } else if (flag === '--restore-keys') {
      if (!value || value.startsWith('--')) throw new CliError('--restore-keys needs the path of a .cfkeys recovery kit.');
      options.restoreKeys = value;
    } else if (flag === '--port') {
      options.port = portValue(flag, value);
    } else {
      options.hostPort = portValue(flag, value);
    }
  }
  if (options.restore && options.restoreKeys) {
    throw new CliError('--restore and --restore-keys do not go together: a backup already carries its keys.');
  }
  return options;
}
