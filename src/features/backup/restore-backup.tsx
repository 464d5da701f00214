import { useState } from 'react';
import type { RestoreChoices } from '../../db/backup';
import { useApplyRestore, useReadBackup } from '../../queries/backup-queries';
import { shortFingerprint } from '../../crypto/signing-keys';
import { errorMessage, formatDateTime } from '../../ui/format';
import { SecretInput } from '../../ui/secret-input';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Pick a file, see what it would change and who signed it, choose for cases that differ,
 * then restore all or nothing. On a wiped tablet a lab admin in the file types their secret:
 * it opens the file's cases, every one of which is proven before anything is written.
 */
export function RestoreBackup({ onRestored }: { onRestored?: () => void }) {
  const read = useReadBackup();
  const apply = useApplyRestore();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [choices, setChoices] = useState<RestoreChoices>({});
  const [adminId, setAdminId] = useState('');
  const [adminSecret, setAdminSecret] = useState('');
  const preview = read.data?.preview;
  const restoringAdmin = adminId || preview?.admins[0]?.id || '';
  const restore = () => {
    if (!read.data) return;
    const admin = preview?.tabletIsEmpty ? { admin: { id: restoringAdmin, secret: adminSecret } } : {};
    apply.mutate({ contents: read.data.contents, choices, ...admin }, { onSuccess: () => onRestored?.(), onSettled: () => setAdminSecret('') });
  };
  const chooseAll = (c: 'tablet' | 'backup') => setChoices(Object.fromEntries((preview?.differing ?? []).map((d) => [d.id, c])));

  return (
    <section className="card" aria-labelledby="restore-title">
      <h2 id="restore-title">Restore a backup</h2>
      <form
        aria-label="Read a backup file"
        onSubmit={(e) => {
          e.preventDefault();
          apply.reset();
          if (file) read.mutate({ file, passphrase: passphrase || null }, { onSuccess: () => { setChoices({}); setAdminId(''); } });
        }}
      >
        <div className="field">
          <label htmlFor="restore-file">Backup file</label>
          <input id="restore-file" type="file" accept="application/json,.json" onChange={(e) => { setFile(e.target.files?.[0] ?? null); read.reset(); }} />
        </div>
        <div className="field">
          <label htmlFor="restore-passphrase">Backup passphrase (only if the file has one)</label>
          <input id="restore-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </div>
        {read.isError && <p className="field-error" role="alert">{errorMessage(read.error)} Nothing on this tablet was changed.</p>}
        <button type="submit" className="btn" disabled={!file || read.isPending}>{read.isPending ? 'Checking the file…' : 'Check the file'}</button>
      </form>

      {preview && !apply.isSuccess && (
        <div className="notice" role="region" aria-label="What the restore would do">
          <p>
            Backup of {formatDateTime(preview.exportedAt)} by {preview.exportedBy}: <strong>{preview.newCases} new</strong>, {preview.identicalCases} identical,{' '}
            <strong>{preview.differing.length} different</strong> from this tablet{preview.newPeople.length ? `; adds ${preview.newPeople.join(', ')}` : ''}.
            {preview.tabletIsEmpty && ' This tablet is empty: everything in the backup, people included, will be restored.'}
          </p>
          <dl className="facts">
            <dt>Signed by</dt>
            <dd>{preview.signedBy.name} (sign-off key {shortFingerprint(preview.signedBy.keyFingerprint)})</dd>
            <dt>Lab root key</dt>
            <dd>{shortFingerprint(preview.labRoot)}</dd>
            <dt>Model files</dt>
            <dd>{preview.modelFiles === 'included' ? 'Included: they are restored with their cases' : preview.modelFiles === 'left-out' ? 'Left out of this backup: cases keep their file references, and the files show as not on this tablet' : 'None (made before model files existed)'}</dd>
          </dl>
          {preview.tabletIsEmpty && (
            <>
              <div className="field">
                <label htmlFor="restore-admin">Lab admin restoring it</label>
                <select id="restore-admin" value={restoringAdmin} onChange={(e) => setAdminId(e.target.value)}>
                  {preview.admins.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
                </select>
              </div>
              <div className="field">
                <label htmlFor="restore-admin-secret">Their PIN or passphrase</label>
                <span id="restore-admin-secret-hint" className="hint">As it was when the backup was made: it opens the backup’s cases.</span>
                <SecretInput id="restore-admin-secret" value={adminSecret} onChange={setAdminSecret} policy={undefined} describedBy="restore-admin-secret-hint" />
              </div>
            </>
          )}
          {preview.differing.length > 0 && (
            <fieldset className="field">
              <legend className="label">Cases that differ: keep which copy?</legend>
              <div className="btn-row">
                <button type="button" className="btn" onClick={() => chooseAll('tablet')}>Keep the tablet’s for all</button>
                <button type="button" className="btn" onClick={() => chooseAll('backup')}>Take the backup’s for all</button>
              </div>
              {preview.differing.map((d) => (
                <div key={d.id} className="choice" role="radiogroup" aria-label={`Case ${d.caseNumber}`}>
                  <strong>{d.caseNumber}</strong>
                  <label className="check">
                    <input type="radio" name={`c-${d.id}`} checked={choices[d.id] === 'tablet'} onChange={() => setChoices({ ...choices, [d.id]: 'tablet' })} />
                    Tablet’s (revision {d.tablet.revision}, {formatDateTime(d.tablet.updatedAt)})
                  </label>
                  <label className="check">
                    <input type="radio" name={`c-${d.id}`} checked={choices[d.id] === 'backup'} onChange={() => setChoices({ ...choices, [d.id]: 'backup' })} />
                    Backup’s (revision {d.backup.revision}, {formatDateTime(d.backup.updatedAt)})
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          {apply.isPending && apply.progress && (
            <p className="muted" role="status">Checking signatures: {count(apply.progress.done)} of {count(apply.progress.total)}</p>
          )}
          {apply.isError && <p className="field-error" role="alert">{errorMessage(apply.error)}</p>}
          <button
            type="button"
            className="btn primary"
            disabled={apply.isPending || preview.differing.some((d) => !choices[d.id]) || (preview.tabletIsEmpty && !adminSecret)}
            onClick={restore}
          >
            {apply.isPending ? 'Restoring…' : 'Restore'}
          </button>
        </div>
      )}
      {apply.isSuccess && <p className="notice ok" role="status">Restored: {apply.data.newCases} new cases added{apply.data.differing.length ? `, ${apply.data.differing.length} differing cases settled as chosen` : ''}.</p>}
    </section>
  );
}
