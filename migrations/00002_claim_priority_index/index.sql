-- The claim reads ready households in priority order and filters the operator's segments. With only the
-- (segment_id, priority) index, an operator in several segments made PostgreSQL scan and sort every ready row
-- (about 10 ms a claim at 28,000 households, measured by `npm run bench -- claim`); this index lets the claim
-- stop at the first eligible row.
create index call_queue_ready_priority_idx on call_queue (priority desc, household_id) where state = 'ready';
