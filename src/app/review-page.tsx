// The review screen a signer reaches from the queue: exactly what will be signed (the
// stage's record and checklist, the models, components and guides, the study), what
// changed since a voided signature, who did what and when; then Sign (the same sign-off
// panel and PIN as on the case page) or Send back with a reason. Composed here: features
// do not import each other.
import { Link, useParams } from 'react-router';
import type { StageId } from '../domain/case';
import { doesNotVerifyDetail, DOES_NOT_VERIFY_BANNER, signatureCheck, trustFailed, uncountedStages } from '../domain/case-trust';
import { asCaseId } from '../domain/ids';
import { STAGE_IDS, stageDef } from '../domain/stages';
import { awaitingSignoff } from '../domain/signoff-wait';
import { stageStates } from '../domain/workflow';
import type { CaseView } from '../db/case-view-repo';
import { CaseTrail } from '../features/review/case-trail';
import { ChangesSinceVoided } from '../features/review/changes-since-voided';
import { ModelsReview } from '../features/review/models-review';
import { ModelViewer } from '../features/model-files/model-viewer';
import { filesOf } from '../domain/model-file-refs';
import { StageRecordReview } from '../features/review/stage-record';
import { StudyIdentifiers } from '../features/review/study-identifiers';
import { ChangeRequestNotice } from '../features/workflow/change-request-notice';
import { SendBack } from '../features/workflow/send-back';
import { SignoffPanel } from '../features/workflow/signoff-panel';
import { useCase, useCaseHistory } from '../queries/case-queries';
import { useCaseTrust } from '../queries/case-trust';
import { useSession } from '../session/session';
import { DemoBadge } from '../ui/demo-badge';
import { formatDateTime } from '../ui/format';

export function ReviewPage() {
  const { caseId = '', stage = '' } = useParams();
  const query = useCase(asCaseId(caseId));
  if (!(STAGE_IDS as readonly string[]).includes(stage) || !stageDef(stage as StageId).signoff) return <div className="notice bad">This stage is not signed off.</div>;
  if (query.isPending) return <p role="status">Opening the review…</p>;
  if (!query.data) return <div className="notice bad">This case is not on this tablet.</div>;
  return <Review key={`${caseId}/${stage}`} data={query.data} stage={stage as StageId} />;
}

function Review({ data, stage }: { data: CaseView; stage: StageId }) {
  const c = data.case;
  const def = stageDef(stage);
  const { actor } = useSession();
  const trust = useCaseTrust(data);
  const history = useCaseHistory(c.id);
  const distrusted = uncountedStages(c, trust);
  const state = stageStates(c, distrusted).find((s) => s.id === stage)!;
  const waiting = awaitingSignoff(c, distrusted);
  const readOnly = Boolean(c.closed || c.cancelled);
  return (
    <article aria-labelledby="review-title">
      <div className="btn-row" style={{ marginBottom: '0.5rem' }}>
        <Link to="/queue" className="btn">Back to the queue</Link>
        <Link to={`/cases/${c.id}`} className="btn">Open the whole case</Link>
      </div>
      <header className="case-head">
        <div>
          <h1 id="review-title">Review {def.title.toLowerCase()}: {c.phi.patientName}</h1>
          <div className="muted">MRN {c.phi.mrn} · DOB {c.phi.dateOfBirth} · {c.caseNumber}</div>
          <div className="muted">{c.phi.indication} · {c.order.anatomicRegion}</div>
        </div>
        <div className="case-status">
          {c.demo && <DemoBadge />}
          <span className="badge">{waiting?.stage === stage ? `Waiting since ${formatDateTime(waiting.since)}` : state.signatureValid ? 'Signed' : 'Not waiting for sign-off'}</span>
          <div className="muted">Needed {c.order.dateNeeded} · {c.order.priority}</div>
        </div>
      </header>
      <p>Signing means: <strong>“{def.signoff!.meaning}”</strong>. It covers the record, checklist{def.signatureCoversDeliverables ? ', models, components and guides' : ''} shown below, exactly as they are now.</p>
      {trustFailed(c, trust) && (
        <div className="notice bad" role="alert" aria-label="Record does not verify">
          <strong>{DOES_NOT_VERIFY_BANNER}.</strong> {doesNotVerifyDetail(c, trust)}
        </div>
      )}
      <ChangeRequestNotice caseData={c} stage={stage} distrusted={distrusted} />
      <div className="review-grid">
        <div className="review-main">
          <StageRecordReview caseData={c} stage={stage} />
          <ModelsReview
            caseData={c}
            stage={stage}
            renderModelView={(d) => {
              const files = filesOf(c).filter((f) => f.deliverableId === d.id);
              return files.length ? files.map((f) => <ModelViewer key={f.id} file={f} deliverable={d} />) : <p className="muted">No file attached to {d.name}.</p>;
            }}
          />
          <StudyIdentifiers caseData={c} />
          <ChangesSinceVoided caseData={c} stage={stage} events={history.data?.events} />
          <CaseTrail events={history.data?.events} />
        </div>
        <aside className="review-side" aria-label="Sign or send back">
          <SignoffPanel caseData={c} stage={stage} state={state} actor={actor} readOnly={readOnly} check={signatureCheck(c, trust, stage)} />
          <SendBack caseData={c} stage={stage} actor={actor} distrusted={distrusted} />
        </aside>
      </div>
    </article>
  );
}
