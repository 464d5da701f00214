// The billing state on the case page, made through the app's own write path (commands and PIN
// signatures): the header, the codes and closing say only what the codes say.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { getCaseHistory, getCaseView } from '../../../src/db/case-view-repo';
import { signStage } from '../../../src/db/signing';
import type { UseInCare } from '../../../src/domain/case';
import type { CaseId } from '../../../src/domain/ids';
import { nowLocal } from '../../../src/ui/format';
import { PRINTING_VALUES } from '../../support/case-builder';
import { renderApp, resetDatabase, TEST_PIN } from '../../support/render-app';
import { asRad, asTech, readyCase } from '../../support/signoff';

/** A case delivered a moment ago, every sign-off real; the technician is signed in. */
async function deliveredCase({ use = 'yes', notes }: { use?: UseInCare; notes?: string } = {}): Promise<CaseId> {
  const id = await readyCase({ patientName: 'Nguyễn Thị Lan' });
  await asRad();
  await signStage(id, 'segmenting', TEST_PIN);
  await asTech();
  if (notes) await runCommand(id, { type: 'editOrder', input: { ...(await orderOf(id)), notes } });
  await runCommand(id, { type: 'saveStage', stage: 'printing', values: PRINTING_VALUES });
  for (const item of ['printedAndCleaned', 'qaMeasured', 'labelled']) await runCommand(id, { type: 'tick', stage: 'printing', item, done: true });
  const model = `m-${id}`;
  await runCommand(id, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 2', deliveredAt: nowLocal() }, perDeliverable: { [model]: { usedInCare: use } } });
  await runCommand(id, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
  return id;
}

async function orderOf(id: CaseId) {
  const c = (await getCaseView(id))!.case;
  return { ...c.phi, ...c.order, payer: c.order.payer ?? '', structures: [...c.order.structures] };
}

async function open(id: CaseId, tab?: string) {
  const view = renderApp(<CasePage />, { route: `/cases/${id}`, path: '/cases/:caseId' });
  const article = await screen.findByRole('article');
  if (tab) await view.user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: new RegExp(`^${tab}`) }));
  return { ...view, article };
}

const header = (article: HTMLElement) => article.querySelector('header') as HTMLElement;
const codesRegion = () => screen.findByRole('region', { name: 'Suggested CPT codes' });

describe('billing states on the case page', () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it('ready: "Ready for billing" in the header and on the codes, closed with one tap', { timeout: 30_000 }, async () => {
    const id = await deliveredCase();
    const { article, user } = await open(id);
    expect(within(header(article)).getByText('Ready for billing')).toHaveClass('badge', 'ok');
    await user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
    const codes = await codesRegion();
    expect(within(codes).getByText('Ready for billing', { selector: '.badge' })).toBeInTheDocument();
    expect(within(codes).queryByRole('checkbox')).toBeNull();
    await user.click(within(codes).getByRole('button', { name: 'Close case for billing' }));
    expect(await within(header(article)).findByText('Closed for billing')).toBeInTheDocument();
  });

  it('nothing used in care: "Nothing to bill" with the reason, no "Close case for billing", closed with nothing billed', { timeout: 30_000 }, async () => {
    const id = await deliveredCase({ use: 'no' });
    const { article, user } = await open(id, 'Codes & PDF');
    expect(within(header(article)).getByText('Nothing to bill')).toBeInTheDocument();
    expect(article).not.toHaveTextContent('Ready for billing');
    const codes = await codesRegion();
    expect(within(codes).getByRole('note', { name: 'Nothing to bill' })).toHaveTextContent(
      "Nothing to bill: no model or guide was used in this patient's care, so none is medically necessary for this patient: no code is suggested.Close the case with nothing billed to finish it",
    );
    expect(within(codes).queryByRole('button', { name: 'Close case for billing' })).toBeNull();
    await user.click(within(codes).getByRole('button', { name: 'Close case with nothing billed' }));
    expect(await within(header(article)).findByText('Closed — nothing billed')).toBeInTheDocument();
    const { events } = await getCaseHistory(id);
    expect(events.at(-1)!.summary).toMatch(/^Case closed with nothing billed: No model or guide was used/);
  });

  it('a warning: "Check before billing", and closing waits for the confirmation, which goes on the audit trail', { timeout: 30_000 }, async () => {
    const id = await deliveredCase({ notes: 'Surgeon also asked for 76377 (3D rendering).' });
    const { article, user } = await open(id, 'Codes & PDF');
    expect(within(header(article)).getByText('Check before billing')).toHaveClass('badge', 'warn');
    expect(article).not.toHaveTextContent('Ready for billing');
    const codes = await codesRegion();
    expect(within(codes).getByLabelText('Warnings')).toHaveTextContent('76376 or 76377');
    const close = within(codes).getByRole('button', { name: 'Close case for billing' });
    expect(close).toBeDisabled();
    await user.click(within(codes).getByRole('checkbox', { name: /I have read the warning above and checked it before billing/ }));
    expect(close).toBeEnabled();
    await user.click(close);
    expect(await within(header(article)).findByText('Closed for billing')).toBeInTheDocument();
    const { events } = await getCaseHistory(id);
    const closing = events.at(-1)!;
    expect(closing.summary).toBe('Case closed; suggested codes frozen for billing — Tess Technician confirmed having read the warning');
    expect(closing.changes[0]!.field).toBe('Warnings read before closing');
    expect(String(closing.changes[0]!.after)).toContain('76376 or 76377');
  });

  it('cancelling after delivery with use in care says what it means for billing first; then the case looks cancelled', { timeout: 30_000 }, async () => {
    const id = await deliveredCase();
    const { article, user } = await open(id, 'Order');
    await user.click(screen.getByRole('button', { name: 'Cancel this case…' }));
    expect(screen.getByRole('note', { name: 'What cancelling means for billing' })).toHaveTextContent(
      "Nothing will be billed. This case was delivered (",
    );
    expect(screen.getByRole('note', { name: 'What cancelling means for billing' })).toHaveTextContent("Pelvis model is recorded as used in this patient's care. Cancelling it means nothing is billed");
    await user.type(screen.getByLabelText('Why is the case cancelled?'), 'Duplicate order');
    await user.click(screen.getByRole('button', { name: 'Cancel case — nothing billed' }));
    const badge = await within(header(article)).findByText('Cancelled — nothing to bill');
    expect(badge).toHaveClass('badge', 'cancelled');
    await user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
    const codes = await codesRegion();
    expect(within(codes).getByRole('note', { name: 'Nothing to bill' })).toHaveTextContent('the case was cancelled after delivery');
    expect(within(codes).queryByRole('button', { name: /Close case/ })).toBeNull();
  });
});

describe('stage dates checked where they are typed', () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it('a delivery date before the case was opened, or in the future, is said at the field; a sound one is not', { timeout: 30_000 }, async () => {
    const id = await readyCase();
    await asRad();
    await signStage(id, 'segmenting', TEST_PIN);
    await asTech();
    await runCommand(id, { type: 'saveStage', stage: 'printing', values: PRINTING_VALUES });
    for (const item of ['printedAndCleaned', 'qaMeasured', 'labelled']) await runCommand(id, { type: 'tick', stage: 'printing', item, done: true });
    const { user } = await open(id, '4. Delivery');
    const form = screen.getByRole('form', { name: 'Delivery record' });
    const at = within(form).getByLabelText('Delivered at');
    await user.type(at, '2020-01-05T10:30');
    await waitFor(() => expect(at).toHaveAccessibleDescription(/^Delivered at 2020-01-05 10:30 is before the case was opened \(\d{4}-\d{2}-\d{2}\)\.$/));
    await user.clear(at);
    await user.type(at, '2099-01-05T10:30');
    await waitFor(() => expect(at).toHaveAccessibleDescription('Delivered at 2099-01-05 10:30 is in the future.'));
    await user.clear(at);
    await user.type(at, nowLocal());
    await waitFor(() => expect(at).not.toHaveAccessibleDescription(/Delivered at/));
  });
});
