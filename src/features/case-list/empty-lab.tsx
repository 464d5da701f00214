import { Link } from 'react-router';
import { DEMO_PEOPLE, DEMO_PIN } from '../../domain/demo-people';
import { useLoadDemoCases } from '../../queries/case-queries';
import { useSession } from '../../session/session';
import { errorMessage } from '../../ui/format';

const DEMO_COUNT = 12;

/** First run: say what the product does and offer demo cases to try it with. */
export function EmptyLab() {
  const demo = useLoadDemoCases();
  const isAdmin = useSession().actor?.roles.includes('admin') ?? false;
  return (
    <section className="card" aria-labelledby="empty-title" style={{ maxWidth: 720, margin: '2rem auto' }}>
      <h1 id="empty-title">No cases on this tablet yet</h1>
      <p>
        Printpath walks each 3D printing case through imaging, segmenting, printing and delivery, collects the radiologist’s
        sign-offs, and ends with suggested CPT codes and a case summary PDF. Everything is stored on this tablet and works offline.
      </p>
      <div className="btn-row">
        <Link to="/cases/new" className="btn primary">Open a case from an order</Link>
        <button type="button" className="btn" onClick={() => demo.mutate(DEMO_COUNT)} disabled={demo.isPending || !isAdmin}>
          {demo.isPending ? 'Loading demo cases…' : `Load ${DEMO_COUNT} demo cases`}
        </button>
      </div>
      {demo.error && <p className="field-error" role="alert">{errorMessage(demo.error)}</p>}
      <p className="muted">
        Demo cases use invented patients. A lab admin can load them; they add two demo people, {DEMO_PEOPLE.map((p) => p.name).join(' and ')},
        whose PIN is {DEMO_PIN}. Demo cases and demo people are marked “demo” everywhere, and demo people can sign demo cases only. Disable them before real use.
      </p>
    </section>
  );
}
