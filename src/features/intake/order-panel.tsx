import { useId, useState } from 'react';
import type { Actor, Case } from '../../domain/case';
import { OrderDetails } from './order-details';
import { OrderEditForm } from './order-edit-form';

type Props = { caseData: Case; actor: Actor | null };

export function OrderPanel({ caseData, actor }: Props) {
  const titleId = useId();
  const [editing, setEditing] = useState(false);
  const locked = caseData.closed ? 'closed' : caseData.cancelled ? 'cancelled' : null;
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="btn-row panel-head">
        <h2 id={titleId}>Order</h2>
        {!editing && !locked && (
          <button type="button" className="btn" disabled={!actor} onClick={() => setEditing(true)}>Edit order</button>
        )}
      </div>
      {locked && <p className="muted">This case is {locked}: its order can no longer be changed.</p>}
      {!locked && !actor && <p className="muted">Choose who is using this tablet to edit the order.</p>}
      {editing && actor && !locked ? (
        <OrderEditForm caseData={caseData} onDone={() => setEditing(false)} />
      ) : (
        <OrderDetails caseData={caseData} />
      )}
    </section>
  );
}
