-- Supervisor controls on the floor (issue #6): the day's targets, the thresholds that mark long calls and long
-- breaks, messages to operators, a version per operator's assignments (optimistic checks on the assignment
-- board), and today's changes feed. src/lib/server/floor/floor.ts writes them; floor.queries.ts reads them.

-- The day's targets, one row per Tokyo date. A save names the version it started from (0: none yet for that day).
create table floor_targets (
  day              date primary key,
  attempts         int not null default 0 check (attempts between 0 and 1000000),
  contacts         int not null default 0 check (contacts between 0 and 1000000),
  promises         int not null default 0 check (promises between 0 and 1000000),
  promised_amount  bigint not null default 0 check (promised_amount between 0 and 100000000000), -- yen
  version          bigint not null default 1,
  updated_by       bigint references users on delete set null,
  updated_at       timestamptz not null default now()
);

-- When a call or a break counts as long on the console (highlighted). One row; absent = the defaults below.
create table floor_thresholds (
  id                  int primary key default 1 check (id = 1),
  long_call_minutes   int not null default 10 check (long_call_minutes between 1 and 240),
  long_break_minutes  int not null default 20 check (long_break_minutes between 1 and 480),
  version             bigint not null default 1,
  updated_by          bigint references users on delete set null,
  updated_at          timestamptz not null default now()
);
insert into floor_thresholds default values;

-- The version of one operator's set of segments (operator_segments), raised by a trigger on every change to
-- their rows, whichever path made it (the assignment board, the segments pages' matrix, seeding). The board's
-- save names the version it started from; a save over someone else's is refused with the current segments.
create table operator_assignment_versions (
  user_id     bigint primary key references users on delete cascade,
  version     bigint not null default 1,
  updated_at  timestamptz not null default now()
);

create function operator_assignment_bump() returns trigger language plpgsql as $$
begin
  insert into operator_assignment_versions as v (user_id, version)
  values (coalesce(new.user_id, old.user_id), 2)
  on conflict (user_id) do update set version = v.version + 1, updated_at = now();
  return null;
end $$;
-- an operator without a row is at version 1 (the board reads coalesce(version, 1)); the first change makes it 2
create trigger operator_segments_version after insert or delete or update on operator_segments
  for each row execute function operator_assignment_bump();

-- Messages from a supervisor to operators: one operator, a team (the operators assigned to a segment at the
-- time of sending: kansho has no teams table, see src/lib/domain/access-scope.ts), or everyone. Shown as a toast
-- on the recipients' desks (the NOTIFY event floor:message goes to their user rooms only).
create table floor_messages (
  id                 bigint generated always as identity primary key,
  sender_id          bigint references users on delete set null,
  target_kind        text not null check (target_kind in ('operator', 'segment', 'all')),
  target_user_id     bigint references users on delete set null,
  target_segment_id  bigint references segments on delete set null,
  body               text not null check (length(body) between 1 and 500),
  recipients         bigint[] not null,   -- the operators it went to (resolved when sent)
  created_at         timestamptz not null default now()
);
create index floor_messages_at_idx on floor_messages (created_at desc);

-- Today's changes on the floor (who, what, when) for the console's feed: one row per control action, written in
-- the same transaction as its access-log row. The access log stays the record for auditors (append-only,
-- chained, with every household read in it); this table is small, structured for the ja/en feed, and holds no
-- resident's personal data (names of staff and segments, ids of households at most).
create table floor_changes (
  id          bigint generated always as identity primary key,
  at          timestamptz not null default now(),
  user_id     bigint references users on delete set null,
  user_name   text not null,
  what        text not null,       -- assign, pause, resume, reorder, release, message, targets, thresholds, segment_create, segment_update, rules
  params      jsonb not null default '{}'
);
create index floor_changes_at_idx on floor_changes (at desc);
