import { useCallback, useState, type ReactNode } from 'react';
import { GlobalSecrets } from '../screens/secrets/GlobalSecrets';
import { FunctionsScreen } from '../screens/functions/FunctionsScreen';
import { ApiKeysScreen } from '../screens/keys/ApiKeysScreen';
import { ScopeTreeScreen } from '../screens/tree/ScopeTreeScreen';
import { InspectorScreen } from '../screens/inspector/InspectorScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';
import { AuditScreen } from '../screens/audit/AuditScreen';
import { BackupReminder } from './BackupReminder';
import { ServersScreen } from '../screens/servers/ServersScreen';
import { RecoveryKitReminder } from './RecoveryKitReminder';
import { Nav } from './Nav';
import { StatusBar } from './StatusBar';
import { confirmLeave, RouteContext, type Route } from './route';

export function App(): ReactNode {
  const [route, setRoute] = useState<Route>({ screen: 'global' });
  const go = useCallback((r: Route) => {
    if (confirmLeave()) setRoute(r);
  }, []);
  return (
    <RouteContext.Provider value={{ route, go }}>
      <div className="app">
        <Nav />
        <main className="main" id="main">
          <RecoveryKitReminder />
          <BackupReminder />
          <Screen route={route} />
        </main>
        <StatusBar />
      </div>
    </RouteContext.Provider>
  );
}

function Screen({ route }: { route: Route }): ReactNode {
  switch (route.screen) {
    case 'global':
      return <GlobalSecrets />;
    case 'functions':
      return <FunctionsScreen functionId={route.functionId} tab={route.tab} />;
    case 'keys':
      return <ApiKeysScreen />;
    case 'tree':
      return <ScopeTreeScreen />;
    case 'inspector':
      return <InspectorScreen initialName={route.name} initialFunctionId={route.functionId} initialKeyId={route.keyId} />;
    case 'audit':
      return <AuditScreen />;
    case 'servers':
      return <ServersScreen serverId={route.serverId} />;
    case 'settings':
      return <SettingsScreen />;
  }
}
