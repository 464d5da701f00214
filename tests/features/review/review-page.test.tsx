import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReviewPage } from '../../../src/app/review-page';
import { runCommand } from '../../../src/db/case-commands';
import { countQueue } from '../../../src/db/queue-repo';
import { db } from '../../../src/db/database';
import { getCase } from '../../../src/db/case-view-repo';
import { signStage } from '../../../src/db/signing';
import { SEND_BACK_NEEDS_REASON } from '../../../src/domain/commands';
import type { CaseId } from '../../../src/domain/ids';
import { renderApp, resetDatabase, TEST_PIN } from '../../support/render-app';
import { asRad, asTech, RAD, readyCase } from '../../support/signoff';

beforeEach(resetDatabase);

const review = (id: CaseId, stage = 'segmenting') => renderApp(<ReviewPage />, { route: `/cases/${id}/review/${stage}`, path: '/cases/:caseId/review/:stage' });
const entries = (id: CaseId) => db.audit.where('[chain+seq]').between([id, 0], [id, Infinity]).count();

describe('the review screen', () => {
  it('shows exactly what will be signed: the record and checklist, models and components, the study, who did what and when', async () => {
    const id = await readyCase({ patientName: 'Nguyễn Thị Lan' });
    await asRad();
    review(id);
    expect(await screen.findByRole('heading', { level: 1, name: 'Review segmenting: Nguyễn Thị Lan' })).toBeInTheDocument();
    expect(screen.getByText('“Segmentation verified against source images”', { selector: 'strong' })).toBeInTheDocument();
    const record = screen.getByRole('table', { name: 'Segmenting record' });
    expect(within(record).getByRole('rowheader', { name: 'Segmentation software' }).nextElementSibling).toHaveTextContent('Materialise Mimics');
    expect(within(record).getByRole('rowheader', { name: 'Segmentation time' }).nextElementSibling).toHaveTextContent('120 min');
    const checklist = screen.getByRole('list', { name: 'Segmenting checklist' });
    expect(within(checklist).getAllByRole('listitem')).toHaveLength(3);
    expect(within(checklist).getAllByRole('listitem')[1]).toHaveTextContent(/☑ Done — Model \(STL\) overlaid on the source images and verified.*Ticked by Tess Technician/);
    const models = screen.getByRole('region', { name: 'Models, components and guides' });
    expect(within(models).getByText(/Part of what this signature covers/)).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Components of Pelvis model' })).getByRole('cell', { name: 'Left iliac artery' })).toBeInTheDocument();
    const study = screen.getByRole('region', { name: 'Study' });
    expect(within(study).getByText('ACC1234567')).toBeInTheDocument();
    expect(within(study).getByText('2026-11-20')).toBeInTheDocument();
    const trail = await screen.findByRole('list', { name: 'Case history' });
    expect(within(trail).getByText(/Imaging signed: “Imaging adequate for segmentation”/)).toBeInTheDocument();
    expect(within(trail).getAllByText(new RegExp(`^${RAD} · `)).length).toBeGreaterThan(0);
    expect(screen.getByText(/No signature of this stage was voided/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign off segmenting' })).toBeEnabled();
  });

  it('send back needs a reason: empty, it says so in a sentence and nothing changes; with one, the stage goes back to the technician', async () => {
    const id = await readyCase();
    await asRad();
    const before = await entries(id);
    const { user } = review(id);
    await user.click(await screen.findByRole('button', { name: 'Send back…' }));
    await user.click(screen.getByRole('button', { name: 'Send back to the technician' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(SEND_BACK_NEEDS_REASON);
    expect(screen.getByLabelText('What needs to change?')).toHaveAttribute('aria-invalid', 'true');
    expect(await entries(id)).toBe(before);
    expect((await getCase(id))!.case.stages.segmenting.changesRequested).toBeUndefined();
    expect(await countQueue('radiologist')).toBe(1);

    await user.type(screen.getByLabelText('What needs to change?'), 'The left iliac artery is cut off at the bifurcation');
    await user.click(screen.getByRole('button', { name: 'Send back to the technician' }));
    expect(await screen.findByText(/Sent back to the technician/)).toBeInTheDocument();
    const notice = await screen.findByRole('status', { name: 'Changes requested' });
    await waitFor(() => expect(notice).toHaveTextContent(/by Dr\. Rita Rad \(Radiologist\), .* UTC:.*The left iliac artery is cut off at the bifurcation/));
    expect(await entries(id)).toBe(before + 1);
    expect((await getCase(id))!.case.stages.segmenting.changesRequested).toMatchObject({ byName: RAD });
    expect(await countQueue('radiologist')).toBe(0);
    expect(screen.getByRole('button', { name: 'Sign off segmenting' })).toBeDisabled();
    // The technician changes the stage: back in the queue.
    await asTech();
    await runCommand(id, { type: 'saveStage', stage: 'segmenting', values: { segmentationNotes: 'Artery extended to the bifurcation' } });
    expect(await countQueue('radiologist')).toBe(1);
  });

  it('signs with the PIN, as on the case page', async () => {
    const id = await readyCase();
    await asRad();
    const { user } = review(id);
    await user.click(await screen.findByRole('button', { name: 'Sign off segmenting' }));
    await user.type(screen.getByLabelText('Your PIN, to sign'), TEST_PIN);
    await user.click(screen.getByRole('button', { name: `Sign as ${RAD}` }));
    expect(await screen.findByLabelText('Signature')).toHaveTextContent('Meaning: “Segmentation verified against source images”');
    expect(screen.queryByRole('button', { name: 'Send back…' })).toBeNull();
    expect(await countQueue('radiologist')).toBe(0);
  });

  it('shows what changed since a voided signature, before and after, who and when', async () => {
    const id = await readyCase();
    await asRad();
    await signStage(id, 'segmenting', TEST_PIN);
    await asTech();
    await runCommand(id, { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '27.0' } });
    await asRad();
    review(id);
    const section = await screen.findByRole('region', { name: 'What changed since a voided signature' });
    const table = await within(section).findByRole('table', { name: 'Changes since the voided signature' });
    expect(section).toHaveTextContent(/Dr\. Rita Rad, .*: “Segmentation verified against source images” — voided .* by Tess Technician\. Changed: Software version/);
    const row = within(table).getByRole('cell', { name: 'Software version' }).closest('tr')!;
    expect(row).toHaveTextContent(/Software version26\.027\.0Tess Technician, \d{4}-\d{2}-\d{2}/);
  });
});
