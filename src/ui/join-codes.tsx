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
