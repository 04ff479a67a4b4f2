-- The collection-rate trends (issue #8) read a summary of the receipts, not the receipts: at 1,000,000 households
-- (10 instalment periods × 3 fiscal years = 30,000,000 rows) a pass over the receipts takes seconds, the summary a
-- few milliseconds. One row per (fiscal year, month the money came, district, queue segment, foreign head of
-- household, whereabouts unknown): amounts summed. Rebuilt whole (src/lib/server/reports/trends.queries.ts
-- refreshCollectionCells) by the sweeper when the receipts or the letter returns changed (the triggers below mark it
-- stale) and once a day (households move between segments during the day); readers see the previous summary until
-- a rebuild commits. Aggregates only: no household.
create table collection_cells (
  fiscal_year          int not null,
  month                text check (month ~ '^\d{4}-\d{2}$'),   -- null: received with no date, or nothing received
  district             text not null default '',
  segment_id           bigint not null default 0,               -- 0: not in the queue
  foreign_head         boolean not null,
  unknown_whereabouts  boolean not null,
  assessed             bigint not null,
  received             bigint not null
);
create index collection_cells_fy_idx on collection_cells (fiscal_year);

create table collection_cells_state (
  id            boolean primary key default true check (id),
  stale         boolean not null default true,
  refreshed_at  timestamptz,
  rows          bigint,
  duration_ms   int
);
insert into collection_cells_state default values;

create function collection_cells_mark_stale() returns trigger language plpgsql as $$
begin
  update collection_cells_state set stale = true where not stale;
  return null;
end $$;

-- statement level: one cheap update per import statement or letter return, never per row
create trigger receipts_mark_collection_stale after insert or update or delete or truncate on receipts
  for each statement execute function collection_cells_mark_stale();
create trigger letter_returns_mark_collection_stale after insert or update or delete or truncate on letter_returns
  for each statement execute function collection_cells_mark_stale();
