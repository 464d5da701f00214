import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../../src/db/audit-repo';
import { listCombinations, listMaterials, listSoftware, saveMaterial, savePrinter, saveSoftware, validateCombination } from '../../../src/db/lab-settings-repo';
import { LabSettingsPage } from '../../../src/features/lab-settings/lab-settings-page';
import { todayLocal } from '../../../src/ui/format';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const openPage = () => renderApp(<LabSettingsPage />, { route: '/lab-settings' });
const labSummaries = async (prefix: string) => (await readLabHistory()).entries.filter((e) => e.kind.startsWith(prefix)).map((e) => e.body.summary);

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('lab settings: software', () => {
  it('adds software with its version and FDA clearance, saying at the field what is missing, on the lab log', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Add a software' });
    await user.type(within(form).getByLabelText('Software name'), 'Materialise Mimics InPrint');
    await user.click(within(form).getByRole('button', { name: 'Add software' }));
    expect(await within(form).findByText('Enter the version')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Version'), '3.0');
    await user.click(within(form).getByRole('checkbox', { name: /FDA-cleared for this use/ }));
    await user.click(within(form).getByRole('button', { name: 'Add software' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Software Materialise Mimics InPrint 3.0 added');
    const list = screen.getByRole('list', { name: 'The lab’s software' });
    expect(await within(list).findByText('Materialise Mimics InPrint 3.0')).toBeInTheDocument();
    expect(within(list).getByText('FDA-cleared for this use')).toBeInTheDocument();
    expect(await listSoftware()).toMatchObject([{ name: 'Materialise Mimics InPrint', version: '3.0', fdaCleared: true, retired: false }]);
    expect(await labSummaries('software-')).toEqual(['Software Materialise Mimics InPrint 3.0 added (FDA-cleared for this use)']);
  });
});

describe('lab settings: material lots', () => {
  it('lists lots with their expiry dates on a material', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Add a material' });
    await user.type(within(form).getByLabelText('Name'), 'VeroClear');
    await user.type(within(form).getByLabelText('Colour'), 'clear');
    await user.click(within(form).getByRole('button', { name: 'Add a lot with its expiry' }));
    await user.type(within(form).getByLabelText('Lot 1'), 'VC-0925');
    await user.click(within(form).getByRole('button', { name: 'Add material' }));
    expect(await within(form).findByText('Enter the expiry date (YYYY-MM-DD)')).toBeInTheDocument();
    await user.type(within(form).getByLabelText('Lot 1 expires'), '2027-06-30');
    await user.click(within(form).getByRole('button', { name: 'Add material' }));
    const list = screen.getByRole('list', { name: 'The lab’s materials' });
    expect(await within(list).findByText(/lot VC-0925 expires 2027-06-30/)).toBeInTheDocument();
    expect((await listMaterials())[0]!.lots).toEqual([{ lot: 'VC-0925', expires: '2027-06-30' }]);
  });
});

describe('lab settings: validated combinations', () => {
  beforeEach(async () => {
    await savePrinter({ label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' });
    await saveMaterial({ name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '' });
    await saveSoftware({ name: 'Mimics', version: '26.0', fdaCleared: true });
  });

  it('marks a printer–material–software combination as validated with the date and evidence, then withdraws it', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Mark a combination as validated' });
    await within(form).findByRole('option', { name: 'Mimics 26.0' });
    await user.selectOptions(within(form).getByLabelText('Printer'), 'J5 #1');
    await user.selectOptions(within(form).getByLabelText('Material'), 'VeroClear');
    await user.click(within(form).getByRole('button', { name: 'Mark as validated' }));
    expect(await within(form).findByText('Enter the software')).toBeInTheDocument();
    expect(within(form).getByText(/Enter the evidence/)).toBeInTheDocument();
    await user.selectOptions(within(form).getByLabelText('Software'), 'Mimics 26.0');
    await user.clear(within(form).getByLabelText('Validated on'));
    await user.type(within(form).getByLabelText('Validated on'), '2026-03-01');
    await user.type(within(form).getByLabelText('Evidence'), 'Phantom study 2026-03, report QA-12');
    await user.click(within(form).getByRole('button', { name: 'Mark as validated' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('J5 #1 + VeroClear + Mimics 26.0 marked as validated');
    const list = screen.getByRole('list', { name: 'Validated combinations' });
    expect(await within(list).findByText('J5 #1 + VeroClear + Mimics 26.0')).toBeInTheDocument();
    expect(within(list).getByText('Validated 2026-03-01 by Lab Admin: Phantom study 2026-03, report QA-12')).toBeInTheDocument();

    await user.click(within(list).getByRole('button', { name: 'Withdraw J5 #1 + VeroClear + Mimics 26.0' }));
    const withdraw = within(list).getByRole('form', { name: 'Withdraw J5 #1 + VeroClear + Mimics 26.0' });
    await user.click(within(withdraw).getByRole('button', { name: 'Withdraw the validation' }));
    expect(await within(withdraw).findByText('Enter why it is withdrawn')).toBeInTheDocument();
    await user.type(within(withdraw).getByLabelText('Why it is withdrawn'), 'Resin supplier changed the formula');
    await user.click(within(withdraw).getByRole('button', { name: 'Withdraw the validation' }));
    expect(await within(list).findByText(`Withdrawn from ${todayLocal()} by Lab Admin: Resin supplier changed the formula`)).toBeInTheDocument();
    expect(within(list).getByText('Withdrawn')).toBeInTheDocument();
    expect(await labSummaries('combination-')).toEqual([
      'Combination J5 #1 + VeroClear + Mimics 26.0 validated on 2026-03-01: Phantom study 2026-03, report QA-12',
      `Combination J5 #1 + VeroClear + Mimics 26.0 withdrawn from ${todayLocal()}: Resin supplier changed the formula`,
    ]);
  });

  it('refuses the same combination twice while it stands, and a technician, each with a sentence', async () => {
    const [software] = await listSoftware();
    const input = { printer: 'J5 #1', material: 'VeroClear', softwareId: software!.id, validatedOn: '2026-03-01', evidence: 'Phantom study' };
    await validateCombination(input);
    await expect(validateCombination(input)).rejects.toThrow('J5 #1 + VeroClear + Mimics 26.0 is already validated');
    await expect(validateCombination({ ...input, printer: 'Form 3B #9' })).rejects.toThrow('Printer Form 3B #9 is not on the lab’s list');
    await signIn('Tess Tech', ['technician']);
    await expect(validateCombination(input)).rejects.toThrow('Only a lab admin can change');
    await signIn('Lab Admin', ['admin']);
    expect(await listCombinations()).toHaveLength(1);
  });

  it('keeps a printer, material or software named by a combination from being deleted', async () => {
    const [software] = await listSoftware();
    await validateCombination({ printer: 'J5 #1', material: 'VeroClear', softwareId: software!.id, validatedOn: '2026-03-01', evidence: 'Phantom study' });
    const { user } = openPage();
    const list = await screen.findByRole('list', { name: 'The lab’s software' });
    await user.click(await within(list).findByRole('button', { name: 'Delete Mimics 26.0' }));
    await waitFor(() => expect(screen.getByText('Mimics 26.0 is part of a validated combination (J5 #1 + VeroClear + Mimics 26.0): it cannot be deleted, only retired.')).toBeInTheDocument());
    expect(await listSoftware()).toHaveLength(1);
  });
});
