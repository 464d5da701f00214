// What the screen says, the PDF says: the case page and the case summary read the same checks the same way.
import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { db } from '../../../src/db/database';
import { getCaseHistory, getCaseView } from '../../../src/db/case-view-repo';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { readAllCasesForExport } from '../../../src/db/export-repo';
import type { Case } from '../../../src/domain/case';
import { caseSummary, type CaseSummary } from '../../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { ExportPdfButton } from '../../../src/features/report/export-pdf-button';
import { trustFromChecks } from '../../../src/queries/trust-from-checks';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';
import { storeBuiltCase } from '../../support/store-case';
import { verifiedTrust, withCheck } from '../../support/trust';

/** The summary the PDF button makes for this case now, from the same reads the case page makes. */
async function pdfModel(id: Case['id']): Promise<CaseSummary> {
  const view = (await getCaseView(id))!;
  const { events, history } = await getCaseHistory(id);
  return caseSummary(view.case, events, { codeTable: DEFAULT_CODE_TABLE, trust: trustFromChecks(view, history), generatedAt: '2026-04-01T12:00:00.000Z' });
}

async function openCase(c: Case) {
  const view = renderApp(<CasePage />, { route: `/cases/${c.id}`, path: '/cases/:caseId' });
  const article = await screen.findByRole('article');
  return { ...view, article };
}

const statusBadge = (article: HTMLElement, label: string) => within(article).findByText(label, { selector: '.case-status .badge' });

describe('the case page and the PDF give the same status', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn('Tess Technician', ['technician']);
  });

  it('a case whose sign-offs do not verify (stored without digital signatures): not ready for billing on either', { timeout: 20_000 }, async () => {
    const c = new Lab().build({ use: 'yes' });
    await storeBuiltCase(c);
    const summary = await pdfModel(c.id);
    expect(summary.status).toBe('In imaging');
    expect(summary.verification.banner?.title).toBe('THIS RECORD DOES NOT VERIFY');

    const { article, user } = await openCase(c);
    expect(await statusBadge(article, summary.status)).toBeInTheDocument();
    expect(within(article).getByRole('alert', { name: 'Record does not verify' })).toHaveTextContent('THIS RECORD DOES NOT VERIFY');
    expect(within(article).getByText(/SIGNATURE DOES NOT VERIFY — not counted/)).toBeInTheDocument();

    await user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
    const codes = within((await screen.findByRole('heading', { name: 'Suggested CPT codes' })).closest('section') as HTMLElement);
    expect(summary.codes.state).toBe('provisional');
    expect(codes.getByText('Provisional')).toBeInTheDocument();
    expect(codes.getAllByRole('rowheader').map((h) => h.textContent)).toEqual(summary.codes.lines.map((l) => l.code));
    expect(codes.getByRole('button', { name: 'Close case for billing' })).toBeDisabled();
    expect(codes.getByText(/The imaging sign-off does not count/)).toBeInTheDocument();
  });

  it('a case whose audit trail does not verify: "Does not verify — do not bill from this record" on both, and no codes', { timeout: 20_000 }, async () => {
    const c = new Lab().build({ use: 'yes' });
    await storeBuiltCase(c);
    await db.cases.update(c.id, { auditHead: { seq: 3, hash: 'ab'.repeat(32), chain: c.id } });
    const summary = await pdfModel(c.id);
    expect(summary.status).toBe('Does not verify — do not bill from this record');
    expect(summary.codes.lines).toEqual([]);

    const { article, user } = await openCase(c);
    expect(await statusBadge(article, summary.status)).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^Codes & PDF/ }));
    const codes = within((await screen.findByRole('heading', { name: 'Suggested CPT codes' })).closest('section') as HTMLElement);
    expect(codes.getByText(summary.codes.stateLabel, { selector: '.badge' })).toBeInTheDocument();
    expect(summary.codes.stateLabel).toBe('No code suggested — the record does not verify');
    expect(codes.queryByRole('table')).toBeNull();
    expect(codes.getByRole('alert')).toHaveTextContent('Does not verify — do not bill from this record');
  });

  it('a closed demo case whose signatures verify: "Closed for billing" on both, with the verification listed on the history tab', { timeout: 20_000 }, async () => {
    await signIn('Lab Admin', ['admin']);
    await loadDemoCases(6, TEST_PIN);
    const c = (await readAllCasesForExport()).find((x) => x.closed)!;
    const summary = await pdfModel(c.id);
    expect(summary.status).toBe('Closed for billing');
    expect(summary.verification.failed).toBe(false);

    const { article, user } = await openCase(c);
    expect(await statusBadge(article, summary.status)).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: 'History' }));
    const verification = await screen.findByLabelText('Verification');
    for (const row of summary.verification.rows) expect(verification).toHaveTextContent(row.text);
    expect(verification).toHaveTextContent(`Lab root key${summary.verification.labRoot}`);
  });
});

describe('the PDF button', () => {
  it('is not offered while a check is still running', () => {
    const c = new Lab().build({ use: 'yes' });
    const trust = withCheck(verifiedTrust(c), 'history', { state: 'verifying', text: 'The audit chain is being checked.' });
    const { rerender } = render(<ExportPdfButton caseData={c} events={[]} history={{ ok: true, head: null, count: 0 }} trust={trust} codeTable={DEFAULT_CODE_TABLE} />);
    expect(screen.getByRole('button', { name: 'Verifying…' })).toBeDisabled();
    rerender(<ExportPdfButton caseData={c} events={[]} history={{ ok: true, head: null, count: 0 }} trust={verifiedTrust(c)} codeTable={DEFAULT_CODE_TABLE} />);
    expect(screen.getByRole('button', { name: 'Export PDF' })).toBeEnabled();
  });
});
