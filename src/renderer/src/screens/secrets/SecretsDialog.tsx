import type { ReactNode } from 'react';
import { Dialog } from '../../components/Dialog';
import { SecretsPanel } from './SecretsPanel';
import { scopeExplanation, scopeTitle, type ScopeRef } from './scopeText';

/** A group's or key's secrets: its secrets table in a dialog. */
export function SecretsDialog({ scope, onClose }: { scope: ScopeRef; onClose: () => void }): ReactNode {
  return (
    <Dialog title={scopeTitle(scope)} onClose={onClose} wide>
      <p className="muted">{scopeExplanation(scope)}</p>
      <SecretsPanel scope={scope} compact maxHeight="50vh" />
    </Dialog>
  );
}
