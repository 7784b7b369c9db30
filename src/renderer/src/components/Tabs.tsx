import { useRef, type ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

interface Props<K extends string> {
  label: string;
  tabs: { key: K; label: string; icon?: IconName }[];
  active: K;
  onChange: (key: K) => void;
  /** Ids for aria-controls / aria-labelledby between the tabs and their panel. */
  idPrefix?: string;
}

/** ARIA tabs: arrow keys move between tabs, Tab moves into the panel. */
export function Tabs<K extends string>({ label, tabs, active, onChange, idPrefix }: Props<K>): ReactNode {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (i: number) => {
    const n = (i + tabs.length) % tabs.length;
    const t = tabs[n];
    if (!t) return;
    onChange(t.key);
    refs.current[n]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((t, i) => (
        <button
          key={t.key}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={idPrefix ? `${idPrefix}-tab-${t.key}` : undefined}
          aria-controls={idPrefix && t.key === active ? `${idPrefix}-panel` : undefined}
          aria-selected={t.key === active}
          tabIndex={t.key === active ? 0 : -1}
          className={t.key === active ? 'active' : ''}
          onClick={() => onChange(t.key)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(i + 1);
            if (e.key === 'ArrowLeft') move(i - 1);
          }}
        >
          {t.icon ? <Icon name={t.icon} /> : null}
          {t.label}
        </button>
      ))}
    </div>
  );
}
