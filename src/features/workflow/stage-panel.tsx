import type { Actor, Case, StageId } from '../../domain/case';
import { signatureCheck, uncountedStages, type CaseTrust } from '../../domain/case-trust';
import { stageDef } from '../../domain/stages';
import { NOT_NEEDED, recordingBlockedBy, stageStates } from '../../domain/workflow';
import { ChangeRequestNotice } from './change-request-notice';
import { Checklist } from './checklist';
import { PartQaPanel } from './part-qa-panel';
import { PartPrints } from './part-prints';
import { SendBack } from './send-back';
import { SignoffPanel } from './signoff-panel';
import { StageForm } from './stage-form';

type Props = { caseData: Case; stage: StageId; actor: Actor | null; trust: CaseTrust };

export function StagePanel({ caseData, stage, actor, trust }: Props) {
  const def = stageDef(stage);
  const distrusted = uncountedStages(caseData, trust);
  const state = stageStates(caseData, distrusted).find((s) => s.id === stage)!;
  const readOnly = Boolean(caseData.closed || caseData.cancelled);
  const locked = state.notNeeded ? null : recordingBlockedBy(caseData, stage);
  const disabled = readOnly || Boolean(locked);
  return (
    <section aria-labelledby={`stage-${stage}`}>
      <h2 id={`stage-${stage}`}>{def.title}</h2>
      <p className="muted">{def.summary}</p>
      {state.notNeeded ? (
        <div className="notice ok"><strong>{NOT_NEEDED}.</strong></div>
      ) : (
        <>
          {!actor && !readOnly && <div className="notice warn">Choose who is using the tablet (top right) to record work.</div>}
          {locked && <div className="notice warn">{locked}.</div>}
          <ChangeRequestNotice caseData={caseData} stage={stage} distrusted={distrusted} />
          {state.complete ? (
            <div className="notice ok"><strong>{def.title} is complete.</strong></div>
          ) : (
            !readOnly && (
              <div className="notice warn" aria-label={`What ${def.title.toLowerCase()} still needs`}>
                <strong>{state.waitingFor && state.waitingFor !== stage ? `Waiting for ${stageDef(state.waitingFor).title.toLowerCase()}. ` : ''}Still needed for {def.title.toLowerCase()}:</strong>
                <ul>{state.blockers.map((b) => <li key={b}>{b}</li>)}</ul>
              </div>
            )
          )}
          <StageForm caseData={caseData} stage={stage} actor={actor} disabled={disabled} />
          {stage === 'printing' && <PartQaPanel caseData={caseData} actor={actor} disabled={disabled} />}
          {stage === 'printing' && <PartPrints caseData={caseData} actor={actor} disabled={disabled} />}
          <Checklist caseData={caseData} stage={stage} actor={actor} disabled={disabled} />
          <SignoffPanel caseData={caseData} stage={stage} state={state} actor={actor} readOnly={readOnly} check={signatureCheck(caseData, trust, stage)} />
          <SendBack caseData={caseData} stage={stage} actor={actor} distrusted={distrusted} />
        </>
      )}
    </section>
  );
}
