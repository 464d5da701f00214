import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { NavLink } from 'react-router';
import { queueRoleOf } from '../domain/stages';
import { useSession } from '../session/session';
import { readAhead } from './section-reads';

const LINKS: { to: string; label: string; admin?: boolean; signer?: boolean }[] = [
  { to: '/', label: 'Cases' },
  { to: '/queue', label: 'Waiting for my sign-off', signer: true },
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/admin', label: 'People & security', admin: true },
  { to: '/lab-settings', label: 'Lab settings', admin: true },
  { to: '/backup', label: 'Storage & backup', admin: true },
  { to: '/lab-server', label: 'Lab server', admin: true },
  { to: '/exports', label: 'Exports', admin: true },
];

// Only for people who sign: not in the first load.
const QueueCount = lazy(() => import('./queue-count').then((m) => ({ default: m.QueueCount })));

/** The app's sections; admin pages only for lab admins; a signer's queue, with its count, for those who sign. */
export function MainNav() {
  const { actor } = useSession();
  const client = useQueryClient();
  const role = queueRoleOf(actor);
  if (!actor) return null;
  const isAdmin = actor.roles.includes('admin');
  const links = LINKS.filter((l) => (!l.admin || isAdmin) && (!l.signer || role));
  if (links.length < 2) return null;
  return (
    <nav aria-label="Sections" className="main-nav">
      {links.map((l) => {
        const ahead = () => readAhead(client, l.to, role);
        return (
          <NavLink key={l.to} to={l.to} end={l.to === '/'} className="nav-link" onPointerDown={ahead} onClick={ahead}>
            {l.label}
            {l.signer && role && <Suspense fallback={null}><QueueCount role={role} /></Suspense>}
          </NavLink>
        );
      })}
    </nav>
  );
}
