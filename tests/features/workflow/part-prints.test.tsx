import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCase } from '../../../src/db/case-view-repo';
import { listSoftware, saveMaterial, savePrinter, saveSoftware, validateCombination } from '../../../src/db/lab-settings-repo';
import type { Case } from '../../../src/domain/case';
import { PartPrints } from '../../../src/features/workflow/part-prints';
import { useCase } from '../../../src/queries/case-queries';
import { useSession } from '../../../src/session/session';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

let c: Case;

function Printing() {
  const { actor } = useSession();
  const current = useCase(c.id).data?.case;
  return current ? <PartPrints caseData={current} actor={actor} disabled={false} /> : null;
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
  await savePrinter({ label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' });
  await savePrinter({ label: 'Form 3B #2', maker: 'Formlabs', model: 'Form 3B+', technology: 'vat-photopolymerization' });
  await saveMaterial({ name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '', lots: [{ lot: 'VC-OLD', expires: '2026-01-31' }, { lot: 'VC-NEW', expires: '2099-12-31' }] });
  await saveSoftware({ name: 'Mimics', version: '26.0', fdaCleared: true });
  const [software] = await listSoftware();
  await validateCombination({ printer: 'J5 #1', material: 'VeroClear', softwareId: software!.id, validatedOn: '2026-02-01', evidence: 'Phantom study 2026-02, report QA-12' });
  const lab = new Lab();
  c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis', 'Sacrum'])], through: 'segmenting' });
  await storeBuiltCase(c);
  await signIn('Tess Tech', ['technician']);
});

const record = async (user: ReturnType<typeof renderApp>['user'], part: string, printer: string, lot: string) => {
  const form = await screen.findByRole('form', { name: `How ${part} was made` });
  await within(form).findByRole('option', { name: 'Mimics 26.0 (FDA-cleared)' });
  await user.selectOptions(within(form).getByLabelText(`Printer for ${part}`), printer);
  await user.selectOptions(within(form).getByLabelText(`Software for ${part}`), 'Mimics 26.0 (FDA-cleared)');
  await user.selectOptions(within(form).getByLabelText(`Material lot for ${part}`), lot);
  await user.click(within(form).getByRole('button', { name: `Save how ${part} was made` }));
  return form;
};

describe('printing stage: how each part was made', () => {
  it('refuses an expired lot with a sentence, changing nothing', async () => {
    const { user } = renderApp(<Printing />);
    const form = await record(user, 'Pelvis model – Pelvis', 'J5 #1', 'VC-OLD (expires 2026-01-31)');
    expect(await within(form).findByRole('alert')).toHaveTextContent(/^Lot VC-OLD of VeroClear expired on 2026-01-31, before the print date \d{4}-\d{2}-\d{2}: it cannot be used\. Choose another lot\.$/);
    expect((await getCase(c.id))?.case.printedParts).toBeUndefined();
  });

  it('labels the model Diagnostic once every part was made with a validated combination; For reference only before', async () => {
    const { user } = renderApp(<Printing />);
    const labels = await screen.findByRole('list', { name: 'Model labels' });
    expect(within(labels).getByText('For reference only')).toBeInTheDocument();
    expect(within(labels).getByText('Pelvis model – Pelvis: how it was made is not recorded')).toBeInTheDocument();

    const pelvis = await record(user, 'Pelvis model – Pelvis', 'J5 #1', 'VC-NEW (expires 2099-12-31)');
    expect(await within(pelvis).findByRole('status')).toHaveTextContent('Saved how Pelvis model – Pelvis was made');
    await record(user, 'Pelvis model – Sacrum', 'Form 3B #2', 'VC-NEW (expires 2099-12-31)');
    expect(await within(labels).findByText('Pelvis model – Sacrum: Form 3B #2 + VeroClear + Mimics 26.0 is not a validated combination')).toBeInTheDocument();
    expect(within(labels).getByText('For reference only')).toBeInTheDocument();

    await record(user, 'Pelvis model – Sacrum', 'J5 #1', 'VC-NEW (expires 2099-12-31)');
    expect(await within(labels).findByText('Diagnostic')).toBeInTheDocument();
    expect(within(labels).getByText('Label text: “Pelvis model: Diagnostic — made entirely with validated printer–material–software combinations”')).toBeInTheDocument();
    const model = c.deliverables[0]!;
    const sacrum = model.kind === 'model' ? model.components[1]!.id : '';
    await waitFor(async () => expect((await getCase(c.id))?.case.printedParts?.[sacrum]).toMatchObject({ printer: 'J5 #1', material: 'VeroClear', lot: 'VC-NEW', lotExpires: '2099-12-31', software: 'Mimics 26.0' }));
  });
});
