// The editor's colours come from the stylesheet's variables (styles.css, --cm-*), so one
// theme serves light and dark and every token and gutter number meets WCAG AA contrast
// (the stock themes' comment and gutter greys did not).
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

const v = (name: string) => `var(--cm-${name})`;

export const editorTheme = EditorView.theme({
  '&': { color: v('text'), backgroundColor: v('bg') },
  '.cm-content': { caretColor: v('caret') },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: v('caret') },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: v('selection') },
  '.cm-activeLine': { backgroundColor: v('active-line') },
  '.cm-gutters': { backgroundColor: v('gutter-bg'), color: v('gutter'), borderRight: `1px solid ${v('border')}` },
  '.cm-activeLineGutter': { backgroundColor: v('active-line'), color: v('text') },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: v('match'), outline: 'none' },
  '.cm-foldPlaceholder': { backgroundColor: v('gutter-bg'), color: v('gutter'), border: 'none' },
  '.cm-tooltip': { backgroundColor: v('bg'), color: v('text'), border: `1px solid ${v('border')}` },
  '.cm-diagnostic-error': { borderLeftColor: v('error') },
  '.cm-diagnostic-warning': { borderLeftColor: v('warning') },
});

export const editorHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: [t.keyword, t.moduleKeyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword], color: v('keyword') },
    { tag: [t.string, t.special(t.string), t.regexp], color: v('string') },
    { tag: [t.number, t.bool, t.null, t.atom], color: v('number') },
    { tag: [t.comment, t.lineComment, t.blockComment], color: v('comment'), fontStyle: 'italic' },
    { tag: [t.function(t.variableName), t.function(t.propertyName)], color: v('function') },
    { tag: [t.definition(t.variableName), t.definition(t.propertyName)], color: v('definition') },
    { tag: [t.typeName, t.className, t.namespace], color: v('type') },
    { tag: [t.propertyName], color: v('property') },
    { tag: [t.invalid], color: v('error') },
  ]),
);
