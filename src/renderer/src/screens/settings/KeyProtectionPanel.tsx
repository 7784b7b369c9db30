// Key protection: whether the OS keychain wraps the keys in the key file or only the file's
// permissions guard them (and why), switching between the two, and the recovery kit that
// lets keychain-wrapped keys move to another machine.
import { Icon } from '../../components/Icon';
import { useState, type ReactNode } from 'react';
import type { KeyProtectionStatus } from '../../../../shared/types';
import { crude, errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { downloadText } from '../../components/files';
import { formatWhen } from '../../components/format';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { PassphraseForm } from './PassphraseForm';

export function KeyProtectionPanel(): ReactNode {
  // A rotation makes the kit stale and a restore may change the protection: refresh on any change.
  const status = useQuery(() => crude().keyProtection.status({}), [], ['']);
  if (status.error && !status.data) return <ErrorBanner error={status.error} onRetry={status.reload} />;
  if (!status.data) return <Loading what="key protection" />;
  const s = status.data;
  return (
    <section className="panel settings-section" aria-labelledby="keyprot-h" id="key-protection">
      <h2 id="keyprot-h">
        <Icon name="key" /> Key protection
      </h2>
      {s.protection === 'keychain' ? (
        <div className="state ok" role="status" data-testid="key-protection">
          <strong>Keys are wrapped by the OS keychain</strong> ({s.backend}). The key file holds no key in the clear, and it opens only on this
          machine and user account: to move the installation, use a backup or the recovery kit.
        </div>
      ) : (
        <div className="backup-note" role="note" data-testid="key-protection">
          <strong>Keys are protected by file permissions only.</strong> {s.fileOnlyReason}
        </div>
      )}
      <dl className="facts">
        <dt>Key file</dt>
        <dd>
          <code>{s.keyFile}</code>
        </dd>
        <dt>OS keychain here</dt>
        <dd>{s.keychain.available ? `available (${s.keychain.backend})` : `not available${s.keychain.backend ? ` (${s.keychain.backend})` : ''}`}</dd>
      </dl>
      <SwitchProtection status={s} onChanged={status.reload} />
      <RecoveryKit status={s} onCreated={status.reload} />
    </section>
  );
}

function SwitchProtection({ status, onChanged }: { status: KeyProtectionStatus; onChanged: () => void }): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const turnOn = async () => {
    setBusy(true);
    setError(null);
    try {
      await crude().keyProtection.set({ protection: 'keychain' });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  if (status.protection === 'file') {
    if (!status.keychain.available) return null;
    return (
      <div className="actions left">
        <button type="button" className="primary" disabled={busy} onClick={() => void turnOn()}>
          {busy ? 'Wrapping the keys…' : `Protect the keys with the OS keychain (${status.keychain.backend})`}
        </button>
        {error ? <span className="field-error" role="alert">{error}</span> : null}
      </div>
    );
  }
  return (
    <div className="actions left">
      <button type="button" onClick={() => setConfirming(true)}>
        Switch to file protection…
      </button>
      {confirming ? (
        <ConfirmDialog
          title="Store the keys in the key file in the clear?"
          confirmLabel="Switch to file protection"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            await crude().keyProtection.set({ protection: 'file' });
            onChanged();
          }}
        >
          <p>
            The keys are then written into <code>{status.keyFile}</code> as they are, guarded by the file's permissions only: anyone who can read
            the file as you can read every secret. The file can then be copied to another machine (or opened in browser mode).
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function RecoveryKit({ status, onCreated }: { status: KeyProtectionStatus; onCreated: () => void }): ReactNode {
  const kit = status.recoveryKit;
  return (
    <div className="recovery-kit">
      <h3>Recovery kit</h3>
      <p className="small muted">
        The keys alone, sealed under a passphrase like a backup (a <code>.cfkeys</code> file). Keys wrapped by the OS keychain cannot leave this
        machine; with the kit, start the app once with <code>--restore-keys FILE</code> to put them back next to their database — on a new
        machine, another user account, or after the keychain was reset. It holds the keys of the moment: make a new one after each rotation.
      </p>
      <dl className="facts">
        <dt>Last recovery kit</dt>
        <dd data-testid="recovery-kit-status">
          {kit ? (
            <>
              {formatWhen(kit.createdAt)} (key {kit.keyVersion})
              {status.recoveryKitCurrent ? null : <span className="warn-text"> — stale: the keys were rotated to {status.currentKeyVersion} since</span>}
            </>
          ) : (
            <span className={status.recoveryKitDue ? 'warn-text' : ''}>never</span>
          )}
        </dd>
      </dl>
      <PassphraseForm
        title="Create a recovery kit"
        submitLabel="Create recovery kit"
        busyLabel="Sealing the keys…"
        hint="Nobody can open the kit without it. Keep the passphrase apart from the file."
        onSubmit={async (passphrase) => {
          const k = await crude().recoveryKit.create({ passphrase });
          downloadText(k.fileName, k.content, 'application/octet-stream');
          onCreated();
          return `Saved ${k.fileName}. Keep it and its passphrase somewhere safe, apart from each other.`;
        }}
      />
    </div>
  );
}
