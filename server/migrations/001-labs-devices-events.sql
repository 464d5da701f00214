-- Labs, their devices and enrolments, and the events devices push.
-- The server keeps routing metadata and opaque blobs only: envelopes are ciphertext under
-- the lab key, wrapped keys are wrapped to a device's key, credentials are SHA-256 hashes.

-- One row per lab; seq is the lab's event counter. A push takes this row's lock and numbers
-- its events from it inside its own transaction, so numbers become visible in order
-- (an identity column would let a late commit land below a cursor a device already passed).
CREATE TABLE labs (
  id uuid PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The one-time set-up code of a server with no lab yet: only its hash.
CREATE TABLE setup_codes (
  code_hash text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz
);

CREATE TABLE devices (
  id uuid PRIMARY KEY,
  lab_id uuid NOT NULL REFERENCES labs (id),
  name text NOT NULL,
  public_key text NOT NULL,
  credential_hash text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX devices_lab ON devices (lab_id);

CREATE TABLE enrolments (
  id uuid PRIMARY KEY,
  lab_id uuid NOT NULL REFERENCES labs (id),
  device_name text NOT NULL,
  public_key text NOT NULL,
  code text NOT NULL,
  collect_hash text NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'collected', 'rejected')),
  wrapped_lab_key text,
  approved_by uuid REFERENCES devices (id),
  device_id uuid REFERENCES devices (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX enrolments_lab_status ON enrolments (lab_id, status);

CREATE TABLE events (
  lab_id uuid NOT NULL REFERENCES labs (id),
  server_seq bigint NOT NULL,
  event_id uuid NOT NULL UNIQUE,
  device_id uuid NOT NULL REFERENCES devices (id),
  device_seq bigint NOT NULL,
  hlc text NOT NULL,
  parents text[] NOT NULL,
  sig text NOT NULL,
  envelope text NOT NULL, -- base64, as pushed (checked): PGlite reads text far faster than bytea
  size integer NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lab_id, server_seq)
);
