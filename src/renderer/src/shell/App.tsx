import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { GlobalSecrets } from '../screens/secrets/GlobalSecrets';
import { FunctionsScreen } from '../screens/functions/FunctionsScreen';
import { ApiKeysScreen } from '../screens/keys/ApiKeysScreen';
import { ScopeTreeScreen } from '../screens/tree/ScopeTreeScreen';
import { InspectorScreen } from '../screens/inspector/InspectorScreen';
import { CallerScreen } from '../screens/inspector/CallerScreen';
import { HealthScreen } from '../screens/health/HealthScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { AuditScreen } from '../screens/audit/AuditScreen';
import { BackupReminder } from './BackupReminder';
import { ServersScreen } from '../screens/servers/ServersScreen';
import { RecoveryKitReminder } from './RecoveryKitReminder';
import { hideRevealed } from '../hooks/useRevealSlot';
import { useEvent } from '../hooks/useEvent';
import { Announcer } from '../components/Announcer';
import { Nav } from './Nav';
import { Notice } from './Notice';
import { SkipLink } from './SkipLink';
import { StatusBar } from './StatusBar';
import { confirmLeave, parseHash, routeToHash, RouteContext, type Route } from './route';

/** Same screen (a picker's choice, a tab): focus stays where the operator is. */
function samePlace(a: Route, b: Route): boolean {
  if (a.screen !== b.screen) return false;
  return a.screen !== 'functions' || a.name === (b as typeof a).name;
}

export function App(): ReactNode {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  const [notice, setNotice] = useState<string | null>(null);
  const current = useRef(routeToHash(route));
  const moveFocus = useRef(false);

  const show = useCallback((next: Route, hash: string, focus: boolean) => {
    current.current = hash;
    moveFocus.current = focus;
    // A value shown on the screen being left must not be there on return.
    hideRevealed();
    setRoute(next);
  }, []);

  const go = useCallback(
    (r: Route) => {
      const hash = routeToHash(r);
      if (hash === current.current) return;
      if (!confirmLeave()) return;
      history.pushState(null, '', hash);
      show(parseHash(hash), hash, !samePlace(route, r));
    },
    [route, show],
  );
  const replace = useCallback(
    (r: Route) => {
      const hash = routeToHash(r);
      if (hash === current.current) return;
      history.replaceState(null, '', hash);
      current.current = hash;
      setRoute(parseHash(hash));
    },
    [],
  );

  // Back, forward, a typed or clicked link: the hash is the truth.
  useEffect(() => {
    const onHash = () => {
      const next = parseHash(location.hash);
      const hash = routeToHash(next);
      if (hash === current.current) return;
      if (!confirmLeave()) {
        history.pushState(null, '', current.current);
        return;
      }
      show(next, hash, true);
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('popstate', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('popstate', onHash);
    };
  }, [show]);

  // The Electron shell opens a screen (a menu, a link) or says something (a second launch).
  useEvent('app.navigate', (p) => {
    if ('route' in p) {
      const hash = p.route.startsWith('#') ? p.route : `#${p.route}`;
      if (hash !== current.current && confirmLeave()) {
        history.pushState(null, '', hash);
        show(parseHash(hash), routeToHash(parseHash(hash)), true);
      }
    } else setNotice(p.notice);
  });

  // After moving to another screen, focus its heading so a keyboard or screen reader user
  // is where the eyes are (not on <body>); screens render their h1 with tabIndex -1.
  useLayoutEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    let tries = 0;
    const focusHeading = () => {
      const h = document.querySelector<HTMLElement>('#main h1');
      if (h) h.focus({ preventScroll: false });
      else if (tries++ < 40) setTimeout(focusHeading, 50);
    };
    focusHeading();
  }, [route]);

  return (
    <RouteContext.Provider value={{ route, go, replace }}>
      <SkipLink />
      <div className="app">
        <Nav />
        <main className="main" id="main" tabIndex={-1}>
          {notice ? <Notice text={notice} onClose={() => setNotice(null)} /> : null}
          <RecoveryKitReminder />
          <BackupReminder />
          <Screen route={route} />
        </main>
        <StatusBar />
      </div>
      <Announcer />
    </RouteContext.Provider>
  );
}

function Screen({ route }: { route: Route }): ReactNode {
  switch (route.screen) {
    case 'global':
      return <GlobalSecrets />;
    case 'functions':
      return <FunctionsScreen route={route} />;
    case 'keys':
      return <ApiKeysScreen groupName={route.group} />;
    case 'tree':
      return <ScopeTreeScreen route={route} />;
    case 'inspector':
      return <InspectorScreen key={route.name ?? ''} route={route} />;
    case 'caller':
      return <CallerScreen route={route} />;
    case 'health':
      return <HealthScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'servers':
      return <ServersScreen serverName={route.server} />;
    case 'settings':
      return <SettingsScreen />;
  }
}
