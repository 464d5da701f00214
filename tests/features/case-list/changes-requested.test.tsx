import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/db/case-commands';
import { CaseListPage } from '../../../src/features/case-list/case-list-page';
import { renderApp, resetDatabase } from '../../support/render-app';
import { asRad, asTech, readyCase } from '../../support/signoff';

beforeEach(resetDatabase);

describe('case list: a stage sent back', () => {
  it('shows “Changes requested” on the case until the technician changes the stage', async () => {
    const sent = await readyCase({ patientName: 'Sent Back' });
    await readyCase({ patientName: 'Just Waiting' });
    await asRad();
    await runCommand(sent, { type: 'sendBack', stage: 'segmenting', reason: 'Add the left iliac artery' });
    await asTech();
    const first = renderApp(<CaseListPage />);
    const list = await screen.findByRole('list', { name: 'Cases' });
    const row = (name: string) => within(list).getAllByRole('link').find((a) => a.textContent?.includes(name))!;
    expect(await within(list).findByText('Changes requested')).toBeInTheDocument();
    expect(row('Sent Back')).toHaveTextContent('Changes requested');
    expect(row('Just Waiting')).not.toHaveTextContent('Changes requested');
    first.unmount();

    await runCommand(sent, { type: 'saveStage', stage: 'segmenting', values: { segmentationNotes: 'Left iliac artery added' } });
    renderApp(<CaseListPage />);
    const again = await screen.findByRole('list', { name: 'Cases' });
    await within(again).findAllByText(/Sent Back|Just Waiting/);
    expect(within(again).queryByText('Changes requested')).toBeNull();
  });
});
