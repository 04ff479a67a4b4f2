-- The operator's desk (issue #5): calling rules, callbacks, do-not-call instructions, operator states, and what
-- the queue remembers of why a household waits and why it comes next.

-- The calling rules in force: one row, a JSON document validated by src/lib/domain/calling-rules.ts
-- (windows per weekday within the hard limits 08:00–21:00, attempts per day and week, minimum gap, rotation …).
create table calling_rules (
  id          int primary key default 1 check (id = 1),
  rules       jsonb not null,
  version     bigint not null default 1,
  updated_by  bigint references users on delete set null,
  updated_at  timestamptz not null default now()
);

-- Callbacks (折り返し・再架電の予約): a time agreed with the household; for the operator who made it ("only me")
-- or for anyone. An open callback is offered first when due; one reserved for an operator who is not there
-- falls back to anyone after the grace period (call_queue.reserved_until). Never silently dropped: it stays
-- open until a call on the household closes it or someone cancels it.
create table callbacks (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  due_at        timestamptz not null,
  only_me       boolean not null default false,
  operator_id   bigint not null references users,          -- who scheduled it (and holds it when only_me)
  note          text check (length(note) <= 500),
  status        text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  call_id       bigint references calls on delete set null, -- the call that scheduled it
  done_call_id  bigint references calls on delete set null, -- the call that honoured it
  created_at    timestamptz not null default now(),
  closed_at     timestamptz,
  closed_by     bigint references users
);
create index callbacks_due_idx on callbacks (due_at) where status = 'open';
-- one open callback per household: a new one replaces the old (closed as cancelled in the same transaction)
create unique index callbacks_one_open_idx on callbacks (household_id) where status = 'open';

-- Do-not-call instructions (架電停止): with a reason and an optional end date; lifted explicitly.
create table do_not_call (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  reason        text not null check (length(reason) between 1 and 500),
  until         date,                                       -- null: until lifted
  call_id       bigint references calls on delete set null,
  created_by    bigint not null references users,
  created_at    timestamptz not null default now(),
  lifted_at     timestamptz,
  lifted_by     bigint references users
);
create unique index do_not_call_active_idx on do_not_call (household_id) where lifted_at is null;

-- What each operator is doing (available, on a household, wrap-up, break with a reason, offline), and every
-- change of it (the supervisor console's "time in state", the reports' operator hours by state).
create table operator_states (
  user_id       bigint primary key references users on delete cascade,
  state         text not null check (state in ('available', 'on_household', 'wrap_up', 'break', 'offline')),
  break_reason  text check (length(break_reason) <= 100),
  since         timestamptz not null default now(),
  version       bigint not null default 1
);
create table operator_state_changes (
  id            bigint generated always as identity primary key,
  user_id       bigint not null references users on delete cascade,
  state         text not null,
  break_reason  text,
  at            timestamptz not null default now()
);
create index operator_state_changes_user_idx on operator_state_changes (user_id, at);

-- The queue remembers why a household waits, who a callback is reserved for, how it was claimed, and the score's
-- reasons at its last placement ("why is this household next").
alter table call_queue
  add column wait_reason     text,             -- retry, gap, daily_limit, weekly_limit, slot, payment, promise, callback, shared_phone, do_not_call, window
  add column reserved_for    bigint references users on delete set null,
  add column reserved_until  timestamptz,      -- after this, a callback reserved for one operator goes to anyone
  add column callback_at     timestamptz,      -- an open callback's due time: offered before everything else
  add column shares_phone    boolean not null default false,
  add column claim_kind      text check (claim_kind in ('outbound', 'callback', 'inbound')),
  add column priority_detail jsonb;
-- due callbacks, read first by every claim (few rows)
create index call_queue_callback_idx on call_queue (callback_at) where state = 'ready' and callback_at is not null;

-- numbers collected by the center: who recorded them and when their status last changed
alter table phones
  add column added_by           bigint references users on delete set null,
  add column status_changed_at  timestamptz,
  add column status_changed_by  bigint references users on delete set null;

-- calls: an outcome that arrived after its claim had lapsed (sent from the browser's outbox), and the callback
-- a call honoured
alter table calls
  add column late         boolean not null default false,
  add column callback_id  bigint references callbacks on delete set null;
