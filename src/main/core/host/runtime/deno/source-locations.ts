import { pathToFileURL } from 'node:url';

/**
 * Turns the file URLs Deno prints into paths below code/ ("examples/hello.ts:4:9"), and
 * drops the frames of the host's own runtime, so that a stack points into the handler's
 * files and nothing else.
 */
export class SourceLocations {
  private readonly codePrefix: string;

  constructor(
    codeDir: string,
    private readonly runtimeFile: string,
  ) {
    this.codePrefix = pathToFileURL(codeDir).href.replace(/\/?$/, '/');
  }

  /** A file URL or path inside code/ as a path relative to it; other text unchanged. */
  relative(text: string): string {
    return text.split(this.codePrefix).join('');
  }

  /** A stack with code/ paths relative and the runtime's own frames left out. */
  stack(stack: string | undefined): string | undefined {
    if (!stack) return undefined;
    const runtimeUrl = pathToFileURL(this.runtimeFile).href;
    const lines = stack
      .split('\n')
      .filter((line) => !(line.trimStart().startsWith('at ') && (line.includes(runtimeUrl) || line.includes('data:application/javascript') || /\bext:/.test(line))));
    return this.relative(lines.join('\n'));
  }

  /** "file:///…/code/a/b.ts:3:7" somewhere in the text, as "a/b.ts:3:7". */
  firstLocation(text: string): string | undefined {
    const escaped = this.codePrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${escaped}([^\\s)'"]+?:\\d+:\\d+)`).exec(text);
    return m?.[1];
  }
}
