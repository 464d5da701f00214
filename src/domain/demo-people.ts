import type { Role } from './case';

/** Demo accounts are for trying the product only: their PIN is shown on screen. */
export const DEMO_PIN = '246810';
export const DEMO_PEOPLE: readonly { name: string; roles: Role[] }[] = [
  { name: 'Alex Morgan', roles: ['technician'] },
  { name: 'Dr. Priya Raman', roles: ['radiologist'] },
];
