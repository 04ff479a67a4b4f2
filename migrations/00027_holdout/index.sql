-- The randomized holdout of issue #8 ("does calling work?"): a segment may set aside a share of its households at
-- random, who are then not called from that segment (letters, inbound calls and the ward's own work continue), so
-- that the payments of called and held-out households can be compared (docs/kpis.md, "The holdout").
--
-- holdout_share: the share held out, 0 (none) to 0.5. holdout_seed: the key of the assignment's hash, drawn once
-- when a share above 0 is first set and never changed (changing it would reshuffle nobody anyway: arms are stored).
-- holdout_started_at: when a share above 0 was first set (the report's default window starts that day).
alter table segments
  add column holdout_share numeric(4, 3) not null default 0 check (holdout_share >= 0 and holdout_share <= 0.5),
  add column holdout_seed text check (holdout_seed is null or holdout_seed ~ '^[0-9a-f]{32}$'),
  add column holdout_started_at timestamptz;

-- Each household's arm in a segment, recorded the first time placement puts it in that segment while the segment
-- has a share above 0 (both arms are recorded: the called arm is the comparison group). Never updated: later
-- changes of the share, of the filter or of the calling rules do not move anyone from one arm to the other.
-- held_out = HMAC-SHA256(key = holdout_seed, message = the household id in decimal) read as a number in [0, 1)
-- (its first 52 bits ÷ 2^52) is below the segment's share at that moment (src/lib/domain/holdout.ts).
create table holdout_assignments (
  segment_id    bigint not null references segments on delete cascade,
  household_id  bigint not null references households on delete cascade,
  held_out      boolean not null,
  -- the share in force when the household was assigned (for the record; the arm does not follow later changes)
  share         numeric(4, 3) not null,
  assigned_at   timestamptz not null default now(),
  primary key (segment_id, household_id)
);
create index holdout_assignments_household_idx on holdout_assignments (household_id);
