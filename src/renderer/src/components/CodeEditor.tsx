// CodeMirror 6 for handler files: TypeScript highlighting, the OS theme, Mod-s to save.
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { basicSetup } from 'codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { oneDark } from '@codemirror/theme-one-dark';

interface Props {
  /** Initial document; a new value replaces the document (e.g. after loading another file). */
  doc: string;
  docKey: string;
  onChange: (text: string) => void;
  onSave: () => void;
  label: string;
}

const dark = window.matchMedia('(prefers-color-scheme: dark)');

export function CodeEditor({ doc, docKey, onChange, onSave, label }: Props): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const handlers = useRef({ onChange, onSave });
  useLayoutEffect(() => {
    handlers.current = { onChange, onSave };
  });

  useEffect(() => {
    const theme = new Compartment();
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
        theme.of(dark.matches ? oneDark : []),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) handlers.current.onChange(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': label }),
      ],
    });
    const v = new EditorView({ state, parent: host.current! });
    view.current = v;
    const onScheme = () => v.dispatch({ effects: theme.reconfigure(dark.matches ? oneDark : []) });
    dark.addEventListener('change', onScheme);
    return () => {
      dark.removeEventListener('change', onScheme);
      v.destroy();
      view.current = null;
    };
    // The document is set once per docKey; later edits belong to the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docKey]);

  return <div className="code-editor" ref={host} />;
}
