import { useEffect, useState, type ReactNode } from 'react';
import { REVEAL_MS } from '../../hooks/useRevealSlot';
import type { CompleteSecret, SecretExplanation } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { Icon } from '../../components/Icon';
import { MASK } from '../../components/MaskedValue';

/**
 * What `ctx.getCompleteSecret(name)` returns in this context. Masked until asked:
 * the masked form is built from the chain, the real one fetched on request.
 * The caller keys this component by context, so a new context starts masked.
 */
export function CompleteResult({ explanation: x }: { explanation: SecretExplanation }): ReactNode {
  const [shown, setShown] = useState<CompleteSecret | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reveal = async () => {
    try {
      setShown(await crude().secrets.complete({ name: x.name, functionId: x.functionId, keyId: x.keyId }));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  // Revealed values hide again by themselves, like every other value.
  useEffect(() => {
    if (shown === undefined) return;
    const t = setTimeout(() => setShown(undefined), REVEAL_MS);
    return () => clearTimeout(t);
  }, [shown]);
  const masked = maskedShape(x);
  return (
    <div className="complete">
      <div className="toolbar">
        <h3 className="h4">
          <code>ctx.getCompleteSecret("{x.name}")</code> in this context
        </h3>
        <span className="grow" />
        {shown === undefined ? (
          <button type="button" onClick={() => void reveal()}>
            <Icon name="reveal" /> Reveal values
          </button>
        ) : (
          <button type="button" onClick={() => setShown(undefined)}>
            <Icon name="hide" /> Hide values
          </button>
        )}
      </div>
      {error ? <div className="state error">{error}</div> : null}
      <pre className="body" data-testid="complete-result" tabIndex={0} aria-label={`What getCompleteSecret returns`}>
        {shown === undefined ? masked : JSON.stringify(shown ?? undefined, null, 2) ?? 'undefined'}
      </pre>
    </div>
  );
}

function maskedShape(x: SecretExplanation): string {
  const out: Record<string, unknown> = {};
  const by = new Map(x.chain.map((l) => [l.scope, l]));
  const mask = MASK;
  if (by.get('global')?.defined && by.get('global')?.applies) out.global = mask;
  if (by.get('function')?.defined && by.get('function')?.applies) out.function = mask;
  if (by.get('group')?.defined && by.get('group')?.applies)
    out.group = { value: mask, groupId: x.groupId, groupName: x.groupName };
  if (by.get('key')?.defined && by.get('key')?.applies)
    out.key = { value: mask, groupId: x.groupId, groupName: x.groupName, keyId: x.keyId, keyName: x.keyName };
  return Object.keys(out).length ? JSON.stringify(out, null, 2) : 'undefined';
}
