import { useState } from 'react';
import type { Actor, Case, StageId } from '../../domain/case';
import { ROLE_LABELS } from '../../domain/case';
import { DEMO_SIGNER_REFUSED, shownName } from '../../domain/demo-people';
import { notCountedText, type TrustCheck } from '../../domain/case-trust';
import { signedFileVersions, signedVersionsText } from '../../domain/design-versions';
import { stageDef } from '../../domain/stages';
import type { StageState } from '../../domain/workflow';
import { useSecurityPolicy } from '../../queries/user-queries';
import { useSignStage } from '../../queries/case-queries';
import { useBusyWhile } from '../../session/busy';
import { errorMessage, formatDateTime } from '../../ui/format';

type Props = { caseData: Case; stage: StageId; state: StageState; actor: Actor | null; readOnly: boolean; check: TrustCheck | null };

/**
 * A signature shows printed name, date and time, and meaning (21 CFR 11.50); signing
 * needs the signer's secret at that moment (11.200); a change to the signed content voids it (11.70).
 */
export function SignoffPanel({ caseData, stage, state, actor, readOnly, check }: Props) {
  const def = stageDef(stage);
  const rec = caseData.stages[stage];
  const sign = useSignStage(caseData.id);
  const secretKind = useSecurityPolicy().data?.secret.kind;
  const [confirming, setConfirming] = useState(false);
  const [secret, setSecret] = useState('');
  useBusyWhile(`signing:${caseData.id}:${stage}`, confirming);
  if (!def.signoff) return null;
  const { role, meaning } = def.signoff;
  const otherBlockers = state.blockers.filter((b) => !b.startsWith('Needs') && !b.startsWith('Signature no longer') && !b.startsWith('The signature does not verify'));
  const ready = !state.waitingFor || state.waitingFor === stage;
  const hasRole = actor?.roles.includes(role) ?? false;
  const demoOnReal = hasRole && actor?.demo === true && !caseData.demo;
  const mayCheck = hasRole && !demoOnReal;
  const secretName = secretKind === 'passphrase' ? 'passphrase' : 'PIN';
  // A signature from before versions were recorded, still valid, covers the files as they are.
  const signedVersions = rec.signature?.fileVersions ?? (state.signatureValid ? signedFileVersions(caseData, stage) : []);
  const toSign = signedFileVersions(caseData, stage);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    sign.mutate({ stage, secret }, { onSuccess: () => setConfirming(false), onSettled: () => setSecret('') });
  };

  return (
    <section className="card" aria-labelledby={`sign-${stage}`}>
      <h3 id={`sign-${stage}`}>{ROLE_LABELS[role]} sign-off</h3>
      {rec.signature && state.signatureValid ? (
        <div className="signature ok" aria-label="Signature">
          <strong>{rec.signature.signerName}</strong> ({ROLE_LABELS[rec.signature.role]}) — {formatDateTime(rec.signature.signedAt)}
          <div>Meaning: “{rec.signature.meaning}”</div>
          {signedVersions.length > 0 && <div>Signed {signedVersionsText(signedVersions)}</div>}
          <div className="muted hash">Signed content SHA-256 {rec.signature.contentHash.slice(0, 16)}… · digital signature {check?.state === 'verified' ? 'verified with the signer’s key' : 'not checked'}</div>
        </div>
      ) : rec.signature && check && check.state !== 'verified' ? (
        <div className="notice bad" role="alert">
          <strong>{notCountedText(check)}</strong> Recorded as {rec.signature.signerName} ({ROLE_LABELS[rec.signature.role]}), {formatDateTime(rec.signature.signedAt)}. A {role} must sign again.
        </div>
      ) : rec.signature ? (
        <div className="notice bad">This signature does not match the record any more and does not count. A {role} must sign again.</div>
      ) : (
        <p>Not signed yet. Meaning of the signature: “{meaning}”.</p>
      )}

      {rec.voidedSignatures.length > 0 && (
        <div className="voided">
          <h4>Voided signatures</h4>
          <ul>
            {rec.voidedSignatures.map((v) => (
              <li key={v.signedAt + v.voidedAt}>
                <s>{v.signerName}, {formatDateTime(v.signedAt)}: “{v.meaning}”{v.fileVersions?.length ? `, signed ${signedVersionsText(v.fileVersions)}` : ''}</s> — voided {formatDateTime(v.voidedAt)} by {v.voidedByName}. {v.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!readOnly && !state.signatureValid && (
        <>
          {!hasRole && <p className="muted">Only a {role} can sign this stage. Lock the tablet (top right) and sign in as the {role}.</p>}
          {demoOnReal && <p className="notice warn">{DEMO_SIGNER_REFUSED}: {shownName(actor!)} is for trying Printpath on demo cases. Lock the tablet and sign in as yourself to sign this one.</p>}
          {mayCheck && !ready && <p className="muted">Complete the earlier stages first.</p>}
          {mayCheck && ready && otherBlockers.length > 0 && <p className="muted">Ready to sign once the items above are done.</p>}
          {!confirming ? (
            <button type="button" className="btn primary" disabled={!mayCheck || !ready || otherBlockers.length > 0} onClick={() => setConfirming(true)}>
              Sign off {def.title.toLowerCase()}
            </button>
          ) : (
            <form className="notice" aria-label="Confirm signature" onSubmit={submit}>
              <p>
                You are signing as <strong>{actor && shownName(actor)}</strong> ({ROLE_LABELS[role]}): “{meaning}”. The signature covers what is recorded in this stage now;
                any later change voids it.
                {toSign.length > 0 && <> It signs <strong>{signedVersionsText(toSign)}</strong>.</>}
              </p>
              <div className="field">
                <label htmlFor={`sign-secret-${stage}`}>Your {secretName}, to sign</label>
                <input
                  id={`sign-secret-${stage}`}
                  type="password"
                  inputMode={secretKind === 'passphrase' ? 'text' : 'numeric'}
                  autoComplete="off"
                  className="secret"
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  aria-invalid={sign.isError}
                  aria-describedby={sign.isError ? `sign-error-${stage}` : undefined}
                  autoFocus
                />
                {sign.isError && <span id={`sign-error-${stage}`} className="field-error" role="alert">{errorMessage(sign.error)}</span>}
              </div>
              <div className="btn-row">
                <button type="submit" className="btn primary" disabled={!secret || sign.isPending}>{sign.isPending ? 'Signing…' : `Sign as ${actor ? shownName(actor) : ''}`}</button>
                <button type="button" className="btn" onClick={() => { setConfirming(false); sign.reset(); }}>Cancel</button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
