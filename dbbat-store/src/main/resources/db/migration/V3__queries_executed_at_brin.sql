-- The statement log is appended in time order (one writer, statement batches in arrival order), so a BRIN index on
-- executed_at serves the API's time-range filters (GET /queries?start_time=&end_time=) at a fraction of a btree's
-- upkeep: each statement record paid for a btree entry on executed_at, ~1.1 of the store backend's ~6.8
-- microseconds per statement at 8 pgbench clients through the proxy (held bench, PostgreSQL 17; 5.6-5.7 with the
-- BRIN index, 5.4-5.6 with none). Lists are paged on the UUIDv7 key, whose order is the same.
DROP INDEX IF EXISTS queries_executed_at_idx;
CREATE INDEX queries_executed_at_brin ON queries USING brin (executed_at);
