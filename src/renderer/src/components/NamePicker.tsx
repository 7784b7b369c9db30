import { useId, useState, type ReactNode } from 'react';
import { crude } from '../api/client';
import { useQuery } from '../hooks/useQuery';

interface Props {
  value: string;
  onPick: (name: string) => void;
  label?: string;
  submitLabel?: string;
}

/** Secret-name input with autocomplete over every name in every scope. */
export function NamePicker({ value, onPick, label = 'Secret name', submitLabel = 'Inspect' }: Props): ReactNode {
  const [text, setText] = useState(value);
  const names = useQuery(() => crude().secrets.names({ query: text || undefined }), [text], ['secrets.']);
  const listId = useId();
  const id = useId();
  const pickIfKnown = (t: string) => {
    if (names.data?.includes(t)) onPick(t);
  };
  return (
    <form
      className="name-picker"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onPick(text.trim());
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        list={listId}
        autoComplete="off"
        spellCheck={false}
        placeholder="Start typing a secret name…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          pickIfKnown(e.target.value);
        }}
      />
      <datalist id={listId}>
        {(names.data ?? []).slice(0, 200).map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      <button type="submit">{submitLabel}</button>
    </form>
  );
}
