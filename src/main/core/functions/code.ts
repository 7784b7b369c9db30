import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { CodeFile } from '../../../shared/contract';
import type { CodeService } from '../core-api';
import { CoreError, validation } from '../errors';

const MAX_CODE_BYTES = 1024 * 1024;

function outside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel);
}

/** Handler files under the data directory's code/ folder; nothing outside it is ever read or written. */
export function createCodeService(codeDir: string): Omit<CodeService, 'check'> {
  mkdirSync(codeDir, { recursive: true, mode: 0o700 });
  const realRoot = realpathSync(codeDir);

  /** Refuses `..`, absolute paths, and symlinks (anywhere on the path) that leave code/. */
  function resolve(path: string): string {
    if (typeof path !== 'string' || path.length === 0) throw validation('path', 'Path is required.');
    if (path.includes('\u0000')) throw validation('path', 'Path may not contain a NUL character.');
    if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.startsWith('\\')) {
      throw validation('path', `Path "${path}" must be relative to the code/ folder.`);
    }
    if (path.split(/[\\/]/).some((p) => p === '..')) {
      throw validation('path', `Path "${path}" may not leave the code/ folder ("..").`);
    }
    const full = join(realRoot, path);
    if (outside(realRoot, full)) throw validation('path', `Path "${path}" is not inside the code/ folder.`);
    // Follow symlinks on the deepest existing ancestor: a link pointing out is refused.
    let probe = full;
    while (!existsSync(probe) && probe !== realRoot) probe = dirname(probe);
    const real = realpathSync(probe);
    if (real !== realRoot && outside(realRoot, real)) {
      throw validation('path', `Path "${path}" leads outside the code/ folder through a symbolic link.`);
    }
    return full;
  }

  function walk(dir: string, out: CodeFile[]) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, out);
      else if (entry.isFile()) {
        const st = statSync(full);
        out.push({ path: relative(realRoot, full).split(sep).join('/'), size: st.size, modifiedAt: st.mtime.toISOString() });
      }
    }
  }

  return {
    resolve,
    list() {
      const out: CodeFile[] = [];
      walk(realRoot, out);
      return out.sort((a, b) => a.path.localeCompare(b.path));
    },
    read(path) {
      const full = resolve(path);
      if (!existsSync(full) || !lstatSync(full).isFile()) {
        throw new CoreError('NOT_FOUND', `Code file "${path}" does not exist.`, 'path');
      }
      return readFileSync(full, 'utf8');
    },
    write(path, content) {
      const full = resolve(path);
      if (Buffer.byteLength(content, 'utf8') > MAX_CODE_BYTES) {
        throw validation('content', `Code file is larger than ${MAX_CODE_BYTES} bytes.`);
      }
      mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
      // Write then rename, so the host never loads a half-written file. The temp name is
      // unpredictable and created exclusively ('wx' fails on any existing name, a planted
      // symlink included), so the write cannot be sent elsewhere.
      const temp = join(dirname(full), `.${randomBytes(12).toString('hex')}.saving`);
      writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
      try {
        renameSync(temp, full);
      } catch (e) {
        rmSync(temp, { force: true });
        throw e;
      }
      const st = statSync(full);
      return { path, size: st.size, modifiedAt: st.mtime.toISOString() };
    },
    delete(path) {
      const full = resolve(path);
      if (!existsSync(full)) throw new CoreError('NOT_FOUND', `Code file "${path}" does not exist.`, 'path');
      rmSync(full);
    },
  };
}
