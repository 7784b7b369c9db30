import type { ReactNode } from 'react';
import { BackupPanel } from './BackupPanel';
import { HistorySettings } from './HistorySettings';
import { HostSettings } from './HostSettings';
import { KeyProtectionPanel } from './KeyProtectionPanel';
import { RotationPanel } from './RotationPanel';

export function SettingsScreen(): ReactNode {
  return (
    <div className="screen">
      <div className="toolbar">
        <h2>⚙ Settings</h2>
      </div>
      <div className="settings-grid">
        <RotationPanel />
        <KeyProtectionPanel />
        <HostSettings />
        <HistorySettings />
        <BackupPanel />
      </div>
    </div>
  );
}
