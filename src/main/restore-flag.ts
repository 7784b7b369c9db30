// `--restore FILE` and `--restore-keys FILE`, shared by both shells: the backup (or the
// recovery kit's keys) is written into the data folder before the services open it. The
// passphrase comes from CRUDE_BACKUP_PASSPHRASE / CRUDE_RECOVERY_PASSPHRASE (scripts,
// tests), or is asked on the terminal without echoing it. Never from an argument: argv is
// visible to every user of the machine (ps) and lands in shell history.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from './cli-args';
import { dataPaths } from './core';
import { restoreIntoFreshDataDir } from './core/backup';
import { restoreKeysFromKit, type KeysRestored } from './core/key-protection';

function readFlagFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${flag} could not read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}

/** Restores `file` into `dataDir`; returns the line to tell the operator. */
export async function restoreFromFlag(file: string, dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const text = readFlagFile('--restore', file);
  const { restoredFrom } = restoreIntoFreshDataDir(dataPaths(dataDir), text, await backupPassphrase(env));
  return `Restored the backup made ${restoredFrom} into ${dataDir}.`;
}

/** Puts a recovery kit's keys next to `dataDir`'s database; returns what to tell the operator and to audit. */
export async function restoreKeysFromFlag(file: string, dataDir: string, env: NodeJS.ProcessEnv, nativeBinding?: string): Promise<{ message: string; restored: KeysRestored }> {
  const text = readFlagFile('--restore-keys', file);
  const passphrase = await askPassphrase(env, { variable: 'CRUDE_RECOVERY_PASSPHRASE', flag: '--restore-keys', what: 'recovery kit' });
  const restored = restoreKeysFromKit(dataPaths(dataDir), text, passphrase, { nativeBinding });
  const kept = restored.previousKeyFileKeptAs ? ` The key file it replaced is kept as ${restored.previousKeyFileKeptAs}.` : '';
  return {
    message: `Restored the keys (key ${restored.keyVersion}) from the recovery kit made ${restored.kitCreatedAt} into ${dataDir}; they are protected by file permissions until you switch the keychain on in Settings → Encryption.${kept}`,
    restored,
  };
}

export async function backupPassphrase(env: NodeJS.ProcessEnv, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return await askPassphrase(env, { variable: 'CRUDE_BACKUP_PASSPHRASE', flag: '--restore', what: 'backup' }, input, output);
}

async function askPassphrase(
  env: NodeJS.ProcessEnv,
  ask: { variable: string; flag: string; what: string },
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  const fromEnv = env[ask.variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!input.isTTY) throw new CliError(`${ask.flag} needs the ${ask.what} passphrase: set ${ask.variable}, or run in a terminal to be asked for it.`);
  output.write(`${ask.what[0]!.toUpperCase()}${ask.what.slice(1)} passphrase: `);
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
