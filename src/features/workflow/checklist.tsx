import { useState } from 'react';
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
  // A tick flips in the frame of the tap (this state, set in the click itself), but says who
  // ticked it only once its signed entry has committed: what shows as done must survive a reload.
  const [tapped, setTapped] = useState<ReadonlyMap<string, boolean>>(new Map());
  const saving = new Set([...tapped.keys(), ...usePendingCommands(caseData.id).flatMap((c) => (c.type === 'tick' && c.stage === stage ? [c.item] : []))]);
  const tick = (item: string, done: boolean) => {
    setTapped((m) => new Map(m).set(item, done));
    const settled = () => setTapped((m) => new Map([...m].filter(([k]) => k !== item)));
    run.mutate({ command: { type: 'tick', stage, item, done } }, { onSettled: settled });
  };
  return (
    <fieldset className="card checklist" disabled={disabled || !actor || run.isPending || saving.size > 0}>
      <legend className="label"><h3 style={{ margin: 0 }}>Checklist</h3></legend>
      {items.map((item) => {
        const recorded = ticks[item.key];
        const pending = saving.has(item.key);
        return (
          <label key={item.key} className="check" aria-busy={pending || undefined}>
            <input
              type="checkbox"
              checked={tapped.get(item.key) ?? recorded?.done ?? false}
              onChange={(e) => actor && tick(item.key, e.target.checked)}
            />
            <span>
              {item.label}
              {!item.required && <span className="muted"> (optional)</span>}
              {pending ? (
                <span className="meta">Saving…</span>
              ) : (
                recorded && <span className="meta">{recorded.done ? 'Ticked' : 'Unticked'} by {recorded.byName}, {formatDateTime(recorded.at)}</span>
              )}
            </span>
          </label>
        );
      })}
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </fieldset>
  );
}
