// CodeMirror 6 for handler files: TypeScript highlighting, colours from the stylesheet
// (light and dark), Mod-s to save, `deno check` diagnostics inline, and jumping to a line.
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { basicSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState, type Text } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import type { CodeDiagnostic } from '../../../shared/contract';
import { editorHighlight, editorTheme } from './codeTheme';

/** A place to move the cursor to; a new `seq` repeats a jump to the same place. */
export interface GoTo {
  line: number;
  column: number;
  seq: number;
}

interface Props {
  /** Initial document; a new value replaces the document (e.g. after loading another file). */
  doc: string;
  docKey: string;
  onChange: (text: string) => void;
  onSave: () => void;
  label: string;
  /** Problems in this file, shown under the text and in the gutter. */
  diagnostics?: CodeDiagnostic[];
  goTo?: GoTo | null;
}

/** Document offset of a 1-based line and column, kept inside the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.max(1, Math.min(line, doc.lines)));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

function toCm(doc: Text, d: CodeDiagnostic): Diagnostic {
  const from = offsetOf(doc, d.line, d.column);
  const lineEnd = doc.lineAt(from).to;
  // Deno gives a point: mark the word there (or one character), never past the line.
  const word = /^[\w$]+/.exec(doc.sliceString(from, lineEnd))?.[0].length ?? 1;
  return { from, to: Math.min(from + word, lineEnd), severity: d.severity, message: d.message, source: d.source === 'type' ? 'deno check (types)' : 'deno check' };
}

export function CodeEditor({ doc, docKey, onChange, onSave, label, diagnostics, goTo }: Props): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onSave });
  useLayoutEffect(() => {
    handlers.current = { onChange, onSave };
  });

  useEffect(() => {
    const state = EditorState.create({
      doc,
      extensions: [
        keymap.of([
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              handlers.current.onSave();
              return true;
            },
          },
        ]),
        basicSetup,
        javascript({ typescript: true }),
        editorTheme,
        editorHighlight,
        lintGutter(),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The document is set once per docKey; later edits belong to the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, (diagnostics ?? []).map((d) => toCm(v.state.doc, d))));
  }, [diagnostics, docKey]);

  useEffect(() => {
    const v = view.current;
    if (!v || !goTo) return;
    const at = offsetOf(v.state.doc, goTo.line, goTo.column);
    v.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
    v.focus();
  }, [goTo, docKey]);

  return <div className="code-editor" ref={host} />;
}
