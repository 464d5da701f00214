import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { stageDef } from '../../../src/domain/stages';
import { deliverableFieldsFor } from '../../../src/domain/sterilization';
import { getCase } from '../../../src/db/case-view-repo';
import { runCommand } from '../../../src/db/case-commands';
import { storeBuiltCase } from '../../support/store-case';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { DeliverablesEditor } from '../../../src/features/intake/deliverables-editor';
import { Lab, orderInput } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { LiveCase } from './live-case';

const lab = new Lab();

async function storedCase(structures = ['Pelvis', 'Sacrum']): Promise<CaseId> {
  const id = asCaseId(crypto.randomUUID());
  const input = orderInput({ deliverables: [lab.model('Pelvis model', structures)] });
  await runCommand(null, { type: 'create', id, input });
  return id;
}

const renderEditor = (id: CaseId) => renderApp(<LiveCase id={id} panel={DeliverablesEditor} />);
const saveButton = () => screen.findByRole('button', { name: 'Save models and guides' });

describe('Deliverables editor', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn();
  });

  it('saves a changed set of models and guides to the case', async () => {
    const id = await storedCase();
    const { user } = renderEditor(id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());

    await user.click(screen.getByRole('button', { name: 'Remove component Sacrum' }));
    await user.click(screen.getByRole('button', { name: 'Add guide' }));
    const guide = screen.getByRole('group', { name: /^Guide/ });
    await user.type(within(guide).getByLabelText('Guide name'), 'Screw trajectory guide');
    await user.selectOptions(within(guide).getByLabelText('Guide type'), 'Drilling guide');
    await user.click(save);

    expect(await screen.findByText('Models and guides saved.')).toBeInTheDocument();
    const saved = (await getCase(id))!;
    expect(saved.case.revision).toBe(2);
    expect(saved.case.deliverables).toMatchObject([
      { kind: 'model', name: 'Pelvis model', components: [{ structure: 'Pelvis' }] },
      { kind: 'guide', name: 'Screw trajectory guide', guideType: 'drilling', material: '' },
    ]);
    expect(saved.events.at(-1)?.summary).toBe('Models and guides changed');
  });

  it('offers the order’s structures for each component, and adds those not yet there in one tap (a new one can still be typed)', async () => {
    const id = await storedCase(['Pelvis']);
    const { user } = renderEditor(id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());
    const model = screen.getByRole('group', { name: 'Anatomic model: Pelvis model' });
    const structure = within(model).getByLabelText('Structure');
    const offered = document.getElementById(structure.getAttribute('list')!)!;
    expect([...offered.querySelectorAll('option')].map((o) => o.value)).toEqual(['Pelvis', 'Sacrum']); // the order's structures

    await user.click(within(model).getByRole('button', { name: 'Add the order’s structure “Sacrum” to Pelvis model' }));
    expect(within(model).getAllByLabelText('Structure').map((i) => (i as HTMLInputElement).value)).toEqual(['Pelvis', 'Sacrum']);
    expect(within(model).queryByRole('button', { name: /Add the order’s/ })).toBeNull();
    await user.type(within(model).getAllByLabelText('Material')[1]!, 'VeroClear');
    await user.click(within(model).getByRole('button', { name: 'Add component to Pelvis model' }));
    await user.type(within(model).getAllByLabelText('Structure')[2]!, 'Fracture fragment');
    await user.type(within(model).getAllByLabelText('Material')[2]!, 'VeroClear');
    await user.click(save);

    expect(await screen.findByText('Models and guides saved.')).toBeInTheDocument();
    expect((await getCase(id))!.case.deliverables).toMatchObject([{ components: [{ structure: 'Pelvis' }, { structure: 'Sacrum' }, { structure: 'Fracture fragment' }] }]);
  });

  it('shows a bad entry at its field and saves nothing', async () => {
    const id = await storedCase();
    const { user } = renderEditor(id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());

    await user.clear(screen.getByLabelText('Model name'));
    await user.clear(screen.getByLabelText('Copies'));
    await user.type(screen.getByLabelText('Copies'), '0');
    await user.click(save);

    expect(await screen.findByLabelText('Model name')).toHaveAccessibleDescription(expect.stringContaining('Enter a name for the model'));
    expect(screen.getByLabelText('Copies')).toHaveAccessibleDescription(expect.stringContaining('At least one copy'));
    expect(screen.getByLabelText('Model name')).toHaveFocus();
    expect((await getCase(id))!.case.revision).toBe(1);
  });

  it('warns that a change voids the segmentation sign-off, and says so when it does', async () => {
    // A case signed through segmenting, built by the real commands and stored through the row mapper.
    const signed = lab.build({ through: 'segmenting', deliverables: [lab.model('Pelvis model', ['Pelvis'])] });
    await storeBuiltCase(signed);
    const { user } = renderEditor(signed.id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());
    expect(screen.getByText(/Segmentation is signed off\. Changing a model, component or guide now voids that signature/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('Colour'), ' with red fracture lines');
    await user.click(save);

    expect(await screen.findByText(/The segmenting sign-off was voided and must be signed again/)).toBeInTheDocument();
    const after = (await getCase(signed.id))!.case;
    expect(after.stages.segmenting.signature).toBeNull();
    expect(after.stages.segmenting.voidedSignatures).toHaveLength(1);
    expect(after.stages.imaging.signature).not.toBeNull();
  });

  it('cannot change a cancelled case', async () => {
    const id = await storedCase();
    await runCommand(id, { type: 'cancel', reason: 'Surgery cancelled' });
    renderEditor(id);
    expect(await screen.findByText(/This case is cancelled/)).toBeInTheDocument();
    expect(await saveButton()).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Add guide' })).toBeDisabled();
  });

  it('marks a model digital only (delivered as a file, not printed): copies and materials are not asked for, and printed models carry no mark', async () => {
    const id = await storedCase();
    const { user } = renderEditor(id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());
    const model = screen.getByRole('group', { name: 'Anatomic model: Pelvis model' });
    expect(within(model).getByLabelText('Copies')).toBeInTheDocument();
    expect(within(model).getAllByLabelText('Material')).toHaveLength(2);
    await user.click(within(model).getByRole('checkbox', { name: /Digital model only/ }));
    expect(within(model).queryByLabelText('Copies')).toBeNull();
    expect(within(model).queryAllByLabelText('Material')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Add anatomic model' }));
    const second = screen.getAllByRole('group', { name: /^Anatomic model/ })[1]!;
    await user.type(within(second).getByLabelText('Model name'), 'Pelvis print');
    await user.type(within(second).getByLabelText('Structure'), 'Pelvis');
    await user.click(save);

    expect(await screen.findByText('Models and guides saved.')).toBeInTheDocument();
    const [digital, printed] = (await getCase(id))!.case.deliverables;
    expect(digital).toMatchObject({ name: 'Pelvis model', digital: true });
    expect(printed).toMatchObject({ name: 'Pelvis print' });
    expect(printed).not.toHaveProperty('digital');
  });

  it('marks a printed model as entering the sterile field (not offered for a digital one), and delivery then asks for its sterilization record', async () => {
    const id = await storedCase();
    const { user } = renderEditor(id);
    const save = await saveButton();
    await waitFor(() => expect(save).toBeEnabled());
    const model = screen.getByRole('group', { name: 'Anatomic model: Pelvis model' });
    expect(within(model).getByRole('checkbox', { name: /Enters the sterile field/ })).not.toBeChecked();
    await user.click(within(model).getByRole('checkbox', { name: /Digital model only/ }));
    expect(within(model).queryByRole('checkbox', { name: /Enters the sterile field/ })).toBeNull();
    await user.click(within(model).getByRole('checkbox', { name: /Digital model only/ }));
    await user.click(within(model).getByRole('checkbox', { name: /Enters the sterile field/ }));
    await user.click(save);

    expect(await screen.findByText('Models and guides saved.')).toBeInTheDocument();
    const { case: c } = (await getCase(id))!;
    expect(c.deliverables[0]).toMatchObject({ name: 'Pelvis model', sterile: true });
    expect(deliverableFieldsFor(stageDef('delivery'), c.deliverables[0]!).map((f) => f.label)).toContain('Cleaning before sterilization');
  });
});
