// Reading a handler error as the host reports it ("Handler execution failed: <message>"
// followed by a stack whose frames name files below code/): one message, then frames.

export interface StackFrame {
  /** The function the frame is in, when the stack names one. */
  fn: string | null;
  /** Path relative to code/. */
  file: string;
  line: number;
  column: number;
}

export interface ParsedError {
  message: string;
  frames: StackFrame[];
  /** Lines that are neither the message nor a frame of the handler's files (other frames, notes). */
  rest: string[];
}

const FRAME = /^\s*(?:at\s+)?(?:(.+?)\s+\()?((?:[\w.@~+-]+\/)*[\w.@~+-]+\.(?:[cm]?[jt]sx?)):(\d+):(\d+)\)?\s*$/;

/** The message once (the stack repeats it as "Error: …"), the handler's frames, the rest. */
export function parseHandlerError(text: string): ParsedError {
  const lines = text.replace(/\r/g, '').split('\n');
  const first = lines.shift() ?? '';
  // "Handler execution failed: the order has no lines" → "the order has no lines".
  const detail = first.replace(/^[A-Z][\w ]+?: /, '');
  const frames: StackFrame[] = [];
  const rest: string[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const m = FRAME.exec(line);
    if (m && !line.includes('://')) {
      frames.push({ fn: m[1] && m[1] !== 'async' ? m[1].replace(/^async /, '') : null, file: m[2]!, line: Number(m[3]), column: Number(m[4]) });
      continue;
    }
    const t = line.trim();
    // The stack's own first line: "Error: <message>", "TypeError: <message>", or the bare message.
    if (t === detail || /^\w*Error: /.test(t) && t.endsWith(detail)) continue;
    rest.push(t);
  }
  return { message: first || 'The handler failed.', frames, rest };
}
