// What `deno check` found, as a list: each line jumps to its place in the editor.
import type { ReactNode } from 'react';
import type { CodeCheck, CodeDiagnostic } from '../../../../shared/contract';
import { plural } from '../../components/format';
import { Icon } from '../../components/Icon';

/** "1 error and 2 warnings", "" when clean. */
export function checkSummary(c: CodeCheck): { errors: number; warnings: number; text: string } {
  const errors = c.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = c.diagnostics.length - errors;
  const text = [errors ? plural(errors, 'error') : null, warnings ? plural(warnings, 'warning') : null].filter(Boolean).join(' and ');
  return { errors, warnings, text };
}

export function Diagnostics({ check, path, onJump }: { check: CodeCheck; path: string; onJump: (d: CodeDiagnostic) => void }): ReactNode {
  const s = checkSummary(check);
  return (
    <section className="diagnostics" aria-labelledby="diag-h">
      <h2 id="diag-h" className="h4">
        Problems: {s.text}
      </h2>
      <ul>
        {check.diagnostics.map((d, i) => (
          <li key={i} className={`diag diag-${d.severity}`}>
            <button type="button" className="link" onClick={() => onJump(d)}>
              <Icon name={d.severity === 'error' ? 'refused' : 'warn'} />
              <span className="diag-where mono">
                {d.file === path ? '' : `${d.file}:`}
                {d.line}:{d.column}
              </span>
              <span className="diag-kind">{d.severity === 'error' ? (d.source === 'load' ? 'cannot load' : 'syntax error') : 'type error'}</span>
              <span className="diag-message">{d.message}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
