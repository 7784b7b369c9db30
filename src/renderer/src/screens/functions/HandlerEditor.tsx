import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CodeCheck } from '../../../../shared/contract';
import type { FunctionDef } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { announce } from '../../components/Announcer';
import type { GoTo } from '../../components/CodeEditor';
import { Icon } from '../../components/Icon';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { guards, useRoute, type SourceSpot } from '../../shell/route';
import { Diagnostics, checkSummary } from './Diagnostics';

// CodeMirror is a third of the renderer's code: load it when a handler is first opened,
// not before the first screen can paint.
const CodeEditor = lazy(() => import('../../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

/**
 * The handler file (or a file it imports, opened from a stack frame or a diagnostic) in
 * CodeMirror. Ctrl/Cmd+S saves; every save is checked with `deno check` and says what it
 * found ("Saved with 1 error"); leaving with unsaved changes asks first.
 */
export function HandlerEditor({ fn, spot }: { fn: FunctionDef; spot?: SourceSpot }): ReactNode {
  const path = spot?.file ?? fn.handler;
  return <FileEditor key={path} fn={fn} path={path} spot={spot} />;
}

function FileEditor({ fn, path, spot }: { fn: FunctionDef; path: string; spot?: SourceSpot }): ReactNode {
  const { go } = useRoute();
  const file = useQuery(() => crude().code.read({ path }), [path]);
  // `edited`: the editor's text once touched; `savedContent`: what we last wrote.
  const [edited, setEdited] = useState<string | null>(null);
  const [savedContent, setSavedContent] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'warn' | 'error'; message: string } | null>(null);
  const [check, setCheck] = useState<CodeCheck | null>(null);
  const [busy, setBusy] = useState(false);
  // Where the cursor goes: the route's line (a stack frame, a link), or a diagnostic clicked
  // here since — until the route names another line.
  const spotKey = `${spot?.line ?? ''}:${spot?.column ?? ''}`;
  const spotLine = spot?.line;
  const spotColumn = spot?.column;
  const fromRoute = useMemo<GoTo | null>(() => (spotLine ? { line: spotLine, column: spotColumn ?? 1, seq: 0 } : null), [spotLine, spotColumn]);
  const [jump, setJump] = useState<(GoTo & { spotKey: string }) | null>(null);
  const goTo = jump && jump.spotKey === spotKey ? jump : fromRoute;
  const jumpTo = (line: number, column: number) => setJump((j) => ({ line, column, seq: (j?.seq ?? 0) + 1, spotKey }));
  const base = savedContent ?? file.data?.content ?? null;
  const dirty = edited !== null && edited !== base;
  const live = useRef({ edited, dirty });
  useLayoutEffect(() => {
    live.current = { edited, dirty };
  });

  // Checks can overlap (the one on opening, a save): only the last one started is shown.
  const checkSeq = useRef(0);
  const runCheck = useCallback(async (): Promise<CodeCheck | null> => {
    const mine = ++checkSeq.current;
    const c = await crude().code.check({ path });
    if (mine !== checkSeq.current) return null;
    setCheck(c);
    return c;
  }, [path]);
  // What is wrong with the file as it is on disk, before any edit.
  useEffect(() => {
    runCheck().catch(() => {});
    // Leaving the file: an answer still on its way is not shown.
    const seq = checkSeq;
    return () => {
      seq.current++;
    };
  }, [runCheck]);

  useEffect(() => {
    const guard = () => !live.current.dirty || window.confirm(`The handler ${path} has unsaved changes. Leave without saving?`);
    guards.add(guard);
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (live.current.dirty) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      guards.delete(guard);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [path]);

  const save = useCallback(async () => {
    const content = live.current.edited;
    if (content === null) return;
    setBusy(true);
    try {
      await crude().code.write({ path, content });
      setSavedContent(content);
      setStatus({ kind: 'ok', message: `Saved ${path}. Checking…` });
      const c = await runCheck();
      if (!c) return;
      const s = checkSummary(c);
      const message = `Saved ${path}${s.text ? ` with ${s.text}` : ''}.${c.note ? ` ${c.note}` : ''}`;
      setStatus({ kind: s.errors ? 'error' : s.warnings ? 'warn' : 'ok', message });
      announce(message);
    } catch (e) {
      setStatus({ kind: 'error', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }, [path, runCheck]);

  if (file.error && !file.data) return <ErrorBanner error={file.error} onRetry={file.reload} />;
  if (!file.data) return <Loading what={`handler ${path}`} />;
  const here = check?.diagnostics.filter((d) => d.file === path) ?? [];
  return (
    <div className="handler-editor">
      {path !== fn.handler ? (
        <p className="state info-line" role="note">
          <Icon name="info" /> <span>This is <code>{path}</code>, a file the handler imports.</span>{' '}
          <a
            href="#"
            className="link"
            onClick={(e) => {
              e.preventDefault();
              go({ screen: 'functions', name: fn.name, tab: 'handler' });
            }}
          >
            Open the handler {fn.handler}
          </a>
        </p>
      ) : null}
      <div className="toolbar">
        <code>code/{path}</code>
        {dirty ? (
          <span className="pill warn" data-testid="unsaved">
            ● unsaved changes
          </span>
        ) : (
          <span className="muted small">saved</span>
        )}
        <span className="grow" />
        {status ? (
          <span className={status.kind === 'ok' ? 'good small' : status.kind === 'warn' ? 'warn small' : 'field-error'} role="status" data-testid="save-status">
            {status.message}
          </span>
        ) : null}
        <button type="button" className="primary" disabled={!dirty || busy} onClick={() => void save()} title="Ctrl/Cmd+S">
          Save handler
        </button>
      </div>
      <Suspense fallback={<Loading what="the editor" />}>
        <CodeEditor
          docKey={path}
          doc={file.data.content}
          label={`Handler file ${path}`}
          diagnostics={here}
          goTo={goTo}
          onChange={(t) => {
            live.current.edited = t;
            setEdited(t);
            setStatus(null);
          }}
          onSave={() => void save()}
        />
      </Suspense>
      {check && check.diagnostics.length > 0 ? (
        <Diagnostics
          check={check}
          path={path}
          onJump={(d) => {
            if (d.file === path) jumpTo(d.line, d.column);
            else go({ screen: 'functions', name: fn.name, tab: 'handler', file: d.file, line: d.line, column: d.column });
          }}
        />
      ) : null}
      <p className="muted small">Ctrl/Cmd+S saves and checks the file with Deno. The function host picks up the saved file on the next call.</p>
    </div>
  );
}
