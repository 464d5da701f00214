// Design versions on screen: the file's version at segmenting, the version up for signature in
// the review, the version a signature signed (and a voided one), and the trail saying so.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { ReviewPage } from '../../../src/app/review-page';
import { runCommand } from '../../../src/db/case-commands';
import { attachModelFile } from '../../../src/db/model-file-repo';
import { signStage } from '../../../src/db/signing';
import { asDeliverableId, type CaseId } from '../../../src/domain/ids';
import { filesOf } from '../../../src/domain/model-files';
import { renderApp, resetDatabase, TEST_PIN } from '../../support/render-app';
import { asRad, asTech, RAD, readyCase } from '../../support/signoff';
import { asciiStl, multiPart } from '../../support/stl-generator';

beforeEach(resetDatabase);

const stl = (name: string, n: number) => new File([asciiStl(multiPart()) + ' '.repeat(n)], name, { type: 'model/stl' });
const model = (id: CaseId) => asDeliverableId(`m-${id}`);

/** Segmenting ready with pelvis.stl, sent back by the radiologist; the technician signed in. */
async function sentBack(): Promise<CaseId> {
  const id = await readyCase();
  await attachModelFile(id, { deliverableId: model(id), stage: 'segmenting', file: stl('pelvis.stl', 0) });
  await asRad();
  await runCommand(id, { type: 'sendBack', stage: 'segmenting', reason: 'The sacrum is cut off' });
  await asTech();
  return id;
}

describe('design versions on screen', () => {
  it('at segmenting, a file a send-back reopened shows as the next version, still the file of the one sent back', async () => {
    const id = await sentBack();
    renderApp(<CasePage />, { route: `/cases/${id}`, path: '/cases/:caseId' });
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    expect(within(section).getByLabelText('Version of pelvis.stl')).toHaveTextContent('v2, opened by a send-back: still the file of v1');
  });

  it('the review names the version up for signature; the signature, the voided signature and the trail name the version signed', async () => {
    const id = await sentBack();
    const old = filesOf((await runCommand(id, { type: 'saveStage', stage: 'segmenting', values: { segmentationNotes: 'Sacrum extended' } }))!);
    const replaced = await attachModelFile(id, { deliverableId: model(id), stage: 'segmenting', file: stl('pelvis-fixed.stl', 1), replaces: old[0]!.id });
    expect(filesOf(replaced)).toMatchObject([{ name: 'pelvis-fixed.stl', version: 2 }]);

    await asRad();
    const { user } = renderApp(<ReviewPage />, { route: `/cases/${id}/review/segmenting`, path: '/cases/:caseId/review/:stage' });
    const models = await screen.findByRole('region', { name: 'Models, components and guides' });
    expect(within(models).getByText('v2', { selector: 'strong' })).toBeInTheDocument();
    expect(within(within(models).getByRole('list', { name: 'Files of Pelvis model' })).getByRole('listitem')).toHaveTextContent('pelvis-fixed.stl: v2');

    await user.click(screen.getByRole('button', { name: 'Sign off segmenting' }));
    expect(screen.getByRole('form', { name: 'Confirm signature' })).toHaveTextContent('It signs v2 of pelvis-fixed.stl.');
    await user.type(screen.getByLabelText('Your PIN, to sign'), TEST_PIN);
    await user.click(screen.getByRole('button', { name: `Sign as ${RAD}` }));
    expect(await screen.findByLabelText('Signature')).toHaveTextContent('Signed v2 of pelvis-fixed.stl');
    const trail = screen.getByRole('list', { name: 'Case history' });
    await waitFor(() => expect(within(trail).getByText(/Segmenting signed: .* — signed v2 of pelvis-fixed\.stl/)).toBeInTheDocument());
    expect(within(trail).getByText(/sent back to the technician: “The sacrum is cut off” — opens v2 of pelvis\.stl/)).toBeInTheDocument();
  });

  it('a mesh repaired at printing voids the sign-off: the voided signature still names v1, the next one v2', async () => {
    const id = await readyCase();
    const attached = await attachModelFile(id, { deliverableId: model(id), stage: 'segmenting', file: stl('pelvis.stl', 0) });
    await asRad();
    await signStage(id, 'segmenting', TEST_PIN);
    await asTech();
    await runCommand(id, { type: 'saveStage', stage: 'printing', values: { scalePercent: 100 } });
    await attachModelFile(id, { deliverableId: model(id), stage: 'printing', file: stl('pelvis-repaired.stl', 2), replaces: filesOf(attached)[0]!.id });
    await asRad();
    const { user } = renderApp(<ReviewPage />, { route: `/cases/${id}/review/segmenting`, path: '/cases/:caseId/review/:stage' });
    const voided = await screen.findByRole('heading', { name: 'Voided signatures' });
    expect(voided.parentElement).toHaveTextContent(/signed v1 of pelvis\.stl/);
    await user.click(screen.getByRole('button', { name: 'Sign off segmenting' }));
    expect(screen.getByRole('form', { name: 'Confirm signature' })).toHaveTextContent('It signs v2 of pelvis-repaired.stl.');
  });
});
