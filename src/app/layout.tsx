import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { HomeScreenHint } from '../features/install/home-screen-hint';
import { SecretResetNotice } from '../features/my-secret/reset-notice';
import { UserSwitcher } from '../features/users/user-switcher';
import { MainNav } from './main-nav';
import { OutdatedBanner } from './outdated-banner';
import { QueueWatch } from './queue-watch';
import { NetworkStatus } from './network-status';
import { SyncStatusLine } from './sync-status';
import { UpdatePrompt } from './update-prompt';

export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand">Printpath</Link>
        <span className="spacer" />
        <NetworkStatus />
        <SyncStatusLine />
        <UserSwitcher />
      </header>
      <MainNav />
      <QueueWatch />
      <UpdatePrompt />
      <OutdatedBanner />
      <HomeScreenHint />
      <SecretResetNotice />
      <main>{children}</main>
    </>
  );
}
