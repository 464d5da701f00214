import { errorMessage } from './format';

/** The two codes a joining device and the approving admin compare. */
export function JoinCodes({ code, keyCode }: { code: string; keyCode: string }) {
  return (
    <dl className="join-codes">
      <div>
        <dt>Code</dt>
        <dd aria-label="Code">{code}</dd>
      </div>
      <div>
        <dt>Key code</dt>
        <dd aria-label="Key code">{keyCode}</dd>
      </div>
    </dl>
  );
}

/**
 * A device waiting for an admin's approval: the two codes the admin compares, then how far
 * joining has come, or why it stopped with a way to try again.
 */
export function JoinWaiting({ code, keyCode, what, error, status, pending, onReset }: {
  code: string;
  keyCode: string;
  /** “device” or “tablet”, as the screen calls it. */
  what: string;
  error: unknown;
  status: string;
  pending: boolean;
  onReset: () => void;
}) {
  return (
    <div className="join-wait">
      <JoinCodes code={code} keyCode={keyCode} />
      <p>Ask a lab admin to approve this {what} on their Lab server page, and check both codes match.</p>
      {error ? (
        <>
          <p className="field-error" role="alert">{errorMessage(error)}</p>
          <button type="button" className="btn primary" onClick={onReset}>Try again</button>
        </>
      ) : (
        <>
          <p className="notice" role="status">{status}</p>
          {pending && <button type="button" className="btn" onClick={onReset}>Cancel</button>}
        </>
      )}
    </div>
  );
}
