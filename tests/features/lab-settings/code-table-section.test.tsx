import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../../src/db/audit-repo';
import { db } from '../../../src/db/database';
import { getCodeTable } from '../../../src/db/code-table-repo';
import { saveCodeTableEdit } from '../../../src/db/lab-settings-repo';
import { codeTableEditOf } from '../../../src/domain/code-table';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { LabSettingsPage } from '../../../src/features/lab-settings/lab-settings-page';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const openPage = () => renderApp(<LabSettingsPage />, { route: '/lab-settings' });
const codeTableForm = () => screen.findByRole('form', { name: 'Code table' });

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('lab settings: CPT codes, MUEs and payers', () => {
  it('shows each code’s MUEs by period: 0560T 1 until 2026-03-31, then 5 from 2026-04-01', async () => {
    openPage();
    const form = await codeTableForm();
    const f0560 = within(form).getByRole('group', { name: '0560T MUE' });
    expect(within(f0560).getByLabelText('0560T MUE units (period 1)')).toHaveValue('1');
    expect(within(f0560).getByLabelText('0560T to (period 1)')).toHaveValue('2026-03-31');
    expect(within(f0560).getByLabelText('0560T MUE units (period 2)')).toHaveValue('5');
    expect(within(f0560).getByLabelText('0560T from (period 2)')).toHaveValue('2026-04-01');
    expect(within(f0560).getByLabelText('0560T to (period 2)')).toHaveValue('');
    expect(within(within(form).getByRole('group', { name: '0562T MUE' })).getByLabelText('0562T MUE units (period 2)')).toHaveValue('2');
    expect(within(within(form).getByRole('group', { name: '0559T MUE' })).queryByLabelText('0559T MUE units (period 2)')).toBeNull();
  });

  it('a lab admin changes an MUE and notes a payer’s position: stored, and on the lab log', async () => {
    const { user } = openPage();
    const form = await codeTableForm();
    const units = within(form).getByLabelText('0562T MUE units (period 2)');
    await user.clear(units);
    await user.type(units, '3');
    await user.click(within(form).getByRole('button', { name: 'Add a payer note' }));
    await user.type(within(form).getByLabelText('Payer'), 'Aetna');
    await user.type(within(form).getByLabelText('Position on the codes'), 'considers 0559T–0562T experimental/investigational');
    await user.click(within(form).getByRole('button', { name: 'Save code table' }));
    await waitFor(async () => expect((await getCodeTable()).payerNotes).toEqual([{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }]));
    const table = await getCodeTable();
    expect(table.codes.find((d) => d.code === '0562T')!.mue).toEqual([{ units: 1, from: '2019-07-01', to: '2026-03-31' }, { units: 3, from: '2026-04-01', to: null }]);
    const log = (await readLabHistory()).entries;
    expect(log.some((e) => e.kind === 'code-table-changed' && e.signed && e.body.summary.includes('0562T MUE') && e.body.summary.includes('payer note added for Aetna'))).toBe(true);
    expect(await within(screen.getByRole('region', { name: 'CPT codes: MUEs and payers' })).findByRole('status')).toHaveTextContent('Code table saved');
  });

  it('refuses overlapping periods and an empty payer note, saying so at the field', async () => {
    const { user } = openPage();
    const form = await codeTableForm();
    const to = within(form).getByLabelText('0560T to (period 1)');
    await user.clear(to);
    await user.type(to, '2026-06-30');
    await user.click(within(form).getByRole('button', { name: 'Add a payer note' }));
    await user.click(within(form).getByRole('button', { name: 'Save code table' }));
    expect(await within(form).findByText(/0560T: MUE periods overlap/)).toBeInTheDocument();
    expect(within(form).getByText('Enter the payer’s name')).toBeInTheDocument();
    expect(within(form).getByLabelText('Payer')).toHaveAttribute('aria-invalid', 'true');
    expect((await getCodeTable()).codes.find((d) => d.code === '0560T')!.mue[0]!.to).toBe('2026-03-31');
  });

  it('a table stored before MUEs (as an older version saved it) opens with the default MUEs', async () => {
    await db.settings.put({ key: 'codeTable', value: { version: '2019-07-01', codes: DEFAULT_CODE_TABLE.codes.map(({ mue: _m, ...rest }) => rest) } });
    openPage();
    const form = await codeTableForm();
    expect(within(form).getByLabelText('0560T MUE units (period 2)')).toHaveValue('5');
    expect((await getCodeTable()).version).toBe('2019-07-01');
  });

  it('only a lab admin can change the code table, also past the screen', async () => {
    await signIn('Tess Tech', ['technician']);
    openPage();
    expect(screen.queryByRole('form', { name: 'Code table' })).toBeNull();
    await expect(saveCodeTableEdit({ ...codeTableEditOf(DEFAULT_CODE_TABLE), payerNotes: [{ payer: 'Aetna', note: 'x' }] })).rejects.toThrow('Only a lab admin can change the code table');
  });
});
