import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { ErrorBanner } from './States';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The action is refused (the body says why): only a way out is offered, no disabled button. */
  blocked?: boolean;
  /** Still loading what the confirmation is about: the confirm button waits. */
  pending?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before a destructive action; shows the server's refusal in place. */
export function ConfirmDialog(props: Props): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div className="confirm-body">{props.children}</div>
      {error ? <ErrorBanner error={error} /> : null}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          {props.blocked ? 'Close' : 'Cancel'}
        </button>
        {props.blocked ? null : (
          <button type="button" className="danger" disabled={busy || props.pending} onClick={() => void confirm()}>
            {busy ? 'Working…' : props.confirmLabel}
          </button>
        )}
      </div>
    </Dialog>
  );
}
