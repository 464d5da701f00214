import { configure, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { ExportsPage } from '../../../src/features/exports/exports-page';
import { Lab } from '../../support/case-builder';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';
import { captureDownloads } from '../../support/downloads';
import { storeBuiltCase } from '../../support/store-case';

// Reading files and writing through the real storage path can take over a second under load.
configure({ asyncUtilTimeout: 5_000 });

describe('Exports page', { timeout: 15_000 }, () => {
  beforeEach(async () => {
    await resetDatabase();
  });

  it('is for lab admins only', async () => {
    await signIn('Tess Technician', ['technician']);
    renderApp(<ExportsPage />);
    expect(screen.getByText('Only a lab admin can export the lab’s cases.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download registry CSV' })).toBeNull();
  });

  it('downloads the de-identified registry CSV of the delivered cases, or of all cases', async () => {
    await signIn('Lab Admin', ['admin']);
    const lab = new Lab();
    const delivered = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis', 'Sacrum']), lab.guide('Iliac guide')] });
    const open = lab.build({ through: 'segmenting' });
    await storeBuiltCase(delivered);
    await storeBuiltCase(open);
    const files = captureDownloads();
    const { user } = renderApp(<ExportsPage />);

    await user.click(screen.getByRole('button', { name: 'Download registry CSV' }));
    expect(await screen.findByRole('status')).toHaveTextContent('1 case (2 rows) downloaded');
    expect(files).toHaveLength(1);
    expect(files[0]!.name).toMatch(/^printpath-registry-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(files[0]!.blob.type).toBe('text/csv;charset=utf-8');
    const csv = await files[0]!.blob.text();
    expect(csv.split('\r\n')[0]).toMatch(/^case_ref,object_number,objects_in_case,order_year,case_status,demo,icd10,/);
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(3);
    for (const identifier of ['Łukasz', 'Żółć', 'MRN-100200', delivered.caseNumber, delivered.id, '1961-05-14', 'ACC1234567']) expect(csv).not.toContain(identifier);

    await user.click(screen.getByRole('radio', { name: 'All cases, including open and cancelled ones' }));
    await user.click(screen.getByRole('button', { name: 'Download registry CSV' }));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('2 cases (3 rows) downloaded'));
  });

  it('lists the file’s columns by registry section', async () => {
    await signIn('Lab Admin', ['admin']);
    const { user } = renderApp(<ExportsPage />);
    await user.click(screen.getByText('Columns in the file'));
    expect(screen.getByText('Effort')).toBeVisible();
    expect(screen.getByText(/effort_segmentation_clinician_minutes/)).toBeVisible();
  });
});
