import { NavLink } from 'react-router';
import { useSession } from '../session/session';

const LINKS: { to: string; label: string; admin?: boolean }[] = [
  { to: '/', label: 'Cases' },
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/admin', label: 'People & security', admin: true },
  { to: '/lab-settings', label: 'Lab settings', admin: true },
  { to: '/backup', label: 'Storage & backup', admin: true },
  { to: '/lab-server', label: 'Lab server', admin: true },
  { to: '/exports', label: 'Exports', admin: true },
];

/** The app's sections; admin pages only for lab admins. */
export function MainNav() {
  const { actor } = useSession();
  if (!actor) return null;
  const isAdmin = actor.roles.includes('admin');
  const links = LINKS.filter((l) => !l.admin || isAdmin);
  if (links.length < 2) return null;
  return (
    <nav aria-label="Sections" className="main-nav">
      {links.map((l) => (
        <NavLink key={l.to} to={l.to} end={l.to === '/'} className="nav-link">{l.label}</NavLink>
      ))}
    </nav>
  );
}
