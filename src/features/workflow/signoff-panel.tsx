import { useState } from 'react';
import type { Actor, Case, StageId } from '../../domain/case';
import { ROLE_LABELS } from '../../domain/case';
import { stageDef } from '../../domain/stages';
import type { StageState } from '../../domain/workflow';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage, formatDateTime } from '../../ui/format';

type Props = { caseData: Case; stage: StageId; state: StageState; actor: Actor | null; readOnly: boolean };

/** A signature shows printed name, date and time, and meaning (21 CFR 11.50), and is voided when the signed content changes. */
export function SignoffPanel({ caseData, stage, state, actor, readOnly }: Props) {
  const def = stageDef(stage);
  const rec = caseData.stages[stage];
  const run = useRunCommand(caseData.id);
  const [confirming, setConfirming] = useState(false);
  if (!def.signoff) return null;
  const { role, meaning } = def.signoff;
  const otherBlockers = state.blockers.filter((b) => !b.startsWith('Needs') && !b.startsWith('Signature no longer'));
  const ready = !state.waitingFor || state.waitingFor === stage;
  const mayCheck = actor?.roles.includes(role) ?? false;

  const sign = async () => {
    if (!actor) return;
    await run.mutateAsync({ command: { type: 'sign', stage }, actor });
    setConfirming(false);
  };

  return (
    <section className="card" aria-labelledby={`sign-${stage}`}>
      <h3 id={`sign-${stage}`}>{ROLE_LABELS[role]} sign-off</h3>
      {rec.signature && state.signatureValid ? (
        <div className="signature ok" aria-label="Signature">
          <strong>{rec.signature.signerName}</strong> ({ROLE_LABELS[rec.signature.role]}) — {formatDateTime(rec.signature.signedAt)}
          <div>Meaning: “{rec.signature.meaning}”</div>
          <div className="muted hash">Signed content SHA-256 {rec.signature.contentHash.slice(0, 16)}…</div>
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
                <s>{v.signerName}, {formatDateTime(v.signedAt)}: “{v.meaning}”</s> — voided {formatDateTime(v.voidedAt)} by {v.voidedByName}. {v.reason}
              </li>
            ))}
          </ul>
        </div>
      )}

      {!readOnly && !state.signatureValid && (
        <>
          {!mayCheck && <p className="muted">Only a {role} can sign this stage. Switch user (top right) to sign.</p>}
          {mayCheck && !ready && <p className="muted">Complete the earlier stages first.</p>}
          {mayCheck && ready && otherBlockers.length > 0 && <p className="muted">Ready to sign once the items above are done.</p>}
          {!confirming ? (
            <button type="button" className="btn primary" disabled={!mayCheck || !ready || otherBlockers.length > 0} onClick={() => setConfirming(true)}>
              Sign off {def.title.toLowerCase()}
            </button>
          ) : (
            <div className="notice" role="group" aria-label="Confirm signature">
              <p>
                You are signing as <strong>{actor?.name}</strong> ({ROLE_LABELS[role]}): “{meaning}”. The signature covers what is recorded in this stage now;
                any later change voids it.
              </p>
              <div className="btn-row">
                <button type="button" className="btn primary" onClick={() => void sign()} disabled={run.isPending}>Sign as {actor?.name}</button>
                <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
              </div>
            </div>
          )}
        </>
      )}
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </section>
  );
}
