import type { ReactNode } from 'react';
import { ROLE_LABELS, type Role } from '../../domain/case';

const ROLES: Role[] = ['technician', 'radiologist', 'admin'];

/** The three roles as checkboxes, for adding a person and for changing their roles. */
export function RoleChecks({ legend, hint, roles, onChange }: { legend: string; hint?: ReactNode; roles: Role[]; onChange: (roles: Role[]) => void }) {
  const toggle = (r: Role) => onChange(roles.includes(r) ? roles.filter((x) => x !== r) : [...roles, r]);
  return (
    <fieldset className="field">
      <legend className="label">{legend}</legend>
      {hint}
      {ROLES.map((r) => (
        <label key={r} className="check">
          <input type="checkbox" checked={roles.includes(r)} onChange={() => toggle(r)} />
          {ROLE_LABELS[r]}
        </label>
      ))}
    </fieldset>
  );
}
