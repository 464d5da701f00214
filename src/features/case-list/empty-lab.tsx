import { Link } from 'react-router';
import { DEMO_PEOPLE, DEMO_PIN } from '../../domain/demo-people';
import { useLoadDemoCases } from '../../queries/case-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';

const DEMO_COUNT = 12;

/** First run: say what the product does and offer demo cases to try it with. */
export function EmptyLab() {
  const demo = useLoadDemoCases();
  const isAdmin = useSession().actor?.roles.includes('admin') ?? false;
  const policy = useSecurityPolicy().data?.secret;
  const adminSecret = useAdminSecret();
  const demoPeople = DEMO_PEOPLE.map((p) => p.name).join(' and ');
  return (
    <section className="card" aria-labelledby="empty-title" style={{ maxWidth: 720, margin: '2rem auto' }}>
      <h1 id="empty-title">No cases on this tablet yet</h1>
      <p>
        Printpath walks each 3D printing case through imaging, segmenting, printing and delivery, collects the radiologist’s
        sign-offs, and ends with suggested CPT codes and a case summary PDF. Everything is stored on this tablet and works offline.
      </p>
      <div className="btn-row">
        <Link to="/cases/new" className="btn primary">Open a case from an order</Link>
      </div>
      {isAdmin ? (
        <form
          aria-label="Load demo cases"
          className="demo-load"
          onSubmit={(e) => { e.preventDefault(); demo.mutate({ count: DEMO_COUNT, adminSecret: adminSecret.take() }); }}
        >
          <h2>Try it with demo cases</h2>
          <p className="muted">
            Demo cases use invented patients. They add two demo people, {demoPeople}, whose PIN is {DEMO_PIN}: adding people is a signed
            change to the lab, so confirm it with your own secret. Disable them before real use.
          </p>
          <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={demo.error} />
          <button type="submit" className="btn" disabled={demo.isPending}>
            {demo.isPending ? 'Loading demo cases…' : `Load ${DEMO_COUNT} demo cases`}
          </button>
        </form>
      ) : (
        <p className="muted">
          Demo cases use invented patients. A lab admin can load them; they add two demo people, {demoPeople}, whose PIN is {DEMO_PIN}.
          Disable them before real use.
        </p>
      )}
    </section>
  );
}
