import type { ReactNode } from 'react';
import { errorCode, errorMessage } from '../api/client';

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }): ReactNode {
  return (
    <div className="state empty">
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactNode {
  return (
    <div className="state error" role="alert">
      <span>
        {errorMessage(error)}
        {errorCode(error) === 'UNAUTHORIZED' ? ' The session has ended: open the URL printed by `npm run serve` again.' : null}
      </span>
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
