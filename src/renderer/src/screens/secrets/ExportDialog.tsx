// Export one scope as a .env or JSON file. The file holds every value in plaintext, so the
// dialog says so and asks for an explicit yes; the export is recorded in the audit log.
import { useState, type ReactNode } from 'react';
import { crude } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { downloadText } from '../../components/files';
import { plural } from '../../components/format';
import { ErrorBanner } from '../../components/States';
import { scopeTitle, type ScopeRef } from './scopeText';

export function ExportDialog({ scope, count, onClose }: { scope: ScopeRef; count: number; onClose: () => void }): ReactNode {
  const [format, setFormat] = useState<'env' | 'json'>('env');
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const title = scopeTitle(scope);

  const exportNow = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await crude().secrets.export({ scope: scope.scope, scopeId: scope.scopeId, format });
      downloadText(r.fileName, r.text, format === 'json' ? 'application/json' : 'text/plain');
      setDone(
        `Saved ${plural(r.count, 'secret')} as ${r.fileName}.` +
          (r.unreadable.length ? ` Left out, because they cannot be decrypted: ${r.unreadable.join(', ')}.` : ''),
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Export ${title.toLowerCase()}`} onClose={onClose}>
      {done ? (
        <>
          <p role="status" className="good">
            {done}
          </p>
          <p className="small muted">Delete the file once it has done its job: anyone who can read it has the values.</p>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <fieldset className="segmented" aria-label="Format">
            <label>
              <input type="radio" name="export-format" checked={format === 'env'} onChange={() => setFormat('env')} /> .env
            </label>
            <label>
              <input type="radio" name="export-format" checked={format === 'json'} onChange={() => setFormat('json')} /> JSON
            </label>
          </fieldset>
          <div className="warning-box" role="note">
            <strong>The file will hold {plural(count, 'secret value')} in plaintext.</strong> Unlike the app's store it is not
            encrypted: anyone or anything that can read the file — a synced folder, a backup tool, another user — can read every
            value. For a copy of everything that stays encrypted, use <em>Settings → Backup</em>.
          </div>
          <label className="check">
            <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> I understand: the file holds the values in plaintext
          </label>
          {error ? <ErrorBanner error={error} /> : null}
          <div className="actions">
            <button type="button" onClick={onClose} autoFocus>
              Cancel
            </button>
            <button type="button" className="danger" disabled={!understood || busy || count === 0} onClick={() => void exportNow()}>
              {busy ? 'Exporting…' : 'Export plaintext file'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
