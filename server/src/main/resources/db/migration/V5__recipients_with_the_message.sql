-- A stored message carries its recipients ("session" or "session:client", comma-separated) until the
-- periodic cursor flush settles it: recipients that have not acknowledged it by then get inbox rows, and
-- the list is cleared. Writing one row per recipient at once dirtied a page of inbox per recipient on
-- every commit (~58 KB written per channel message); most recipients acknowledge within seconds.
ALTER TABLE messages ADD COLUMN recipients TEXT;
CREATE INDEX messages_unsettled ON messages (seq) WHERE recipients IS NOT NULL;
