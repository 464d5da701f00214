// The MUE and the payer on the case page: the header and the Codes & PDF section.
import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { db } from '../../../src/db/database';
import type { Case } from '../../../src/domain/case';
import { DEFAULT_CODE_TABLE, MUE_CONSEQUENCE } from '../../../src/domain/cpt';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';

async function openCodes(c: Case) {
  const view = renderApp(<CasePage />, { route: `/cases/${c.id}`, path: '/cases/:caseId' });
  const article = await screen.findByRole('article');
  await view.user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
  return { ...view, article, codes: await screen.findByRole('region', { name: 'Suggested CPT codes' }) };
}

describe('suggested codes on screen: MUE and payer', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn('Tess Technician', ['technician']);
    await db.settings.put({ key: 'codeTable', value: { ...DEFAULT_CODE_TABLE, payerNotes: [{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }] } });
  });

  it('units above the MUE: the header and the codes say so, with the full units and what happens to such a claim', { timeout: 20_000 }, async () => {
    const lab = new Lab();
    const built = lab.build({ deliverables: [lab.model('Pelvis', ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'])], use: 'yes', deliveredAt: '2026-04-02T10:00' });
    const c: Case = { ...built, order: { ...built.order, payer: 'Aetna' } };
    await storeBuiltCase(c);
    const { article, codes } = await openCodes(c);
    expect(within(article).getByText('Above the MUE: 0560T × 7', { selector: '.case-status .badge' })).toHaveAttribute('title', MUE_CONSEQUENCE);
    const row = within(codes).getByRole('row', { name: /0560T/ });
    expect(within(row).getAllByRole('cell')[0]).toHaveTextContent('7');
    expect(row).toHaveTextContent(`5 units per date of service (from 2026-04-01): 7 units is 2 above the MUE. ${MUE_CONSEQUENCE}`);
    expect(within(codes).getByRole('note', { name: 'Above the MUE' })).toHaveTextContent(`0560T × 7 (MUE 5 on 2026-04-02). ${MUE_CONSEQUENCE} The full units are kept for the appeal.`);
    expect(within(codes).getByLabelText('Warnings')).toHaveTextContent('All 7 units are shown for the appeal.');
    expect(within(codes).getByLabelText('Payer')).toHaveTextContent('Payer: Aetna. Position noted by the lab: considers 0559T–0562T experimental/investigational');
    expect(codes).toHaveTextContent('Date of service: 2026-04-02');
  });

  it('within the MUE: the MUE is shown, nothing above it; no payer recorded, no payer notice', { timeout: 20_000 }, async () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis', ['S1', 'S2', 'S3'])], use: 'yes', deliveredAt: '2026-04-02T10:00' });
    await storeBuiltCase(c);
    const { article, codes } = await openCodes(c);
    expect(within(article).queryByText(/Above the MUE/)).toBeNull();
    expect(within(codes).getByRole('row', { name: /0560T/ })).toHaveTextContent('5 units per date of service (from 2026-04-01)');
    expect(within(codes).queryByRole('note', { name: 'Above the MUE' })).toBeNull();
    expect(within(codes).queryByLabelText('Payer')).toBeNull();
  });
});
