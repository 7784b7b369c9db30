import { useState, type ReactNode } from 'react';
import type { HostStatus } from '../../../shared/types';
import { crude } from '../api/client';
import { formatWhen } from '../components/format';
import { useEvent } from '../hooks/useEvent';
import { useQuery } from '../hooks/useQuery';

export function StatusBar(): ReactNode {
  const host = useQuery(() => crude().host.status({}), [], ['settings.']);
  const rotation = useQuery(() => crude().rotation.status({}), [], ['rotation.', 'settings.']);
  const [live, setLive] = useState<HostStatus | null>(null);
  useEvent('host.status', setLive);
  useEvent('rotation.finished', () => rotation.reload());
  const h = live ?? host.data;
  const r = rotation.data;
  return (
    <footer className="statusbar" aria-label="Status">
      <span>
        Function host:{' '}
        {h ? (
          h.running && h.url ? (
            <code data-testid="host-url">{h.url}</code>
          ) : (
            <span className="bad">stopped{h.error ? ` — ${h.error}` : ''}</span>
          )
        ) : host.error ? (
          <span className="bad">unknown</span>
        ) : (
          '…'
        )}
      </span>
      <span>
        Encryption key: {r ? <strong data-testid="key-version">version {r.currentVersion}</strong> : '…'}
        {r?.inProgress ? <span className="warn"> (rotating {r.done}/{r.total})</span> : null}
      </span>
      <span>Last rotation: {r ? formatWhen(r.lastRotationAt) : '…'}</span>
      <span>Next rotation: {r ? formatWhen(r.nextRotationDue) : '…'}</span>
    </footer>
  );
}
