// The delivery form asks each guide for its sterilization record (a group per guide), and
// asks no model for one; what is typed there is stored on that guide.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCase } from '../../../src/db/case-view-repo';
import type { Case } from '../../../src/domain/case';
import { StageForm } from '../../../src/features/workflow/stage-form';
import { useSession } from '../../../src/session/session';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

let c: Case;

function DeliveryForm() {
  const { actor } = useSession();
  return <StageForm caseData={c} stage="delivery" actor={actor} disabled={false} />;
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
  const lab = new Lab();
  c = lab.build({ deliverables: [lab.model('Knee model', ['Distal femur']), lab.guide('Tibial cutting guide')], through: 'printing' });
  await storeBuiltCase(c);
});

describe('delivery form: the sterilization record', () => {
  it('a group for the guide with its six fields; none for the model', async () => {
    renderApp(<DeliveryForm />);
    const group = await screen.findByRole('group', { name: 'Sterilization record: Tibial cutting guide' });
    const g = within(group);
    expect(g.getByRole('textbox', { name: 'Tibial cutting guide: Cleaning before sterilization' })).toHaveAccessibleDescription(/What was done/);
    expect(g.getByRole('textbox', { name: 'Tibial cutting guide: Sterilization cycle or load id' })).toBeInTheDocument();
    expect(g.getByLabelText('Tibial cutting guide: Sterilized on')).toHaveAttribute('type', 'date');
    expect(g.getByRole('textbox', { name: 'Tibial cutting guide: Sterilized by' })).toBeInTheDocument();
    const recheck = g.getByRole('combobox', { name: 'Tibial cutting guide: Re-check after sterilization' });
    expect(recheck).toHaveAccessibleDescription(/heat can distort a printed guide/);
    expect(within(recheck).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose…', 'Pass', 'Fail']);
    expect(g.getByRole('textbox', { name: 'Tibial cutting guide: What was re-checked' })).toBeInTheDocument();
    // The model keeps its use-in-care question, and is not asked for sterilization.
    expect(screen.getByRole('combobox', { name: "Knee model: Used in this patient's care" })).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: /Sterilization record: Knee model/ })).toBeNull();
    expect(screen.queryByLabelText(/Knee model: Cleaning/)).toBeNull();
  });

  it('what is typed is stored on the guide, a failed re-check included', async () => {
    const { user } = renderApp(<DeliveryForm />);
    const g = within(await screen.findByRole('group', { name: 'Sterilization record: Tibial cutting guide' }));
    await user.type(g.getByRole('textbox', { name: /Cleaning before sterilization/ }), 'Enzymatic wash, rinse, dried');
    await user.type(g.getByRole('textbox', { name: /cycle or load id/ }), 'LOAD-77');
    await user.type(g.getByLabelText(/Sterilized on/), '2026-03-09');
    await user.type(g.getByRole('textbox', { name: /Sterilized by/ }), 'Sam Sterile');
    await user.selectOptions(g.getByRole('combobox', { name: /Re-check after sterilization/ }), 'Fail');
    await user.type(g.getByRole('textbox', { name: /What was re-checked/ }), 'Fit on the printed tibia');
    await user.click(screen.getByRole('button', { name: 'Save delivery' }));
    const guide = c.deliverables.find((d) => d.kind === 'guide')!;
    const model = c.deliverables.find((d) => d.kind === 'model')!;
    await waitFor(async () =>
      expect((await getCase(c.id))?.case.stages.delivery.perDeliverable[guide.id]).toMatchObject({
        cleaning: 'Enzymatic wash, rinse, dried',
        sterilizationCycle: 'LOAD-77',
        sterilizedOn: '2026-03-09',
        sterilizedBy: 'Sam Sterile',
        recheckResult: 'fail',
        recheckWhat: 'Fit on the printed tibia',
      }),
    );
    expect(Object.keys((await getCase(c.id))!.case.stages.delivery.perDeliverable[model.id] ?? {})).not.toContain('cleaning');
  });
});
