import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { FirstRun } from '../../../src/features/lock/first-run';
import { renderApp, resetDatabase } from '../../support/render-app';

beforeEach(resetDatabase);

describe('first run', () => {
  it('keeps setting up a new tablet, and offers joining a lab server as a second way', async () => {
    const { user } = renderApp(<FirstRun />);
    expect(screen.getByRole('heading', { name: 'Set up this tablet' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create lab admin' })).toBeInTheDocument();
    expect(screen.queryByLabelText('Name of this device')).toBeNull();

    await user.click(await screen.findByRole('button', { name: 'Join a lab server' }));
    expect(screen.getByLabelText('Name of this device')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Ask to join' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Create lab admin' })).toBeInTheDocument();
  });

  it('says in a sentence why asking to join failed, and lets the person try again', async () => {
    const { user } = renderApp(<FirstRun />);
    await user.click(await screen.findByRole('button', { name: 'Join a lab server' }));
    await user.click(screen.getByRole('button', { name: 'Ask to join' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Name this device, e.g. “Reading room workstation”.');

    // No lab server answers in this test: the same form stays, with the reason.
    await user.type(screen.getByLabelText('Name of this device'), 'Reading room workstation');
    await user.click(screen.getByRole('button', { name: 'Ask to join' }));
    expect(await screen.findByText('The lab server cannot be reached: changes wait on this device and go up when it can.')).toHaveAttribute('role', 'alert');
    expect(screen.getByLabelText('Name of this device')).toHaveValue('Reading room workstation');
    expect(screen.getByRole('button', { name: 'Ask to join' })).toBeEnabled();
    expect(screen.queryByLabelText('Code')).toBeNull();
  });
});
