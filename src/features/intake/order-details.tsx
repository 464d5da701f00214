import { appropriatenessText, ENCOUNTER_LABELS, type Case } from '../../domain/case';
import { labelOf, PRIORITY_OPTIONS, SEX_OPTIONS } from './labels';

export function OrderDetails({ caseData: c }: { caseData: Case }) {
  const rows: [string, string][] = [
    ['Patient name', c.phi.patientName],
    ['MRN', c.phi.mrn],
    ['Date of birth', c.phi.dateOfBirth],
    ['Sex', labelOf(SEX_OPTIONS, c.phi.sex)],
    ['Ordering physician', c.order.orderingPhysician],
    ['Contact', c.order.physicianContact],
    ['Indication', c.phi.indication],
    ['ICD-10 code', c.order.icd10],
    ['Anatomic region', c.order.anatomicRegion],
    ['Structures to include', c.order.structures.join(', ')],
    ['Date needed', c.order.dateNeeded],
    ['Priority', labelOf(PRIORITY_OPTIONS, c.order.priority)],
    ['Payer', c.order.payer ?? 'Not recorded'],
    ['Encounter setting', c.order.encounter ? ENCOUNTER_LABELS[c.order.encounter] : 'Not recorded'],
    ['Clinical scenario', c.phi.scenario ?? 'Not recorded'],
    ['Appropriateness', appropriatenessText(c.order) ?? 'Not recorded'],
    ['Notes', c.phi.notes.trim() || '—'],
  ];
  return (
    <dl className="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
