import type { ReactNode } from 'react';
import type { ApiKey } from '../../../shared/types';

interface Props {
  id?: string;
  keys: ApiKey[];
  value: number | null;
  onChange: (keyId: number | null) => void;
  /** Group ids to mark as accepted (the function's required groups). */
  accepted?: number[];
  noneLabel?: string;
}

/** API key or none, keys grouped by their group. */
export function KeyPicker({ id, keys, value, onChange, accepted, noneLabel = 'No key' }: Props): ReactNode {
  const byGroup = new Map<string, ApiKey[]>();
  for (const k of keys) {
    const list = byGroup.get(k.groupName) ?? [];
    list.push(k);
    byGroup.set(k.groupName, list);
  }
  return (
    <select id={id} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}>
      <option value="">{noneLabel}</option>
      {[...byGroup.entries()].map(([group, list]) => (
        <optgroup key={group} label={`Group ${group}${accepted && list[0] && !accepted.includes(list[0].groupId) && accepted.length ? ' (not accepted)' : ''}`}>
          {list.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
