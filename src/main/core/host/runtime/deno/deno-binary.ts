import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CoreError } from '../../../errors';

/** The npm platform package that carries the Deno binary for this OS (as the `deno` package names them). */
export function denoPlatformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return platform === 'linux' ? `@deno/linux-${arch}-glibc` : `@deno/${platform}-${arch}`;
}

/**
 * Where the Deno binary is: the path the shell passes (a packaged app carries it in its
 * unpacked resources, docs/handler-runtime.md), else the platform package of the pinned
 * npm `deno` dependency in node_modules.
 */
export function findDeno(explicit?: string): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new CoreError('RUNTIME_UNAVAILABLE', `The Deno binary ${explicit} does not exist.`);
    return explicit;
  }
  const pkg = denoPlatformPackage();
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    const binary = join(dir, exe);
    if (existsSync(binary)) return binary;
  } catch {
    // not installed: said below
  }
  throw new CoreError(
    'RUNTIME_UNAVAILABLE',
    `Deno, the handler runtime, is not installed (the npm package ${pkg} is missing). Run \`npm install\`; handlers cannot run without it.`,
  );
}
