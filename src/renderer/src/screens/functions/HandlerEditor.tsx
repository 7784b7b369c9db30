import { lazy, Suspense, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { crude, errorMessage } from '../../api/client';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { guards } from '../../shell/route';

// CodeMirror is a third of the renderer's code: load it when a handler is first opened,
// not before the first screen can paint.
const CodeEditor = lazy(() => import('../../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

/** The handler file in CodeMirror; Ctrl/Cmd+S saves; leaving with unsaved changes asks first. */
export function HandlerEditor({ path }: { path: string }): ReactNode {
  const file = useQuery(() => crude().code.read({ path }), [path]);
  // `edited`: the editor's text once touched; `savedContent`: what we last wrote.
  const [edited, setEdited] = useState<string | null>(null);
  const [savedContent, setSavedContent] = useState<string | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const base = savedContent ?? file.data?.content ?? null;
  const dirty = edited !== null && edited !== base;
  const live = useRef({ edited, dirty });
  useLayoutEffect(() => {
    live.current = { edited, dirty };
  });

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
      setStatus({ kind: 'ok', message: `Saved ${path}.` });
    } catch (e) {
      setStatus({ kind: 'error', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }, [path]);

  if (file.error && !file.data) return <ErrorBanner error={file.error} onRetry={file.reload} />;
  if (!file.data) return <Loading what={`handler ${path}`} />;
  return (
    <div className="handler-editor">
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
          <span className={status.kind === 'ok' ? 'good small' : 'field-error'} role="status">
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
          onChange={(t) => {
            live.current.edited = t;
            setEdited(t);
            setStatus(null);
          }}
          onSave={() => void save()}
        />
      </Suspense>
      <p className="muted small">Ctrl/Cmd+S saves. The function host picks up the saved file on the next call.</p>
    </div>
  );
}
