-- A device that holds only a window of the lab's cases fetches an older case's history when
-- it is opened: the events of one chain, in server order.
CREATE INDEX events_by_chain ON events (lab_id, chain, server_seq) WHERE chain IS NOT NULL;
