import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCase } from '../../../src/db/case-view-repo';
import { savePrinter, setPrinterRetired } from '../../../src/db/lab-settings-repo';
import type { Case } from '../../../src/domain/case';
import { StageForm } from '../../../src/features/workflow/stage-form';
import { useSession } from '../../../src/session/session';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

let c: Case;

function PrintingForm() {
  const { actor } = useSession();
  return <StageForm caseData={c} stage="printing" actor={actor} disabled={false} />;
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
  c = new Lab().build({ through: 'segmenting' });
  await storeBuiltCase(c);
});

describe('printing stage: the printer', () => {
  it('is free text while the lab has no printers on its list', async () => {
    await signIn('Tess Tech', ['technician']);
    renderApp(<PrintingForm />);
    const printer = await screen.findByRole('textbox', { name: 'Printer' });
    expect(printer).toHaveAccessibleDescription(/printer list/);
  });

  it('is a choice among the offered printers; choosing one fills in its technology, and the label is stored', async () => {
    await savePrinter({ label: 'Form 3B #2', maker: 'Formlabs', model: 'Form 3B+', technology: 'vat-photopolymerization' });
    const old = await savePrinter({ label: 'Objet 260', maker: 'Stratasys', model: 'Objet260 Connex3', technology: 'material-jetting' });
    await setPrinterRetired(old.id, true);
    await signIn('Tess Tech', ['technician']);
    const { user } = renderApp(<PrintingForm />);
    const printer = await screen.findByRole('combobox', { name: 'Printer' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Form 3B #2 — Formlabs Form 3B+' })).toBeInTheDocument());
    expect(screen.queryByRole('option', { name: /Objet 260/ })).toBeNull();
    await user.selectOptions(printer, 'Form 3B #2 — Formlabs Form 3B+');
    expect(screen.getByRole('combobox', { name: 'Technology' })).toHaveValue('vat-photopolymerization');
    await user.click(screen.getByRole('button', { name: 'Save printing' }));
    await waitFor(async () => expect((await getCase(c.id))?.case.stages.printing.values).toMatchObject({ printer: 'Form 3B #2', technology: 'vat-photopolymerization' }));
  });

  it('keeps showing a recorded printer that is no longer offered', async () => {
    const lab = new Lab();
    c = lab.build({ through: 'printing', printing: { printer: 'J5 #1 – Stratasys J5 MediJet', technology: 'material-jetting', scalePercent: 100, printHours: 4, postProcessing: 'UV cure', qaMeasuredErrorMm: 0.2, qaToleranceMm: 1 } });
    await storeBuiltCase(c);
    await savePrinter({ label: 'Fuse 1', maker: 'Formlabs', model: 'Fuse 1+ 30W', technology: 'powder-bed-fusion' });
    await signIn('Tess Tech', ['technician']);
    renderApp(<PrintingForm />);
    const printer = await screen.findByRole('combobox', { name: 'Printer' });
    await waitFor(() => expect(printer).toHaveValue('J5 #1 – Stratasys J5 MediJet'));
    expect(screen.getByRole('option', { name: 'J5 #1 – Stratasys J5 MediJet (not on the lab’s list)' })).toBeInTheDocument();
  });
});
