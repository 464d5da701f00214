import { useState } from 'react';
import type { SecurityPolicy } from '../../db/settings-repo';
import { useSaveSecurityPolicy, useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';

export function SecurityPolicyForm() {
  const policy = useSecurityPolicy();
  // Held here, not in the form: saving changes the policy, which remounts the form (its key), and "Saved" must survive that.
  const save = useSaveSecurityPolicy();
  if (!policy.data) return null;
  return <PolicyForm key={JSON.stringify(policy.data)} initial={policy.data} save={save} />;
}

function PolicyForm({ initial, save }: { initial: SecurityPolicy; save: ReturnType<typeof useSaveSecurityPolicy> }) {
  const [kind, setKind] = useState(initial.secret.kind);
  const [minLength, setMinLength] = useState(initial.secret.minLength);
  const [idle, setIdle] = useState(initial.idleMinutes);
  const adminSecret = useAdminSecret();
  return (
    <section className="card" aria-labelledby="policy-title">
      <h2 id="policy-title">Secrets and automatic lock</h2>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate({ ...initial, secret: { kind, minLength }, idleMinutes: idle, adminSecret: adminSecret.take() }); }}>
        <div className="grid-2">
          <div className="field">
            <label htmlFor="policy-kind">New secrets must be</label>
            <select id="policy-kind" value={kind} onChange={(e) => { const k = e.target.value as 'pin' | 'passphrase'; setKind(k); setMinLength(k === 'pin' ? 6 : 12); }}>
              <option value="pin">A PIN (digits)</option>
              <option value="passphrase">A passphrase (stronger if a tablet is lost)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="policy-length">Minimum length</label>
            <input id="policy-length" type="number" inputMode="numeric" min={kind === 'pin' ? 6 : 12} max={64} value={minLength} onChange={(e) => setMinLength(Number(e.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="policy-idle">Lock after this many idle minutes</label>
            <input id="policy-idle" type="number" inputMode="numeric" min={1} max={60} value={idle} onChange={(e) => setIdle(Number(e.target.value))} />
          </div>
        </div>
        <p className="muted">After {initial.maxFailedAttempts} wrong secrets in a row an account is locked for {initial.lockoutMinutes} minutes. See docs/security.md for how long a lost tablet’s PINs would resist guessing.</p>
        <AdminConfirm policy={initial.secret} value={adminSecret.value} onChange={adminSecret.onChange} error={save.error} />
        {save.isSuccess && <p className="badge ok" role="status">Saved</p>}
        <button type="submit" className="btn primary">Save policy</button>
      </form>
    </section>
  );
}
