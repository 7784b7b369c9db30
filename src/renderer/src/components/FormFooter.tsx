import type { ReactNode } from 'react';

/**
 * The end of every create/edit form: the server's error that belongs to no field, then
 * Cancel and the submit button (Enter submits, Escape closes the dialog).
 */
export function FormFooter({ error, busy, submitLabel, onCancel }: { error: string | null; busy: boolean; submitLabel: string; onCancel: () => void }): ReactNode {
  return (
    <>
      {error ? (
        <div className="state error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
