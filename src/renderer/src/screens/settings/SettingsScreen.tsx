import type { ReactNode } from 'react';
import { BackupPanel } from './BackupPanel';
import { HistorySettings } from './HistorySettings';
import { HostSettings } from './HostSettings';
import { KeyProtectionPanel } from './KeyProtectionPanel';
import { RotationPanel } from './RotationPanel';
import { Icon } from '../../components/Icon';

export function SettingsScreen(): ReactNode {
  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="settings" /> Settings
        </h1>
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
