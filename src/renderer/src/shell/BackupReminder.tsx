// A line above every screen when a backup is due (changes have waited longer than the
// setting), and on a new installation the offer to restore a backup instead of starting empty.
import { useState, type ReactNode } from 'react';
import { crude } from '../api/client';
import { formatWhen } from '../components/format';
import { useQuery } from '../hooks/useQuery';
import { useRoute } from './route';

export function BackupReminder(): ReactNode {
  const status = useQuery(() => crude().backup.status({}), [], ['']);
  const { route, go } = useRoute();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const s = status.data;
  if (!s || route.screen === 'settings') return null;
  const kind = s.due ? 'due' : s.firstStart && !s.unsavedChanges ? 'first-start' : null;
  if (!kind || dismissed === kind) return null;
  return (
    <div className={`banner ${kind === 'due' ? 'warn' : 'info'}`} role="status" data-testid="backup-reminder">
      <span>
        {kind === 'due'
          ? `No backup since ${s.lastBackupAt ? formatWhen(s.lastBackupAt) : 'this installation began'}, and there are changes since (last ${formatWhen(s.lastChangeAt!)}).`
          : 'This is a new installation. Moving from another machine? Restore its backup instead of starting empty.'}
      </span>
      <button type="button" className="primary" onClick={() => go({ screen: 'settings' })}>
        {kind === 'due' ? 'Back up now' : 'Restore a backup'}
      </button>
      <button type="button" onClick={() => setDismissed(kind)}>
        {kind === 'due' ? 'Later' : 'Start empty'}
      </button>
    </div>
  );
}
