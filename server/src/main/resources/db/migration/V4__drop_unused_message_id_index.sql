-- Nothing looks a message up by id (recent ids are read by seq at startup), and random ids made every
-- stored message dirty a random page of this index: a write cost for no reader.
DROP INDEX messages_id;
