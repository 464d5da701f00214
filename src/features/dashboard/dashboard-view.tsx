import { useRef, type ReactNode } from 'react';
import type { Dashboard } from '../../domain/dashboard';
import { DeliverablesChart } from './deliverables-chart';
import { EffortChart } from './effort-chart';
import { formatDuration, formatShare, plural } from './format';
import { ImpactList } from './impact-list';
import { MonthChart } from './month-chart';
import { OverdueList } from './overdue-list';
import { StatusChart } from './status-chart';
import { TurnaroundChart } from './turnaround-chart';
import { UseInCareChart } from './use-in-care-chart';
import { BelowTheFold } from '../../ui/below-the-fold';

export function DashboardView({ d, filtered }: { d: Dashboard; filtered: boolean }) {
  // The summary first; the charts and lists under it once it has painted.
  const painted = useRef(false);
  if (d.cases === 0) {
    return <p className="notice">{filtered ? 'No case was opened in this period.' : 'No cases on this tablet yet: the dashboard fills in as cases are recorded.'}</p>;
  }
  return (
    <>
      <dl className="tiles" aria-label="Summary">
        <div><dt>Cases</dt><dd>{d.cases}</dd></div>
        {d.demo > 0 && <div><dt>Of which demo cases</dt><dd>{d.demo}</dd></div>}
        <div><dt>Open</dt><dd>{d.open}</dd></div>
        <div className={d.overdue.length ? 'tile-bad' : undefined}><dt>Overdue</dt><dd>{d.overdue.length}</dd></div>
        <div><dt>Order to delivery (median)</dt><dd>{formatDuration(d.turnaround.orderToDelivery.medianHours)}</dd></div>
        <div><dt>Used in patient care</dt><dd>{formatShare(d.useInCare.share)}</dd></div>
      </dl>
      <BelowTheFold painted={painted}>
        <div className="dash-grid">
          <Panel id="dash-status" title="Cases by stage"><StatusChart rows={d.byStatus} /></Panel>
          <Panel id="dash-overdue" title={`Overdue cases (${d.overdue.length})`}><OverdueList cases={d.overdue} /></Panel>
          <Panel id="dash-turnaround" title="Turnaround" note={`Order to delivery over ${plural(d.turnaround.orderToDelivery.count, 'delivered case')}; each stage from the end of the one before (waiting included). Cancelled cases are left out.`}>
            <TurnaroundChart t={d.turnaround} />
          </Panel>
          <Panel id="dash-months" title="Cases per month"><MonthChart months={d.perMonth} /></Panel>
          <Panel id="dash-deliverables" title="Models and guides"><DeliverablesChart mix={d.deliverables} /></Panel>
          <Panel id="dash-effort" wide title="Effort by registry category" note="Hours recorded in the stages; the clinicians’ part as recorded, the rest non-clinician.">
            <EffortChart rows={d.effort} />
          </Panel>
          <Panel id="dash-use" title="Use in patient care"><UseInCareChart use={d.useInCare} /></Panel>
          <Panel id="dash-impact" title="Clinical impact" note="As recorded at delivery (the ACR–RSNA 3D Printing Registry’s questions); cancelled cases are left out.">
            <ImpactList impact={d.impact} />
          </Panel>
        </div>
      </BelowTheFold>
    </>
  );
}

/** `wide`: a table of five columns needs the whole row on a workstation; half of it cuts off its last column. */
function Panel({ id, title, note, wide, children }: { id: string; title: string; note?: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={wide ? 'card dash-panel dash-wide' : 'card dash-panel'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {note && <p className="muted">{note}</p>}
      {children}
    </section>
  );
}
