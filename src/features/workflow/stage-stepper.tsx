import type { Case, StageId } from '../../domain/case';
import { uncountedStages, type CaseTrust } from '../../domain/case-trust';
import { openChangeRequest, stageStates } from '../../domain/workflow';

export type CaseTab = StageId | 'order' | 'billing' | 'history';

type Props = { caseData: Case; trust: CaseTrust; current: CaseTab; onSelect: (tab: CaseTab) => void };

/** The case's sections; the four stages show whether they are done, open or waiting. */
export function StageStepper({ caseData, trust, current, onSelect }: Props) {
  const distrusted = uncountedStages(caseData, trust);
  const states = stageStates(caseData, distrusted);
  const tabs: { id: CaseTab; label: string; note?: string; tone?: string }[] = [
    { id: 'order', label: 'Order' },
    ...states.map((s, i) => ({
      id: s.id,
      label: `${i + 1}. ${s.title}`,
      note: s.notNeeded ? 'Not needed' : s.complete ? 'Done' : s.waitingFor && s.waitingFor !== s.id ? 'Waiting' : openChangeRequest(caseData, s.id, distrusted) ? 'Sent back' : caseData.stages[s.id].voidedSignatures.length && !s.signatureValid && s.needsSignature ? 'Re-sign' : 'Open',
      tone: s.complete ? 'ok' : s.waitingFor === s.id ? 'current' : '',
    })),
    { id: 'billing', label: 'Codes & PDF' },
    { id: 'history', label: 'History' },
  ];
  return (
    <nav aria-label="Case sections" className="stepper">
      {tabs.map((t) => (
        <button key={t.id} type="button" className={`step ${t.tone ?? ''}`} aria-current={current === t.id ? 'step' : undefined} onClick={() => onSelect(t.id)}>
          <span>{t.label}</span>
          {t.note && <span className="step-note">{t.note}</span>}
        </button>
      ))}
    </nav>
  );
}
