-- Promise tracking (納付約束) and reconciliation (issue #7 part 2). The rules are src/lib/domain/promises.ts
-- (docs/queue.md "Promises"): every promise is pending, kept, partly kept, broken or cancelled; the money that
-- counted towards it (paid_amount) and which payments it came from (promise_payments) are written by the
-- reconciliation, which runs at the end of every import that brought receipts, once a day, and on demand.

-- 1. states: open → pending, plus partly_kept
alter table promises drop constraint if exists promises_status_check;
update promises set status = 'pending' where status = 'open';
alter table promises alter column status set default 'pending';
alter table promises add constraint promises_status_check check (status in ('pending', 'kept', 'partly_kept', 'broken', 'cancelled'));
alter table promises add column paid_amount bigint not null default 0 check (paid_amount >= 0);
-- the last time a reconciliation looked at the promise (whether or not it changed); settled_at (00003) is when
-- it last left 'pending' (kept, partly kept or broken), null while pending
alter table promises add column reconciled_at timestamptz;
drop index if exists promises_due_idx;
create index promises_pending_idx on promises (household_id) where status = 'pending';
create index promises_due_date_idx on promises (due_date);
create index promises_settled_idx on promises (settled_at) where settled_at is not null;

-- 2. which payments counted towards which promise, and how much of each (a payment is used once in all)
create table promise_payments (
  promise_id    bigint not null references promises on delete cascade,
  payment_id    bigint not null references payments on delete cascade,
  household_id  bigint not null references households on delete cascade,
  amount        bigint not null check (amount > 0),
  primary key (promise_id, payment_id)
);
create index promise_payments_payment_idx on promise_payments (payment_id);
create index promise_payments_household_idx on promise_payments (household_id);
-- an import's reconciliation looks at the households its own payments belong to
create index payments_import_idx on payments (import_id) where import_id is not null;

-- 3. every reconciliation run: what started it and what it found (counts only, no personal data). At most one
-- daily run per Tokyo day, whichever instance gets there first.
create table promise_reconciliations (
  id           bigint generated always as identity primary key,
  source       text not null check (source in ('import', 'daily', 'manual')),
  run_on       date not null,                        -- the Tokyo day it judged by ("today", or the import's 基準日)
  started_by   bigint references users on delete set null,
  import_id    bigint references imports on delete set null,
  started_at   timestamptz not null default now(),
  counts       jsonb not null default '{}'
);
create unique index promise_reconciliations_daily_idx on promise_reconciliations (run_on) where source = 'daily';
create index promise_reconciliations_started_idx on promise_reconciliations (started_at desc);

-- 4. statistics kept at erasure: partly kept promises and the money counted
alter table stats_promises add column partly_kept bigint not null default 0;
alter table stats_promises add column amount_paid bigint not null default 0;
comment on column stats_promises.open is 'pending promises (called open before 00018)';

-- 5. segments: a priority boost added to every score in the segment (claims take the highest priority first,
-- across an operator's segments), and the built-in segment of broken promises (約束不履行)
alter table segments add column priority_boost int not null default 0 check (priority_boost between 0 and 10000);
update segments set filter = jsonb_set(filter, '{promiseStatuses}',
    (select jsonb_agg(case when v = '"open"'::jsonb then '"pending"'::jsonb else v end) from jsonb_array_elements(filter -> 'promiseStatuses') v))
  where filter ? 'promiseStatuses';
insert into segments (code, name_ja, name_en, description, filter, sort_order, priority_boost)
select 'broken-promises', '約束不履行', 'Broken promises',
  '最新の納付約束が不履行または一部履行の世帯（優先度を上げて架電）',
  '{"promiseStatuses": ["broken", "partly_kept"]}'::jsonb,
  least(coalesce((select min(sort_order) from segments), 10) - 5, 5), 1000
on conflict (code) do nothing;
-- operators who work any segment also work the new one (a supervisor can take it away on /supervisor/segments)
insert into operator_segments (user_id, segment_id)
select distinct os.user_id, s.id from operator_segments os cross join segments s where s.code = 'broken-promises'
on conflict do nothing;
