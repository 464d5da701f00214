import type { Actor, Case, StageId } from '../../domain/case';
import { stageDef } from '../../domain/stages';
import { applicableChecklist } from '../../domain/workflow';
import { usePendingCommands, useRunCommand } from '../../queries/case-queries';
import { errorMessage, formatDateTime } from '../../ui/format';

type Props = { caseData: Case; stage: StageId; actor: Actor | null; disabled: boolean };

export function Checklist({ caseData, stage, actor, disabled }: Props) {
  const run = useRunCommand(caseData.id);
  const items = applicableChecklist(stageDef(stage), caseData);
  const ticks = caseData.stages[stage].checklist;
  // A tick flips at once, but says who ticked it only once the write has committed
  // (and the case is read back): what shows as done must survive a reload.
  const saving = new Set(usePendingCommands(caseData.id).flatMap((c) => (c.type === 'tick' && c.stage === stage ? [c.item] : [])));
  return (
    <fieldset className="card checklist" disabled={disabled || !actor || run.isPending || saving.size > 0}>
      <legend className="label"><h3 style={{ margin: 0 }}>Checklist</h3></legend>
      {items.map((item) => {
        const tick = ticks[item.key];
        const pending = saving.has(item.key);
        return (
          <label key={item.key} className="check" aria-busy={pending || undefined}>
            <input
              type="checkbox"
              checked={tick?.done ?? false}
              onChange={(e) => actor && run.mutate({ command: { type: 'tick', stage, item: item.key, done: e.target.checked } })}
            />
            <span>
              {item.label}
              {!item.required && <span className="muted"> (optional)</span>}
              {pending ? (
                <span className="meta">Saving…</span>
              ) : (
                tick && <span className="meta">{tick.done ? 'Ticked' : 'Unticked'} by {tick.byName}, {formatDateTime(tick.at)}</span>
              )}
            </span>
          </label>
        );
      })}
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </fieldset>
  );
}
