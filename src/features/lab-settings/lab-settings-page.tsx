import { useRef } from 'react';
import { BelowTheFold } from '../../ui/below-the-fold';
import { useSession } from '../../session/session';
import { CodeTableSection } from './code-table-section';
import { MaterialsSection } from './materials-section';
import { PrintersSection } from './printers-section';
import { SoftwareSection } from './software-section';
import { CombinationsSection } from './combinations-section';

/** Lab admin: the printers and materials offered when recording a case, and the code table's MUEs and payer notes. */
export function LabSettingsPage() {
  const { actor } = useSession();
  // The lab's lists first; the combinations and the code table under them once those have painted.
  const painted = useRef(false);
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can change the lab’s printers and materials.</div>;
  return (
    <section aria-labelledby="lab-settings-title">
      <h1 id="lab-settings-title">Lab settings</h1>
      <p className="muted">
        Printers and materials are offered as choices when a case is recorded. One that a case uses can be retired (no longer offered)
        but not deleted or renamed, so every case keeps saying what it was printed on and with. Software and validated
        combinations decide whether a printed model is labelled Diagnostic. Every change goes on the lab audit trail.
      </p>
      <PrintersSection />
      <MaterialsSection />
      <SoftwareSection />
      <BelowTheFold painted={painted}>
        <CombinationsSection />
        <CodeTableSection />
      </BelowTheFold>
    </section>
  );
}
