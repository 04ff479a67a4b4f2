-- The sweeper re-scores ready households with call history after each time-slot boundary (their contact
-- probability depends on the slot: src/lib/server/queue/placement.ts rescoreForSlot). It looks for those not
-- touched since the boundary; without this index that is a scan of every ready row on every sweep during the
-- first half hour of a slot (about 0.1 s a sweep at 1,000,000 households).
create index call_queue_rescore_idx on call_queue (updated_at) where state = 'ready' and attempts > 0;
