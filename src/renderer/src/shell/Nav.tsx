import type { ReactNode } from 'react';
import { Icon, type IconName } from '../components/Icon';
import { routeToHash, useRoute, type Route, type ScreenName } from './route';

const ITEMS: { screen: ScreenName; icon: IconName; label: string; also?: ScreenName[] }[] = [
  { screen: 'global', icon: 'global', label: 'Global secrets' },
  { screen: 'functions', icon: 'function', label: 'Functions' },
  { screen: 'keys', icon: 'key', label: 'API keys' },
  { screen: 'tree', icon: 'tree', label: 'Scope tree' },
  { screen: 'inspector', icon: 'inspect', label: 'Inspector', also: ['caller'] },
  { screen: 'health', icon: 'health', label: 'Health' },
  { screen: 'audit', icon: 'audit', label: 'Audit log' },
  { screen: 'servers', icon: 'server', label: 'Servers' },
  { screen: 'settings', icon: 'settings', label: 'Settings' },
];

/**
 * Links, so each screen has its URL (open in a new tab, copy the address). Below 1180 px
 * the labels fold away first and the bar keeps its icons (the labels stay the links' names).
 */
export function Nav(): ReactNode {
  const { route, go } = useRoute();
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span aria-hidden="true">λ</span> <span className="brand-text">Crude Functions</span>
      </div>
      <ul>
        {ITEMS.map((item) => {
          const active = route.screen === item.screen || Boolean(item.also?.includes(route.screen));
          const to = { screen: item.screen } as Route;
          return (
            <li key={item.screen}>
              <a
                href={routeToHash(to)}
                className={active ? 'active' : ''}
                aria-current={active ? 'page' : undefined}
                title={item.label}
                onClick={(e) => {
                  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                  e.preventDefault();
                  go(to);
                }}
              >
                <Icon name={item.icon} className="nav-icon" />
                <span className="nav-label">{item.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
