// The per-part QA form in the printing stage, by role and label: recording a check with
// pass/fail shown as typed, a failed part blocking, and acceptance with a reason.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { getCase } from '../../../src/db/case-view-repo';
import { runCommand } from '../../../src/db/case-commands';
import type { Case } from '../../../src/domain/case';
import { StagePanel } from '../../../src/features/workflow/stage-panel';
import { useCase } from '../../../src/queries/case-queries';
import { useSession } from '../../../src/session/session';
import { verifiedTrust } from '../../support/trust';
import { Lab, PRINTING_VALUES } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

let c: Case;

function Printing() {
  const { actor } = useSession();
  const data = useCase(c.id).data;
  return data ? <StagePanel caseData={data.case} stage="printing" actor={actor} trust={verifiedTrust(data.case)} /> : null;
}

const { qaMeasuredErrorMm: _m, qaToleranceMm: _t, ...NEW_PRINTING } = PRINTING_VALUES;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
  const lab = new Lab();
  c = lab.build({ through: 'segmenting', deliverables: [lab.guide('Fibula cutting guide')] });
  c = lab.apply(c, { type: 'saveStage', stage: 'printing', values: NEW_PRINTING });
  await storeBuiltCase(c);
});

async function measure(user: ReturnType<typeof renderApp>['user'], values: { what: string; nominal: string; measured: string; tolerance: string }) {
  const form = await screen.findByRole('form', { name: 'QA of Fibula cutting guide' });
  const row = within(form).getByRole('group', { name: 'Measurement 1' });
  await user.type(within(row).getByRole('textbox', { name: 'What was measured' }), values.what);
  await user.type(within(row).getByRole('textbox', { name: 'Nominal (mm)' }), values.nominal);
  await user.type(within(row).getByRole('textbox', { name: 'Measured (mm)' }), values.measured);
  await user.type(within(row).getByRole('textbox', { name: 'Tolerance (±) (mm)' }), values.tolerance);
  return form;
}

describe('per-part QA in the printing stage', () => {
  it('a technician records a passing measurement: pass shown as typed, stored with who measured', async () => {
    const { user } = renderApp(<Printing />);
    const part = await screen.findByRole('listitem', { name: 'Fibula cutting guide' });
    expect(within(part).getByText('Not checked yet')).toBeInTheDocument();
    expect(screen.getByLabelText('What printing still needs')).toHaveTextContent('Fibula cutting guide: record its dimensional QA');
    await user.click(within(part).getByRole('button', { name: 'Record QA of Fibula cutting guide' }));
    const form = await measure(user, { what: 'Slot length', nominal: '40', measured: '40.05', tolerance: '0.1' });
    expect(within(form).getByText('Measurement 1: pass')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Save QA of Fibula cutting guide' }));
    await waitFor(async () => expect((await getCase(c.id))?.case.partQa).toHaveLength(1));
    const stored = (await getCase(c.id))!.case.partQa![0]!;
    expect(stored).toMatchObject({ byName: 'Tess Tech', measurements: [{ what: 'Slot length', nominalMm: 40, measuredMm: 40.05, toleranceMm: 0.1 }] });
    expect(await within(screen.getByRole('listitem', { name: 'Fibula cutting guide' })).findByText('Passed')).toBeInTheDocument();
    expect(screen.getByText('Slot length: 40.05 mm against 40 ± 0.1 mm (off by 0.05 mm) — pass')).toBeInTheDocument();
  });

  it('a failed measurement blocks, the technician cannot accept it, and a radiologist accepts it only with a reason', async () => {
    const { user, unmount } = renderApp(<Printing />);
    await user.click(await screen.findByRole('button', { name: 'Record QA of Fibula cutting guide' }));
    const form = await measure(user, { what: 'Slot length', nominal: '40', measured: '40.4', tolerance: '0.2' });
    expect(within(form).getByText('Measurement 1: fail — out of tolerance')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Save QA of Fibula cutting guide' }));
    expect(await screen.findByText('FAILED — blocks delivery')).toBeInTheDocument();
    expect(screen.getByLabelText('What printing still needs')).toHaveTextContent('Fibula cutting guide: QA out of tolerance (Slot length: 40.4 mm against 40 ± 0.2 mm)');
    expect(screen.queryByRole('form', { name: 'Accept Fibula cutting guide out of tolerance' })).toBeNull();
    unmount();

    await signIn('Dr. Rita Rad', ['radiologist']);
    const second = renderApp(<Printing />);
    const accept = await screen.findByRole('form', { name: 'Accept Fibula cutting guide out of tolerance' });
    await second.user.click(within(accept).getByRole('button', { name: 'Accept Fibula cutting guide out of tolerance' }));
    expect(within(accept).getByRole('alert')).toHaveTextContent('Say why the part is accepted');
    expect((await getCase(c.id))!.case.partQa![0]!.accepted).toBeUndefined();
    await second.user.type(within(accept).getByRole('textbox', { name: 'Why is Fibula cutting guide accepted as it is?' }), 'The saw still guides; surgeon agreed');
    await second.user.click(within(accept).getByRole('button', { name: 'Accept Fibula cutting guide out of tolerance' }));
    expect(await screen.findByText('Accepted out of tolerance')).toBeInTheDocument();
    expect(screen.getByText(/Accepted by Dr\. Rita Rad, .* UTC: “The saw still guides; surgeon agreed”/)).toBeInTheDocument();
    expect((await getCase(c.id))!.case.partQa![0]!.accepted).toMatchObject({ byName: 'Dr. Rita Rad', reason: 'The saw still guides; surgeon agreed' });
  });

  it('a reprinted part measured again replaces a failure', async () => {
    await runCommand(c.id, { type: 'recordPartQa', partId: c.deliverables[0]!.id, measurements: [{ what: 'Slot length', nominalMm: 40, measuredMm: 41, toleranceMm: 0.2 }] });
    const { user } = renderApp(<Printing />);
    await user.click(await screen.findByRole('button', { name: 'Measure Fibula cutting guide again' }));
    const form = await measure(user, { what: 'Slot length', nominal: '40', measured: '39.9', tolerance: '0.2' });
    await user.click(within(form).getByRole('checkbox', { name: 'The part was printed again' }));
    await user.click(within(form).getByRole('button', { name: 'Save QA of Fibula cutting guide' }));
    expect(await screen.findByText('Passed')).toBeInTheDocument();
    expect(screen.getByText(/^Pass \(reprinted\) — measured by Tess Tech/)).toBeInTheDocument();
  });

  it('a case recorded before per-part QA shows its single figure as such', async () => {
    const lab = new Lab();
    c = lab.build({ through: 'printing', deliverables: [lab.guide('Fibula cutting guide')] });
    await storeBuiltCase(c);
    renderApp(<Printing />);
    expect(await screen.findByText('Single QA figure for the case, recorded before per-part QA: largest measured deviation 0.4 mm, accepted tolerance 1 mm — within tolerance.')).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: /QA: largest measured deviation/ })).toHaveAccessibleDescription(/Single QA figure for the case, recorded before per-part QA/);
    expect(within(screen.getByRole('listitem', { name: 'Fibula cutting guide' })).getByText('Covered by the single QA figure')).toBeInTheDocument();
    expect(screen.getByText('Printing is complete.')).toBeInTheDocument();
  });
});
