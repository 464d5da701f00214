-- Audit chains kept linear (compare-and-set on push, server/routes/events.ts).
-- An event on a chain (a case id, 'lab' or 'device:<uuid>') names it and its own entry
-- hash; events on no chain (snapshots, people, settings) leave both null. chain_heads holds
-- each chain's last accepted hash: a push is accepted only if it extends it.
-- Chain names and entry hashes are routing metadata: a case id is a random UUID, and an
-- entry hash covers values the server never sees in the clear, so it cannot be checked
-- against guessed plaintext.
ALTER TABLE events ADD COLUMN chain text, ADD COLUMN hash text;
ALTER TABLE events ADD CONSTRAINT events_chain_hash CHECK ((chain IS NULL) = (hash IS NULL));

CREATE TABLE chain_heads (
  lab_id uuid NOT NULL REFERENCES labs (id),
  chain text NOT NULL,
  head text NOT NULL,
  PRIMARY KEY (lab_id, chain)
);
