import type { ReactNode } from 'react';
import { Icon } from '../components/Icon';

/** What the Electron shell had to say (app.navigate with a notice), until dismissed. */
export function Notice({ text, onClose }: { text: string; onClose: () => void }): ReactNode {
  return (
    <div className="notice" role="status" data-testid="app-notice">
      <Icon name="info" />
      <span>{text}</span>
      <button type="button" className="icon" onClick={onClose} aria-label="Dismiss notice">
        <Icon name="close" />
      </button>
    </div>
  );
}
