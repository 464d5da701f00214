import { DEMO_CASE_NOTICE } from '../domain/demo-people';

/** On every demo case where it is shown: short to the eye, the whole notice to a screen reader. */
export function DemoBadge() {
  return (
    <span className="badge demo" title={DEMO_CASE_NOTICE}>
      <span aria-hidden="true">Demo</span>
      <span className="visually-hidden">{DEMO_CASE_NOTICE}</span>
    </span>
  );
}
