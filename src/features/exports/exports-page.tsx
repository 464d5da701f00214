import { useSession } from '../../session/session';
import { RegistryExportCard } from './registry-export-card';

/** Lab admin: lab-wide exports. A single case's FHIR file is exported from the case itself. */
export function ExportsPage() {
  const { actor } = useSession();
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can export the lab’s cases.</div>;
  return (
    <section aria-labelledby="exports-title">
      <h1 id="exports-title">Exports</h1>
      <RegistryExportCard />
      <section className="card" aria-labelledby="fhir-help-title">
        <h2 id="fhir-help-title">One case for the hospital’s systems (FHIR R4)</h2>
        <p>
          Open the case and go to <strong>Codes &amp; PDF</strong>, then <strong>Export FHIR bundle</strong>. That file holds
          patient data: the app asks before saving it.
        </p>
      </section>
    </section>
  );
}
