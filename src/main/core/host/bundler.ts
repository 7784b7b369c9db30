import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';

export interface HandlerBundle {
  /** ESM source of the handler with its relative imports bundled in. */
  code: string;
  /** Changes whenever the code does; workers are per version. */
  version: string;
  /** Every file that went into the bundle, with the stamp it had. */
  inputs: Map<string, string>;
}

export class HandlerLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerLoadError';
  }
}

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function stampOf(file: string): string {
  const st = statSync(file);
  return `${st.mtimeMs}:${st.size}:${st.ino}`;
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Keeps every import inside code/ (symlinks resolved) and node built-ins external. */
function containPlugin(codeRoot: string): Plugin {
  return {
    name: 'crude-contain',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (BUILTINS.has(args.path)) return { path: args.path, external: true };
        if (!args.path.startsWith('.') && !isAbsolute(args.path)) {
          return {
            errors: [{ text: `Handlers may import node built-ins and files inside code/ only; "${args.path}" is neither.` }],
          };
        }
        const base = isAbsolute(args.path) ? args.path : resolvePath(args.resolveDir, args.path);
        const candidates = [base, ...['.ts', '.js', '.mts', '.mjs', '.json'].map((e) => base + e), ...['index.ts', 'index.js'].map((i) => `${base}/${i}`)];
        const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
        if (!found) return { errors: [{ text: `Cannot find "${args.path}" (imported from ${relative(codeRoot, args.importer)}).` }] };
        const real = realpathSync(found);
        if (!inside(codeRoot, real)) {
          return { errors: [{ text: `Import "${args.path}" leads outside the code/ folder; handlers may only import files inside it.` }] };
        }
        return { path: real };
      });
    },
  };
}

/**
 * Bundles handler files with esbuild and keeps the result until one of its input files
 * changes: a saved edit (from the app or any editor) is picked up by the next request.
 */
export class HandlerBundler {
  private readonly cache = new Map<string, HandlerBundle>();
  private readonly codeRoot: string;

  constructor(codeDir: string) {
    this.codeRoot = realpathSync(codeDir);
  }

  private fresh(b: HandlerBundle): boolean {
    for (const [file, stamp] of b.inputs) {
      try {
        if (stampOf(file) !== stamp) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  /** The bundle for an absolute handler path (already checked to be inside code/). */
  async load(file: string): Promise<HandlerBundle> {
    const hit = this.cache.get(file);
    if (hit && this.fresh(hit)) return hit;
    if (!existsSync(file)) throw new HandlerLoadError(`Handler file ${relative(this.codeRoot, file)} does not exist.`);
    const real = realpathSync(file);
    if (!inside(this.codeRoot, real)) throw new HandlerLoadError('Handler file leads outside the code/ folder.');
    try {
      const result = await build({
        entryPoints: [real],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        metafile: true,
        sourcemap: 'inline',
        sourcesContent: false,
        logLevel: 'silent',
        absWorkingDir: this.codeRoot,
        plugins: [containPlugin(this.codeRoot)],
      });
      const code = result.outputFiles[0]!.text;
      const inputs = new Map<string, string>();
      for (const input of Object.keys(result.metafile.inputs)) {
        const abs = resolvePath(this.codeRoot, input);
        if (existsSync(abs)) inputs.set(abs, stampOf(abs));
      }
      inputs.set(real, stampOf(real));
      const bundle: HandlerBundle = { code, version: createHash('sha256').update(code).digest('hex').slice(0, 16), inputs };
      this.cache.set(file, bundle);
      return bundle;
    } catch (e) {
      const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors;
      if (errors?.length) {
        const first = errors[0]!;
        const where = first.location ? ` (${first.location.file}:${first.location.line}:${first.location.column})` : '';
        throw new HandlerLoadError(`Handler failed to build: ${first.text}${where}`);
      }
      throw new HandlerLoadError(`Handler failed to build: ${(e as Error).message}`);
    }
  }

  /** Forgets cached bundles (used when the code folder is replaced). */
  clear(): void {
    this.cache.clear();
  }

  /** For log messages: the path relative to code/. */
  relative(file: string): string {
    return relative(this.codeRoot, file) || dirname(file);
  }
}
