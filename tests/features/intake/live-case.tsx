// Test wrappers: feed an intake panel the stored case and the session's actor, as the case page does.
import type { ComponentType } from 'react';
import type { Actor, Case } from '../../../src/domain/case';
import type { CaseId } from '../../../src/domain/ids';
import { useCase } from '../../../src/queries/case-queries';
import { useSession } from '../../../src/session/session';

type PanelProps = { caseData: Case; actor: Actor | null };

export function LiveCase({ id, panel: Panel }: { id: CaseId; panel: ComponentType<PanelProps> }) {
  const { actor } = useSession();
  const query = useCase(id);
  if (!query.data) return <p role="status">Opening case…</p>;
  return <Panel caseData={query.data.case} actor={actor} />;
}
