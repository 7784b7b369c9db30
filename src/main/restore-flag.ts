// `--restore FILE`, shared by both shells: the backup is written into the fresh data
// folder before the services open it. The passphrase comes from CRUDE_BACKUP_PASSPHRASE (scripts, tests), or
// asked on the terminal without echoing it. Never from an argument: argv is visible to
// every user of the machine (ps) and lands in shell history.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from './cli-args';
import { dataPaths } from './core';
import { restoreIntoFreshDataDir } from './core/backup';

/** Restores `file` into `dataDir`; returns the line to tell the operator. */
export async function restoreFromFlag(file: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--restore could not read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const { restoredFrom } = restoreIntoFreshDataDir(dataPaths(dataDir), text, await backupPassphrase(env));
  return `Restored the backup made ${restoredFrom} into ${dataDir}.`;
}

export async function backupPassphrase(env: NodeJS.ProcessEnv, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  const fromEnv = env.CRUDE_BACKUP_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!input.isTTY) throw new CliError('--restore needs the backup passphrase: set CRUDE_BACKUP_PASSPHRASE, or run in a terminal to be asked for it.');
  output.write('Backup passphrase: ');
  const rl = createInterface({ input, output, terminal: true });
  // Echo nothing while the passphrase is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    output.write('\n');
  }
}
