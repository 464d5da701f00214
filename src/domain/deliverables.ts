// Small helpers over a case's models and guides, shared by rules, audit and PDF.
import type { Deliverable } from './case';

export function describeDeliverable(d: Deliverable): string {
  if (d.kind === 'guide') return `${d.name} (${d.guideType} guide${d.material ? `, ${d.material}` : ''})`;
  const parts = d.components.map((p) => [p.structure, p.colour, p.material].filter(Boolean).join(' / '));
  const what = d.digital ? 'digital model, not printed' : `model${d.copies > 1 ? ` ×${d.copies} copies` : ''}${d.sterile ? ', enters the sterile field' : ''}`;
  return `${d.name} (${what}: ${parts.length ? parts.join('; ') : 'no components'})`;
}

export const describeDeliverables = (ds: readonly Deliverable[]) => ds.map(describeDeliverable).join(' | ') || 'none';

export const componentCount = (ds: readonly Deliverable[]) => ds.reduce((n, d) => n + (d.kind === 'model' ? d.components.length : 0), 0);
