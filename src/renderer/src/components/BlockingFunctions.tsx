import type { ReactNode } from 'react';
import { routeToHash } from '../shell/route';

/** The functions that keep a group from being deleted, each a link to where it can be changed. */
export function BlockingFunctions({ functions }: { functions: { id: number; name: string }[] }): ReactNode {
  return (
    <ul className="blocking-list">
      {functions.map((f) => (
        <li key={f.id}>
          <a href={routeToHash({ screen: 'functions', name: f.name })} className="link">
            {f.name}
          </a>
        </li>
      ))}
    </ul>
  );
}
