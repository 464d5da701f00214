-- Model and guide files travel apart from events: each file's chunks, sealed on the device
-- that attached it (IV ‖ AES-GCM ciphertext under the lab's key, the file id and the chunk's
-- index as associated data), stored as pushed. The server sees a random file id, how many
-- chunks and their sizes; never a name, a hash of the plain file or its contents.
CREATE TABLE file_chunks (
  lab_id uuid NOT NULL REFERENCES labs (id),
  file_id uuid NOT NULL,
  idx integer NOT NULL CHECK (idx >= 0),
  chunk text NOT NULL,
  size integer NOT NULL,
  device_id uuid NOT NULL REFERENCES devices (id),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lab_id, file_id, idx)
);
