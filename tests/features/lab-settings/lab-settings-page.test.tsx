import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../../src/db/audit-repo';
import { savePrinter } from '../../../src/db/lab-settings-repo';
import { LabSettingsPage } from '../../../src/features/lab-settings/lab-settings-page';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

const openPage = () => renderApp(<LabSettingsPage />, { route: '/lab-settings' });

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('lab settings', () => {
  it('is for lab admins only', async () => {
    await signIn('Tess Tech', ['technician']);
    openPage();
    expect(screen.getByText('Only a lab admin can change the lab’s printers and materials.')).toBeInTheDocument();
  });

  it('adds a printer, saying at the field what is missing first', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Add a printer' });
    await user.type(within(form).getByLabelText('Label'), 'Form 3B #2');
    await user.click(within(form).getByRole('button', { name: 'Add printer' }));
    expect(await within(form).findByText('Enter the maker')).toBeInTheDocument();
    expect(within(form).getByLabelText('Maker')).toHaveAttribute('aria-invalid', 'true');
    await user.type(within(form).getByLabelText('Maker'), 'Formlabs');
    await user.type(within(form).getByLabelText('Model'), 'Form 3B+');
    await user.selectOptions(within(form).getByLabelText('Technology'), 'Vat photopolymerization (SLA/DLP)');
    await user.click(within(form).getByRole('button', { name: 'Add printer' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Printer Form 3B #2 added');
    const list = screen.getByRole('list', { name: 'The lab’s printers' });
    expect(await within(list).findByText('Form 3B #2')).toBeInTheDocument();
    expect(within(list).getByText('Formlabs Form 3B+ · Vat photopolymerization (SLA/DLP)')).toBeInTheDocument();
    expect(within(form).getByLabelText('Label')).toHaveValue('');
  });

  it('adds a biocompatible material only with its lot', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Add a material' });
    await user.type(within(form).getByLabelText('Name'), 'Surgical Guide resin');
    await user.type(within(form).getByLabelText('Colour'), 'light orange');
    await user.click(within(form).getByRole('checkbox', { name: 'Biocompatible' }));
    await user.click(within(form).getByRole('button', { name: 'Add material' }));
    expect(await within(form).findByText('Enter the lot: a biocompatible material must be traceable to its lot')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Lot (if relevant)'), 'SG-0211-07');
    await user.click(within(form).getByRole('button', { name: 'Add material' }));
    const list = screen.getByRole('list', { name: 'The lab’s materials' });
    expect(await within(list).findByText(/light orange · biocompatible · not sterilizable · lot SG-0211-07/)).toBeInTheDocument();
  });

  it('offers only Retire for a printer a case uses; Delete for one no case uses', async () => {
    await savePrinter({ label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' });
    await savePrinter({ label: 'Fuse 1', maker: 'Formlabs', model: 'Fuse 1+ 30W', technology: 'powder-bed-fusion' });
    const lab = new Lab();
    await storeBuiltCase(lab.build({ through: 'printing', printing: { printer: 'J5 #1', technology: 'material-jetting', scalePercent: 100, printHours: 4, postProcessing: 'UV cure', qaMeasuredErrorMm: 0.2, qaToleranceMm: 1 } }));
    const { user } = openPage();
    expect(await screen.findByText('Used by 1 case: can be retired, not deleted or renamed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete J5 #1' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Retire J5 #1' }));
    expect(await screen.findByRole('button', { name: 'Offer J5 #1 again' })).toBeInTheDocument();
    expect(await screen.findByRole('status')).toHaveTextContent('J5 #1 retired');
    await user.click(screen.getByRole('button', { name: 'Delete Fuse 1' }));
    await waitFor(() => expect(screen.queryByText('Fuse 1')).toBeNull());
    const kinds = (await readLabHistory()).entries.map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['printer-retired', 'printer-deleted']);
  });

  it('changes a printer in place', async () => {
    await savePrinter({ label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' });
    const { user } = openPage();
    await user.click(await screen.findByRole('button', { name: 'Change J5 #1' }));
    const form = screen.getByRole('form', { name: 'Change printer J5 #1' });
    await user.clear(within(form).getByLabelText('Model'));
    await user.type(within(form).getByLabelText('Model'), 'J5 DentaJet');
    await user.click(within(form).getByRole('button', { name: 'Save J5 #1' }));
    expect(await screen.findByText('Stratasys J5 DentaJet · Material jetting (PolyJet)')).toBeInTheDocument();
  });
});
