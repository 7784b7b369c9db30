// Modal built on <dialog>: the browser traps focus, Escape closes it, focus returns after.
import { useEffect, useEffectEvent, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}

const FIELDS = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * Where focus goes when a dialog opens: a control marked data-autofocus, else the first
 * field, else the dialog's first action. Not ✕: the browser would pick it (it comes first),
 * and React's autoFocus runs before the dialog is open, when nothing in it can take focus.
 */
export function firstFocus(body: HTMLElement): HTMLElement | null {
  return (
    body.querySelector<HTMLElement>('[data-autofocus]') ??
    body.querySelector<HTMLElement>(FIELDS) ??
    body.querySelector<HTMLElement>('.actions button:not([disabled])') ??
    body.querySelector<HTMLElement>('button:not([disabled]), a[href], [tabindex="0"]')
  );
}

export function Dialog({ title, onClose, children, wide }: Props): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const close = useEffectEvent(() => onClose());
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    d.showModal();
    const target = bodyRef.current ? firstFocus(bodyRef.current) : null;
    target?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      close();
    };
    d.addEventListener('cancel', onCancel);
    return () => {
      d.removeEventListener('cancel', onCancel);
      if (d.open) d.close();
      // Back where the operator was; if that is gone (a deleted row), the screen's heading.
      if (opener && opener.isConnected && opener !== document.body) opener.focus();
      else document.querySelector<HTMLElement>('#main h1')?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className={`dialog${wide ? ' wide' : ''}`} aria-labelledby={titleId}>
      <header className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="dialog-body" ref={bodyRef}>
        {children}
      </div>
    </dialog>
  );
}
