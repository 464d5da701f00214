-- The lab's recovery key (shown once, for the lab to keep on paper) enrols a new device when
-- every device is lost. The server keeps its public half, the SHA-256 of a token derived
-- from it (to recognise it; the token opens nothing) and, for each key epoch, that epoch's
-- key granted to the recovery key: opaque blobs that only the paper key opens.
CREATE TABLE recovery (
  lab_id uuid PRIMARY KEY REFERENCES labs (id),
  public_key text NOT NULL,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_grants (
  lab_id uuid NOT NULL REFERENCES labs (id),
  epoch text NOT NULL,
  grant_blob text NOT NULL,
  PRIMARY KEY (lab_id, epoch)
);
