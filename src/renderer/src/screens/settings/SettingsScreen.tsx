import type { ReactNode } from 'react';
import { BackupPanel } from './BackupPanel';
import { HistorySettings } from './HistorySettings';
import { HostSettings } from './HostSettings';
import { RotationPanel } from './RotationPanel';

export function SettingsScreen(): ReactNode {
  return (
    <div className="screen">
      <div className="toolbar">
        <h2>⚙ Settings</h2>
      </div>
      <div className="settings-grid">
        <RotationPanel />
        <HostSettings />
        <HistorySettings />
        <BackupPanel />
      </div>
    </div>
  );
}
