// The printer QA log form on Lab settings, by role and label.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { listPrinters, recordPrinterQa, savePrinter } from '../../../src/db/lab-settings-repo';
import { LabSettingsPage } from '../../../src/features/lab-settings/lab-settings-page';
import { addDays } from '../../../src/domain/printer-qa';
import { todayLocal } from '../../../src/ui/format';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const openPage = () => renderApp(<LabSettingsPage />, { route: '/lab-settings' });
const J5 = { label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' };

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('printer QA log on Lab settings', () => {
  it('records a check of a printer: the next due date follows from its date and interval', async () => {
    await savePrinter(J5);
    const { user } = openPage();
    const log = await screen.findByRole('region', { name: 'QA log of J5 #1' });
    expect(within(log).getByText('No QA recorded yet')).toBeInTheDocument();
    await user.click(within(log).getByRole('button', { name: 'Record a QA check of J5 #1' }));
    const form = within(log).getByRole('form', { name: 'QA check of J5 #1' });
    const today = todayLocal();
    expect(within(form).getByLabelText('Date of the check')).toHaveValue(today);
    expect(within(form).getByRole('textbox', { name: 'What was checked' })).toHaveValue('QA phantom printed and measured');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Result' }), 'Pass');
    const interval = within(form).getByRole('spinbutton', { name: 'Next check after (days)' });
    await user.clear(interval);
    await user.type(interval, '14');
    await user.click(within(form).getByRole('button', { name: 'Save QA check of J5 #1' }));
    expect(await within(log).findByText(`Next due ${addDays(today, 14)}`)).toBeInTheDocument();
    expect(within(within(log).getByRole('list', { name: 'QA checks of J5 #1' })).getByText(`${today}: QA phantom printed and measured — pass; next in 14 days — Lab Admin`)).toBeInTheDocument();
    await waitFor(async () => expect((await listPrinters())[0]!.qaLog).toHaveLength(1));
  });

  it('says what is missing and stores nothing', async () => {
    await savePrinter(J5);
    const { user } = openPage();
    const log = await screen.findByRole('region', { name: 'QA log of J5 #1' });
    await user.click(within(log).getByRole('button', { name: 'Record a QA check of J5 #1' }));
    await user.click(within(log).getByRole('button', { name: 'Save QA check of J5 #1' }));
    expect(await within(log).findByRole('alert')).toHaveTextContent('Choose pass or fail');
    expect((await listPrinters())[0]!.qaLog).toBeUndefined();
  });

  it('marks a failed check: the printer is due again at once', async () => {
    const p = await savePrinter(J5);
    const today = todayLocal();
    await recordPrinterQa(p.id, { date: today, what: 'QA phantom', result: 'fail', intervalDays: 30 }, today);
    openPage();
    const log = await screen.findByRole('region', { name: 'QA log of J5 #1' });
    expect(within(log).getByText(`Last QA failed on ${today}: check it again before printing`)).toHaveClass('bad');
  });
});
