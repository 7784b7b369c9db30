// A line above every screen while the keys are wrapped by the OS keychain and no current
// recovery kit exists: without one, losing this machine or its keychain loses every secret.
// "Later" hides it until the app is opened again; making a kit ends it.
import { useState, type ReactNode } from 'react';
import { crude } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useRoute } from './route';

export function RecoveryKitReminder(): ReactNode {
  const status = useQuery(() => crude().keyProtection.status({}), [], ['']);
  const { route, go } = useRoute();
  const [later, setLater] = useState(false);
  const s = status.data;
  if (!s || !s.recoveryKitDue || later || route.screen === 'settings') return null;
  return (
    <div className="banner warn" role="status" data-testid="recovery-kit-reminder">
      <span>
        {s.recoveryKit
          ? `The keys were rotated since the last recovery kit (it holds key ${s.recoveryKit.keyVersion}, now ${s.currentKeyVersion}): make a new one.`
          : 'The keys are wrapped by the OS keychain and cannot leave this machine. Make a recovery kit, or losing this machine loses every secret.'}
      </span>
      <button type="button" className="primary" onClick={() => go({ screen: 'settings' })}>
        Make a recovery kit
      </button>
      <button type="button" onClick={() => setLater(true)}>
        Later
      </button>
    </div>
  );
}
