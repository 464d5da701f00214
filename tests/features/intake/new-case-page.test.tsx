import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { lock } from '../../../src/db/vault';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../../src/db/database';
import { getCase } from '../../../src/db/case-view-repo';
import { listCases } from '../../support/list';
import { asCaseId } from '../../../src/domain/ids';
import { NewCasePage } from '../../../src/features/intake/new-case-page';
import { todayLocal } from '../../../src/ui/format';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const renderPage = () => renderApp(<NewCasePage />, { route: '/cases/new' });

async function openCaseButton() {
  const button = screen.getByRole('button', { name: 'Open case' });
  await waitFor(() => expect(button).toBeEnabled()); // the session has loaded the current user
  return button;
}

async function fillOrder(user: UserEvent) {
  await user.type(screen.getByLabelText('Patient name'), 'Nguyễn Thị Lan');
  await user.type(screen.getByLabelText('MRN'), 'MRN-778812');
  await user.type(screen.getByLabelText('Date of birth'), '1958-11-02');
  await user.selectOptions(screen.getByLabelText('Sex'), 'Female');
  await user.type(screen.getByLabelText('Ordering physician'), 'Dr. K. Osei (Urology)');
  await user.type(screen.getByLabelText('Contact'), 'pager 5120');
  await user.type(screen.getByLabelText('Indication'), 'Left renal mass, planning of partial nephrectomy');
  await user.type(screen.getByLabelText('ICD-10 code'), 'c64.2');
  await user.type(screen.getByLabelText('Anatomic region'), 'Abdomen');
  await user.type(screen.getByLabelText('Structure 1'), 'Left kidney');
  await user.click(screen.getByRole('button', { name: 'Add structure' }));
  await user.type(screen.getByLabelText('Structure 2'), 'Tumour');
  await user.type(screen.getByLabelText('Date needed'), '2026-04-15');
  await user.selectOptions(screen.getByLabelText('Priority'), 'Urgent');
}

describe('New case page', () => {
  beforeEach(async () => {
    await resetDatabase();
    await signIn();
  });

  it('shows a message at every missing field, focuses the first, and saves nothing', async () => {
    const { user } = renderPage();
    await user.click(await openCaseButton());

    const expected: [string, string][] = [
      ['Patient name', 'Enter the patient name'],
      ['MRN', 'MRN: 3–20 letters, digits or dashes'],
      ['Date of birth', 'Enter a date (YYYY-MM-DD)'],
      ['Sex', 'Choose a sex'],
      ['Ordering physician', 'Enter the ordering physician'],
      ['Contact', 'Enter a contact (pager, phone or e-mail)'],
      ['Indication', 'Enter the indication'],
      ['ICD-10 code', 'ICD-10 code like S32.401A or C41.4'],
      ['Anatomic region', 'Enter the anatomic region'],
      ['Structure 1', 'Enter the structure, or remove this line'],
      ['Date needed', 'Enter a date (YYYY-MM-DD)'],
    ];
    for (const [label, message] of expected) {
      const control = await screen.findByLabelText(label);
      expect(control).toHaveAttribute('aria-invalid', 'true');
      expect(control).toHaveAccessibleDescription(expect.stringContaining(message));
    }
    expect(screen.getByLabelText('Notes (optional)')).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getAllByRole('alert').length).toBeGreaterThanOrEqual(expected.length);
    expect(screen.getByLabelText('Patient name')).toHaveFocus();
    expect(await db.cases.count()).toBe(0);
    expect(screen.queryByLabelText('Current path')).not.toBeInTheDocument();
  });

  it('explains a bad MRN, ICD-10 code and future date of birth at those fields', async () => {
    const { user } = renderPage();
    await fillOrder(user);
    await user.clear(screen.getByLabelText('MRN'));
    await user.type(screen.getByLabelText('MRN'), 'MRN 12/3');
    await user.clear(screen.getByLabelText('ICD-10 code'));
    await user.type(screen.getByLabelText('ICD-10 code'), 'U07.1'); // U codes are reserved
    await user.clear(screen.getByLabelText('Date of birth'));
    await user.type(screen.getByLabelText('Date of birth'), '2999-01-01');
    await user.click(await openCaseButton());

    expect(await screen.findByLabelText('MRN')).toHaveAccessibleDescription(expect.stringContaining('MRN: 3–20 letters, digits or dashes'));
    expect(screen.getByLabelText('ICD-10 code')).toHaveAccessibleDescription(expect.stringContaining('ICD-10 code like S32.401A or C41.4'));
    expect(screen.getByLabelText('Date of birth')).toHaveAccessibleDescription('Date of birth cannot be in the future');
    expect(screen.getByLabelText('Patient name')).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByLabelText('MRN')).toHaveFocus();
    expect(await db.cases.count()).toBe(0);

    await user.clear(screen.getByLabelText('MRN'));
    await user.type(screen.getByLabelText('MRN'), 'MRN-778812');
    await waitFor(() => expect(screen.getByLabelText('MRN')).toHaveAttribute('aria-invalid', 'false'));
  });

  it('opens a valid case with a two-component model and a guide, then goes to its page', async () => {
    const { user } = renderPage();
    await fillOrder(user);

    await user.click(screen.getByRole('button', { name: 'Add anatomic model' }));
    const model = screen.getByRole('group', { name: /^Anatomic model/ });
    await user.type(within(model).getByLabelText('Model name'), 'Kidney with tumour');
    await user.clear(within(model).getByLabelText('Copies'));
    await user.type(within(model).getByLabelText('Copies'), '2');
    // The structures typed in the order are offered here: typed once.
    const offered = document.getElementById(within(model).getByLabelText('Structure').getAttribute('list')!)!;
    expect([...offered.querySelectorAll('option')].map((o) => o.value)).toEqual(['Left kidney', 'Tumour']);
    await user.type(within(model).getByLabelText('Structure'), 'Left kidney');
    await user.type(within(model).getByLabelText('Colour'), 'Clear');
    await user.type(within(model).getByLabelText('Material'), 'VeroClear');
    await user.click(within(model).getByRole('button', { name: 'Add component to Kidney with tumour' }));
    expect(within(model).getAllByLabelText('Structure')[1]).toHaveFocus();
    await user.type(within(model).getAllByLabelText('Structure')[1]!, 'Tumour');
    await user.type(within(model).getAllByLabelText('Colour')[1]!, 'Red');
    await user.type(within(model).getAllByLabelText('Material')[1]!, 'VeroMagenta');
    expect(within(model).getByRole('button', { name: 'Remove component Tumour' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add guide' }));
    const guide = screen.getByRole('group', { name: /^Guide/ });
    await user.type(within(guide).getByLabelText('Guide name'), 'Resection guide');
    await user.selectOptions(within(guide).getByLabelText('Guide type'), 'Cutting guide');
    await user.type(within(guide).getByLabelText('Material'), 'MED610');

    await user.click(await openCaseButton());

    const path = await screen.findByLabelText('Current path');
    const cases = await listCases({ search: '', status: 'all', overdueOnly: false, today: todayLocal() });
    expect(cases).toHaveLength(1);
    const id = cases[0]!.id;
    expect(path).toHaveTextContent(`/cases/${id}`);
    expect(id).toMatch(/^[0-9a-f-]{36}$/); // no PHI in the URL

    const saved = (await getCase(asCaseId(id)))!.case;
    expect(saved.phi).toMatchObject({ patientName: 'Nguyễn Thị Lan', mrn: 'MRN-778812', dateOfBirth: '1958-11-02', sex: 'female', notes: '' });
    expect(saved.order).toMatchObject({ icd10: 'C64.2', structures: ['Left kidney', 'Tumour'], dateNeeded: '2026-04-15', priority: 'urgent', anatomicRegion: 'Abdomen' });
    expect(saved.createdByName).toBe('Tess Technician');
    const [m, g] = saved.deliverables;
    expect(m).toMatchObject({
      kind: 'model',
      name: 'Kidney with tumour',
      copies: 2,
      components: [
        { structure: 'Left kidney', colour: 'Clear', material: 'VeroClear' },
        { structure: 'Tumour', colour: 'Red', material: 'VeroMagenta' },
      ],
    });
    expect(g).toMatchObject({ kind: 'guide', name: 'Resection guide', guideType: 'cutting', material: 'MED610' });
    const ids = [m!.id, g!.id, ...(m!.kind === 'model' ? m!.components.map((p) => p.id) : [])];
    expect(new Set(ids).size).toBe(4);
  });

  it('does not open a case while the tablet is locked', async () => {
    await lock();
    renderPage();
    expect(await screen.findByText('The tablet is locked.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open case' })).toBeDisabled();
    expect(screen.getByRole('link', { name: 'Cancel' })).toHaveAttribute('href', '/');
  });
});
