// A handler's error in Try it and the execution log: the message once, pre-wrapped, then
// the stack frames in the handler's own files as links that open the editor at that line.
// The box has a height limit of its own, so the response below stays on screen.
import type { ReactNode } from 'react';
import { routeToHash, useRoute } from '../shell/route';
import { Icon } from './Icon';
import { parseHandlerError } from './stack';

export function HandlerError({ text, functionName }: { text: string; functionName: string }): ReactNode {
  const { go } = useRoute();
  const e = parseHandlerError(text);
  return (
    <div className="handler-error" role="alert" data-testid="handler-error">
      <p className="handler-error-message">
        <Icon name="warn" /> <span>{e.message}</span>
      </p>
      {e.frames.length > 0 ? (
        <ol className="stack" aria-label="Stack frames in the handler's files">
          {e.frames.map((f, i) => {
            const to = { screen: 'functions' as const, name: functionName, tab: 'handler' as const, file: f.file, line: f.line, column: f.column };
            return (
              <li key={i}>
                <a
                  href={routeToHash(to)}
                  className="frame"
                  onClick={(ev) => {
                    ev.preventDefault();
                    go(to);
                  }}
                >
                  <span className="mono">
                    {f.file}:{f.line}:{f.column}
                  </span>
                  {f.fn ? <span className="muted"> in {f.fn}</span> : null}
                </a>
              </li>
            );
          })}
        </ol>
      ) : null}
      {e.rest.length > 0 ? (
        <details className="stack-rest">
          <summary>Other frames ({e.rest.length})</summary>
          <pre>{e.rest.join('\n')}</pre>
        </details>
      ) : null}
    </div>
  );
}
