// The marks for the printed parts at printing: one per part, by its label, with a copy button.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Case } from '../../../src/domain/case';
import { PartMarks } from '../../../src/features/part-marks/part-marks';
import { Lab } from '../../support/case-builder';

/** Pelvis model (file replaced once: v2) and a cutting guide (v1), segmentation signed. */
function signedCase(): Case {
  const lab = new Lab();
  let c = lab.open([lab.model('Pelvis model', ['Pelvis']), lab.guide('Cutting guide')], { mrn: '123456', patientName: 'Nguyễn Thị Lan' });
  c = lab.completeImaging(c);
  const [model, guide] = c.deliverables;
  c = lab.attachFile(c, model!.id, { name: 'Nguyen pelvis.stl' });
  c = lab.attachFile(c, model!.id, { name: 'pelvis-2.stl', sha256: 'b'.repeat(64), replaces: c.files![0]!.id });
  c = lab.attachFile(c, guide!.id, { name: 'guide.stl', sha256: 'c'.repeat(64) });
  c = lab.completeSegmenting(c);
  return { ...c, caseNumber: '2026-0042' };
}

describe('marks for the parts', () => {
  it('shows each part’s mark (MRN, case number, design version), never the patient’s name, and copies it', async () => {
    const user = userEvent.setup();
    render(<PartMarks caseData={signedCase()} />);
    const section = screen.getByRole('region', { name: 'Marks for the parts' });
    expect(within(section).getByLabelText('Mark for Pelvis model')).toHaveTextContent(/^MRN 123456 \| Case 2026-0042 \| v2$/);
    expect(within(section).getByLabelText('Mark for Cutting guide')).toHaveTextContent(/^MRN 123456 \| Case 2026-0042 \| v1$/);
    expect(section).not.toHaveTextContent('Nguyễn');
    expect(section).not.toHaveTextContent('Nguyen');
    expect(within(section).queryByRole('status')).not.toBeInTheDocument();

    await user.click(within(section).getByRole('button', { name: 'Copy mark for Pelvis model' }));
    expect(await navigator.clipboard.readText()).toBe('MRN 123456 | Case 2026-0042 | v2');
    expect(within(section).getByRole('status')).toHaveTextContent('Copied the mark for Pelvis model.');
  });

  it('says so when the device does not let it copy', async () => {
    const user = userEvent.setup();
    render(<PartMarks caseData={signedCase()} />);
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValueOnce(new Error('denied'));
    await user.click(screen.getByRole('button', { name: 'Copy mark for Cutting guide' }));
    expect(screen.getByRole('status')).toHaveTextContent('Could not copy the mark for Cutting guide on this device: select the text and copy it.');
  });

  it('warns while the segmentation sign-off does not cover the files (a mesh replaced at printing), and names a part with no file', () => {
    const lab = new Lab();
    let c = lab.open([lab.model('Pelvis model', ['Pelvis']), lab.guide('Cutting guide')], { mrn: '123456' });
    c = lab.completeImaging(c);
    c = lab.attachFile(c, c.deliverables[0]!.id);
    c = lab.completeSegmenting(c);
    c = lab.attachFile(c, c.deliverables[0]!.id, { name: 'repaired.stl', sha256: 'e'.repeat(64), replaces: c.files![0]!.id, stage: 'printing' });
    expect(c.stages.segmenting.signature).toBeNull();
    render(<PartMarks caseData={c} />);
    expect(screen.getByLabelText('Mark for Pelvis model')).toHaveTextContent(/\| v2$/);
    expect(screen.getByText(/The segmentation sign-off does not cover the files as they are/)).toBeInTheDocument();
    expect(screen.getByLabelText('Mark for Cutting guide')).toHaveTextContent(/^MRN 123456 \| Case \S+$/);
    expect(screen.getByText('No file attached: the mark has no design version.')).toBeInTheDocument();
  });

  it('a case of digital models only has no part to mark', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Liver', ['Liver'], { digital: true })], through: 'segmenting' });
    const { container } = render(<PartMarks caseData={c} />);
    expect(container).toBeEmptyDOMElement();
  });
});
