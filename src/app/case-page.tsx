import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import type { CaseHistory, CaseView as CaseData } from '../db/case-view-repo';
import { asCaseId, type CaseId } from '../domain/ids';
import { doesNotVerifyDetail, DOES_NOT_VERIFY_BANNER, trustFailed, verifiedCodes, verifiedStatus, type CaseTrust } from '../domain/case-trust';
import { billingState } from '../domain/billing-state';
import { DEFAULT_CODE_TABLE, MUE_CONSEQUENCE } from '../domain/cpt';
import { ParkedChanges } from '../features/conflicts/parked-changes';
import { DicomImport } from '../features/dicom-import/dicom-import';
import { HistoryPanel } from '../features/history/history-panel';
import { DeliverablesEditor } from '../features/intake/deliverables-editor';
import { OrderPanel } from '../features/intake/order-panel';
import { ModelFilesSection } from '../features/model-files/model-files-section';
import { PartMarks } from '../features/part-marks/part-marks';
import { ReimbursementPanel } from '../features/reimbursement/reimbursement-panel';
import { ExportDicomButton } from '../features/report/export-dicom-button';
import { ExportFhirButton } from '../features/report/export-fhir-button';
import { ExportPdfButton } from '../features/report/export-pdf-button';
import { CancelCase } from '../features/workflow/cancel-case';
import { StagePanel } from '../features/workflow/stage-panel';
import { StageStepper, type CaseTab } from '../features/workflow/stage-stepper';
import { useCase, useCaseHistory, useCodeTable } from '../queries/case-queries';
import { afterPaint } from '../queries/after-paint';
import { useCaseTrust } from '../queries/case-trust';
import { useCombinations } from '../queries/lab-settings-queries';
import { trustFromChecks } from '../queries/trust-from-checks';
import { useSession } from '../session/session';
import { BillingBadge } from '../ui/billing-badge';
import { BelowTheFold } from '../ui/below-the-fold';
import { DemoBadge } from '../ui/demo-badge';
import { stageClock } from '../ui/format';

function openTab(c: CaseData['case'], trust: CaseTrust): CaseTab {
  const s = verifiedStatus(c, trust);
  return s.code === 'in-stage' ? s.stage : 'billing';
}

export function CasePage() {
  const { caseId = '' } = useParams();
  const query = useCase(asCaseId(caseId));
  if (query.isPending) return <p role="status">Opening case…</p>;
  if (!query.data) return <div className="notice bad">This case is not on this tablet.</div>;
  return <CaseView key={caseId} data={query.data} />;
}

/** Opens on the stage that needs work, then stays where the user is. */
function CaseView({ data }: { data: CaseData }) {
  const c = data.case;
  const codeTable = useCodeTable().data ?? DEFAULT_CODE_TABLE;
  const combinations = useCombinations();
  const { actor } = useSession();
  // The status, stages, codes and exports all count only what verifies (the same model the PDF prints).
  const trust = useCaseTrust(data);
  const [current, setTab] = useState<CaseTab>(() => openTab(c, trustFromChecks(data)));
  // Set once the case has painted: from then on the sections under any tab's panel show at once.
  const painted = useRef(false);
  useEffect(() => void afterPaint().then(() => (painted.current = true)), []);
  const status = verifiedStatus(c, trust);
  const codes = verifiedCodes(c, codeTable, trust);
  // The header names the case the way the codes and the PDF do: never "Ready" with a warning or nothing to bill.
  const billing = billingState(c, status, codes, stageClock(c.createdAt));
  const aboveMue = codes.lines.filter((l) => (l.mue?.over ?? 0) > 0);

  return (
    <article aria-labelledby="case-title" className={c.cancelled ? 'case-cancelled' : undefined}>
      <header className="case-head">
        <div>
          <h1 id="case-title">{c.phi.patientName}</h1>
          <div className="muted">MRN {c.phi.mrn} · DOB {c.phi.dateOfBirth} · {c.caseNumber}</div>
          <div className="muted">{c.phi.indication}</div>
        </div>
        <div className="case-status">
          {c.demo && <DemoBadge />}
          <BillingBadge tone={status.code === 'in-stage' || status.code === 'awaiting-use' ? 'neutral' : billing.tone} label={billing.statusLabel} />
          {aboveMue.length > 0 && <span className="badge warn" title={MUE_CONSEQUENCE}>Above the MUE: {aboveMue.map((l) => `${l.code} × ${l.units}`).join(', ')}</span>}
          <div className="muted">Needed {c.order.dateNeeded} · {c.order.priority}</div>
        </div>
      </header>
      {trustFailed(c, trust) && (
        <div className="notice bad" role="alert" aria-label="Record does not verify">
          <strong>{DOES_NOT_VERIFY_BANNER}.</strong> {doesNotVerifyDetail(c, trust)}
        </div>
      )}
      {!data.historyHere && (
        <p className="notice warn" role="status">
          This device holds only recent cases: this one’s history is on the lab server. It comes here when the case is opened online; until then the case can be read, not changed.
        </p>
      )}
      <ParkedChanges caseId={c.id} />
      <StageStepper caseData={c} trust={trust} current={current} onSelect={setTab} />
      {current === 'order' && (
        <>
          <OrderPanel caseData={c} actor={actor} />
          <BelowTheFold painted={painted}>
            <DeliverablesEditor caseData={c} actor={actor} />
            <CancelCase caseData={c} actor={actor} />
          </BelowTheFold>
        </>
      )}
      {(current === 'imaging' || current === 'segmenting' || current === 'printing' || current === 'delivery') && (
        <>
          <StagePanel key={current} caseData={c} stage={current} actor={actor} trust={trust} />
          <BelowTheFold painted={painted}>
            {current === 'imaging' && <DicomImport caseData={c} actor={actor} />}
            {current === 'segmenting' && <ModelFilesSection caseData={c} actor={actor} stage="segmenting" />}
            {current === 'printing' && (c.files?.length ?? 0) > 0 && <ModelFilesSection caseData={c} actor={actor} stage="printing" />}
            {current === 'printing' && <PartMarks caseData={c} />}
            {current === 'segmenting' && <DeliverablesEditor caseData={c} actor={actor} />}
          </BelowTheFold>
        </>
      )}
      {current === 'billing' && (
        <>
          <ReimbursementPanel caseData={c} codeTable={codeTable} trust={trust} actor={actor} />
          <WithHistory id={c.id}>
            {({ events, history }) => (
              <>
                <ExportPdfButton caseData={c} events={events} history={history} trust={trust} codeTable={codeTable} combinations={combinations.data ?? null} />
                <ExportDicomButton caseData={c} events={events} history={history} trust={trust} codeTable={codeTable} combinations={combinations.data ?? null} />
                <ExportFhirButton caseData={c} events={events} history={history} trust={trust} codeTable={codeTable} combinations={combinations.data ?? null} />
              </>
            )}
          </WithHistory>
        </>
      )}
      {current === 'history' && <WithHistory id={c.id}>{({ events, history }) => <HistoryPanel caseData={c} events={events} verification={history} trust={trust} />}</WithHistory>}
    </article>
  );
}

/** The case's history, read when a tab needs it, and only as it stands after the last change (an export must not miss one). */
function WithHistory({ id, children }: { id: CaseId; children: (h: CaseHistory) => ReactNode }) {
  const history = useCaseHistory(id);
  if (!history.data || history.isFetching) return <p role="status">Reading the case history…</p>;
  return children(history.data);
}
