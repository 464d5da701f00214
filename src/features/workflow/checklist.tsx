import type { Actor, Case, StageId } from '../../domain/case';
import { stageDef } from '../../domain/stages';
import { applicableChecklist } from '../../domain/workflow';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage, formatDateTime } from '../../ui/format';

type Props = { caseData: Case; stage: StageId; actor: Actor | null; disabled: boolean };

export function Checklist({ caseData, stage, actor, disabled }: Props) {
  const run = useRunCommand(caseData.id);
  const items = applicableChecklist(stageDef(stage), caseData);
  const ticks = caseData.stages[stage].checklist;
  return (
    <fieldset className="card checklist" disabled={disabled || !actor || run.isPending}>
      <legend className="label"><h3 style={{ margin: 0 }}>Checklist</h3></legend>
      {items.map((item) => {
        const tick = ticks[item.key];
        return (
          <label key={item.key} className="check">
            <input
              type="checkbox"
              checked={tick?.done ?? false}
              onChange={(e) => actor && run.mutate({ command: { type: 'tick', stage, item: item.key, done: e.target.checked } })}
            />
            <span>
              {item.label}
              {!item.required && <span className="muted"> (optional)</span>}
              {tick && <span className="meta">{tick.done ? 'Ticked' : 'Unticked'} by {tick.byName}, {formatDateTime(tick.at)}</span>}
            </span>
          </label>
        );
      })}
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </fieldset>
  );
}
