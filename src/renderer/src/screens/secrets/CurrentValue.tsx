import type { ReactNode } from 'react';
import type { SecretSummary } from '../../../../shared/types';
import { crude } from '../../api/client';
import { MaskedValue } from '../../components/MaskedValue';

/** The value being edited, masked and revealable, so "leave empty to keep" is not a leap of faith. */
export function CurrentValue({ secret }: { secret: SecretSummary }): ReactNode {
  return (
    <div className="field current-value">
      <span className="field-label">Current value</span>
      <MaskedValue
        slot={`edit-${secret.id}`}
        label={`current value of ${secret.name}`}
        brokenReason={secret.decryptionError}
        reveal={async () => (await crude().secrets.reveal({ id: secret.id })).value}
      />
    </div>
  );
}
