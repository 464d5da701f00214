import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCase } from '../../../src/db/case-view-repo';
import { runCommand } from '../../../src/db/case-commands';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { db } from '../../../src/db/database';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { OrderPanel } from '../../../src/features/intake/order-panel';
import { orderInput } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { LiveCase } from './live-case';


async function storedCase(): Promise<CaseId> {
  const id = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id, input: orderInput() });
  return id;
}

function detail(term: string) {
  const dt = screen.getAllByRole('term').find((t) => t.textContent === term);
  return dt?.nextElementSibling?.textContent;
}

describe('Order panel', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn();
  });

  it('shows the order and saves an edit through the order fields', async () => {
    const id = await storedCase();
    const { user } = renderApp(<LiveCase id={id} panel={OrderPanel} />);
    const edit = await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('MRN')).toBe('MRN-100200');
    expect(detail('Structures to include')).toBe('Pelvis, Sacrum');
    await waitFor(() => expect(edit).toBeEnabled());

    await user.click(edit);
    expect(screen.getByLabelText('Patient name')).toHaveValue('Łukasz Żółć');
    expect(screen.getByLabelText('Structure 2')).toHaveValue('Sacrum');
    await user.clear(screen.getByLabelText('ICD-10 code'));
    await user.type(screen.getByLabelText('ICD-10 code'), 'nonsense');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    expect(await screen.findByLabelText('ICD-10 code')).toHaveAccessibleDescription(expect.stringContaining('ICD-10 code like S32.401A or C41.4'));

    await user.clear(screen.getByLabelText('ICD-10 code'));
    await user.type(screen.getByLabelText('ICD-10 code'), 's32.89xa');
    await user.click(screen.getByRole('button', { name: 'Remove structure Sacrum' }));
    await user.click(screen.getByRole('button', { name: 'Save order' }));

    await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('ICD-10 code')).toBe('S32.89XA');
    expect(detail('Structures to include')).toBe('Pelvis');
    const saved = (await getCase(id))!;
    expect(saved.case.order).toMatchObject({ icd10: 'S32.89XA', structures: ['Pelvis'] });
    expect(saved.events.at(-1)?.summary).toBe('Order edited: icd10, structures');
  });

  it('says so when nothing changed', async () => {
    const id = await storedCase();
    const { user } = renderApp(<LiveCase id={id} panel={OrderPanel} />);
    const edit = await screen.findByRole('button', { name: 'Edit order' });
    await waitFor(() => expect(edit).toBeEnabled());
    await user.click(edit);
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Nothing changed');
  });

  it('records a payer (the plan’s name only) on the order, offering the payers the lab has noted', async () => {
    await db.settings.put({ key: 'codeTable', value: { ...DEFAULT_CODE_TABLE, payerNotes: [{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }] } });
    const id = await storedCase();
    const { user } = renderApp(<LiveCase id={id} panel={OrderPanel} />);
    const edit = await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Payer')).toBe('Not recorded');
    await waitFor(() => expect(edit).toBeEnabled());
    await user.click(edit);
    const payer = screen.getByLabelText('Payer (optional)');
    expect(payer).toHaveValue('');
    await waitFor(() => expect(document.querySelector('#payer-names option[value="Aetna"]')).not.toBeNull());
    await user.type(payer, 'Member 123456789');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    expect(await screen.findByLabelText('Payer (optional)')).toHaveAccessibleDescription(expect.stringContaining('Enter the payer’s name only, not a member or policy number'));
    await user.clear(screen.getByLabelText('Payer (optional)'));
    await user.type(screen.getByLabelText('Payer (optional)'), 'Aetna');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Payer')).toBe('Aetna');
    const saved = (await getCase(id))!;
    expect(saved.case.order.payer).toBe('Aetna');
    expect(saved.case.phi).not.toHaveProperty('payer');
    expect(saved.events.at(-1)?.summary).toBe('Order edited: payer');
  });

  it('records the encounter setting (for codes paid in one setting only), and clears it again', async () => {
    const id = await storedCase();
    const { user } = renderApp(<LiveCase id={id} panel={OrderPanel} />);
    const edit = await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Encounter setting')).toBe('Not recorded');
    await waitFor(() => expect(edit).toBeEnabled());
    await user.click(edit);
    const encounter = screen.getByLabelText('Encounter setting (optional)');
    expect(encounter).toHaveAccessibleDescription(expect.stringContaining('C8001: hospital outpatient'));
    await user.selectOptions(encounter, 'Hospital outpatient');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Encounter setting')).toBe('Hospital outpatient');
    expect((await getCase(id))!.case.order.encounter).toBe('hospital-outpatient');

    await user.click(screen.getByRole('button', { name: 'Edit order' }));
    await user.selectOptions(screen.getByLabelText('Encounter setting (optional)'), 'Not recorded');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Encounter setting')).toBe('Not recorded');
    // No key at all, as on orders from before the field: their hashes stay as they were.
    expect((await getCase(id))!.case.order).not.toHaveProperty('encounter');
  });

  it('records the clinical scenario’s appropriateness rating with the criteria’s year; a rating without its year or scenario is refused with a sentence', async () => {
    const id = await storedCase();
    const { user } = renderApp(<LiveCase id={id} panel={OrderPanel} />);
    const edit = await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Appropriateness')).toBe('Not recorded');
    await waitFor(() => expect(edit).toBeEnabled());
    await user.click(edit);
    await user.type(screen.getByLabelText('Rating (1–9)'), '8');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    expect(await screen.findByLabelText('Year of the criteria')).toHaveAccessibleDescription(expect.stringContaining('Enter the year of the criteria the rating comes from'));
    expect(screen.getByLabelText('Clinical scenario')).toHaveAccessibleDescription(expect.stringContaining('Enter the clinical scenario the rating is for'));
    expect((await getCase(id))!.case.order).not.toHaveProperty('appropriatenessRating');

    await user.type(screen.getByLabelText('Year of the criteria'), '2018');
    await user.type(screen.getByLabelText('Clinical scenario'), 'Complex acetabular fracture');
    await user.clear(screen.getByLabelText('Rating (1–9)'));
    await user.type(screen.getByLabelText('Rating (1–9)'), '12');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    expect(await screen.findByLabelText('Rating (1–9)')).toHaveAccessibleDescription(expect.stringContaining('A rating from 1 to 9'));
    await user.clear(screen.getByLabelText('Rating (1–9)'));
    await user.type(screen.getByLabelText('Rating (1–9)'), '8');
    await user.click(screen.getByRole('button', { name: 'Save order' }));
    await screen.findByRole('button', { name: 'Edit order' });
    expect(detail('Appropriateness')).toBe('8 of 9 (RSNA 3D Printing SIG criteria, 2018)');
    expect(detail('Clinical scenario')).toBe('Complex acetabular fracture');
    const saved = (await getCase(id))!.case;
    expect(saved.order).toMatchObject({ appropriatenessRating: 8, criteriaYear: 2018 });
    // The scenario is free text: sealed with the patient's details, not in the clear order.
    expect(saved.phi.scenario).toBe('Complex acetabular fracture');
    expect(saved.order).not.toHaveProperty('scenario');
  });
});
