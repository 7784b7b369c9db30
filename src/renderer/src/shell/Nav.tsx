import type { ReactNode } from 'react';
import { useRoute, type Route } from './route';

const ITEMS: { screen: Route['screen']; icon: string; label: string }[] = [
  { screen: 'global', icon: '🔒', label: 'Global secrets' },
  { screen: 'functions', icon: '⚡', label: 'Functions' },
  { screen: 'keys', icon: '🔑', label: 'API keys' },
  { screen: 'tree', icon: '🌳', label: 'Scope tree' },
  { screen: 'inspector', icon: '🔎', label: 'Inspector' },
  { screen: 'audit', icon: '📜', label: 'Audit log' },
  { screen: 'servers', icon: '🛰', label: 'Servers' },
  { screen: 'settings', icon: '⚙', label: 'Settings' },
];

export function Nav(): ReactNode {
  const { route, go } = useRoute();
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span aria-hidden="true">λ</span> Crude Functions
      </div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.screen}>
            <button
              type="button"
              className={route.screen === item.screen ? 'active' : ''}
              aria-current={route.screen === item.screen ? 'page' : undefined}
              onClick={() => go({ screen: item.screen } as Route)}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
