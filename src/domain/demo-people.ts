import type { Role } from './case';

/** Demo accounts are for trying the product only: their PIN is shown on screen. */
export const DEMO_PIN = '246810';
export const DEMO_PEOPLE: readonly { name: string; roles: Role[] }[] = [
  { name: 'Alex Morgan', roles: ['technician'] },
  { name: 'Dr. Priya Raman', roles: ['radiologist'] },
];

/** Demo people's PIN is shown on screen: their signature on a real patient's case would mean nothing. */
export const DEMO_SIGNER_REFUSED = 'Demo people cannot sign real cases';

/** What screens, exports and printouts say of a demo case. */
export const DEMO_CASE_NOTICE = 'Demo case — not a real patient';

/** A person's name wherever it stands for the person: a demo person is never taken for a real one. */
export const shownName = (p: { name: string; demo?: boolean }): string => (p.demo ? `${p.name} (demo)` : p.name);
