-- Staff handoffs (職員引継ぎ, issue #7 part 1): the handoff's states, who works it, its history, the callback window
-- the operator recorded, the service-level target per reason, and the staff's instruction when it is returned to
-- the call center. src/lib/server/handoffs/handoffs.ts writes them; handoffs.queries.ts reads them; the pure rules
-- (states, working days, SLA) are src/lib/domain/handoffs.ts.
--
-- States: new (in the staff pool, or assigned and not yet taken up) → in_progress (a staff member took it) →
-- resolved (with a resolution code and text) or returned (to the call center, with an instruction for operators).
-- While a handoff is new or in_progress the household is not called (src/lib/server/queue/facts.queries.ts).

-- Old statuses: open (unassigned) → new, open (assigned) / accepted → in_progress, closed → resolved ('other').
alter table handoffs drop constraint if exists handoffs_status_check;
drop index if exists handoffs_open_idx;
update handoffs set status = case
    when status = 'open' and assigned_to is null then 'new'
    when status in ('open', 'accepted') then 'in_progress'
    when status = 'closed' then 'resolved'
    else status end
  where status in ('open', 'accepted', 'closed');

alter table handoffs
  alter column status set default 'new',
  add constraint handoffs_status_check check (status in ('new', 'in_progress', 'resolved', 'returned')),
  add column version                  bigint not null default 1,
  add column assigned_at              timestamptz,
  add column assigned_by              bigint references users on delete set null,
  -- the callback window the operator recorded with the household (when they want the ward to call)
  add column callback_from            timestamptz,
  add column callback_until           timestamptz,
  -- the service level: due by the end of the target's last working day (the SLA in force when it was made, or
  -- recomputed when a supervisor changes the target); the first contact with the resident stops the clock
  add column due_at                   timestamptz,
  add column first_contact_at         timestamptz,
  -- resolution (status resolved): a code (src/lib/domain/handoffs.ts resolutionCodes) and free text
  add column resolution_code          text,
  add column resolution_text          text check (length(resolution_text) <= 2000),
  -- resolved with a code that lets the center call again (e.g. 架電再開): the household re-enters the queue
  add column resumes_calls            boolean not null default false,
  -- returned: the instruction operators see when they next have the household
  add column instruction              text check (length(instruction) <= 2000),
  add column closed_by                bigint references users on delete set null,
  add constraint handoffs_callback_window_check check (callback_until is null or callback_from is null or callback_until >= callback_from);

-- handoffs closed before this migration released the household (the old model): they keep doing so
update handoffs set resolution_code = 'other', resumes_calls = true, closed_at = coalesce(closed_at, now())
  where status = 'resolved' and resolution_code is null;
update handoffs set assigned_at = created_at where assigned_to is not null and assigned_at is null;

-- after the old rows have their resolution: a resolved handoff has one, a returned one its instruction
alter table handoffs
  add constraint handoffs_resolved_check check (status <> 'resolved' or resolution_code is not null),
  add constraint handoffs_returned_check check (status <> 'returned' or instruction is not null);

create index handoffs_open_idx on handoffs (created_at) where status in ('new', 'in_progress');
create index handoffs_assigned_idx on handoffs (assigned_to, status) where assigned_to is not null;

-- The history of a handoff: every state change, assignment and note, who and when. Notes are free text about a
-- resident: erased with the household's data (src/lib/domain/erasure.ts).
create table handoff_events (
  id            bigint generated always as identity primary key,
  handoff_id    bigint not null references handoffs on delete cascade,
  at            timestamptz not null default now(),
  user_id       bigint references users on delete set null,
  kind          text not null check (kind in ('created', 'assigned', 'taken', 'note', 'contact', 'resolved', 'returned', 'migrated')),
  from_status   text,
  to_status     text,
  assigned_to   bigint references users on delete set null,
  note          text check (length(note) <= 2000)
);
create index handoff_events_handoff_idx on handoff_events (handoff_id, at);

insert into handoff_events (handoff_id, at, user_id, kind, from_status, to_status)
  select id, created_at, created_by, 'migrated', null, status from handoffs;

-- The service-level target per reason: contact within N Japanese working days (weekends, national holidays and
-- the ward's closure 12/29–1/3 do not count). Edited by supervisors and administrators (/supervisor/handoff-sla).
create table handoff_sla (
  reason        text primary key check (reason in ('installment', 'hardship', 'reduction', 'complaint', 'other')),
  working_days  int not null check (working_days between 1 and 30),
  version       bigint not null default 1,
  updated_by    bigint, -- no foreign key: a settings row outlives its editor (and TRUNCATE users … CASCADE leaves it)
  updated_at    timestamptz not null default now()
);
insert into handoff_sla (reason, working_days) values
  ('installment', 2), ('hardship', 2), ('reduction', 2), ('complaint', 1), ('other', 2);

-- Handoffs made before this migration: due by the end of their target's last working day, counting weekdays
-- outside 12/29–1/3 (national holidays are not known to SQL: new handoffs and SLA changes compute it exactly).
update handoffs h set due_at = (
  select (d.day + 1)::timestamp at time zone 'Asia/Tokyo'
  from (
    select g::date as day, row_number() over (order by g) as n
    from generate_series((h.created_at at time zone 'Asia/Tokyo')::date + 1, (h.created_at at time zone 'Asia/Tokyo')::date + 60, interval '1 day') g
    where extract(isodow from g) < 6 and to_char(g, 'MM-DD') not between '01-01' and '01-03' and to_char(g, 'MM-DD') < '12-29'
  ) d
  join handoff_sla s on s.reason = h.reason
  where d.n = s.working_days)
where due_at is null;

-- The instruction operators see when a handoff is returned to the center: a copy kept apart from handoffs, so that
-- an operator's read of a household (field group `instructions`, src/lib/domain/fields.ts) never selects the
-- staff-only handoffs table. Shown until an answered call is recorded on the household after it. Free text about a
-- resident: erased with the household's data.
create table handoff_instructions (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  handoff_id    bigint not null unique references handoffs on delete cascade,
  reason        text not null,
  instruction   text not null check (length(instruction) between 1 and 2000),
  returned_at   timestamptz not null default now(),
  returned_by   bigint references users on delete set null
);
create index handoff_instructions_household_idx on handoff_instructions (household_id, returned_at desc);
