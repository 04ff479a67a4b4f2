-- Imports from the ward's delinquency system and exports of call results (issue #3).

-- Every import, applied or not: who, when, which files (name, size, SHA-256), counts, result.
create table imports (
  id             bigint generated always as identity primary key,
  started_by     bigint references users on delete set null,
  source         text not null,                       -- web, cli:<os user>, demo
  mode           text not null check (mode in ('dry_run','apply','apply_quarantine')),
  kind           text check (kind in ('full','delta')),
  as_of          date not null,                       -- 基準日: "in arrears" means due before this date
  status         text not null default 'running' check (status in ('running','dry_run','applied','rejected','failed')),
  started_at     timestamptz not null default now(),
  finished_at    timestamptz,
  files          jsonb not null default '[]',         -- [{ name, size, sha256, encoding, rows }]
  counts         jsonb not null default '{}',
  rejected_count int not null default 0,
  error          text
);
create index imports_started_idx on imports (started_at desc);

-- Rows an import refused, with file, physical line, column and reason. With quarantine they stay here until
-- fixed or dismissed; never silently dropped.
create table import_rejections (
  id           bigint generated always as identity primary key,
  import_id    bigint not null references imports on delete cascade,
  file         text not null,
  line         int not null,
  column_name  text,
  reason       text not null,
  raw          jsonb,                                 -- the row as read (header → value)
  status       text not null default 'reported' check (status in ('reported','quarantined','dismissed','fixed')),
  resolved_by  bigint references users on delete set null,
  resolved_at  timestamptz
);
create index import_rejections_import_idx on import_rejections (import_id, file, line);
create index import_rejections_open_idx on import_rejections (status) where status = 'quarantined';

-- Money received, as seen by imports: when a period's cumulative 収納額累計 grows, the growth is a payment.
-- Promises are reconciled against these, and a recent payment suppresses calls.
create table payments (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  fiscal_year   int not null,
  period        int not null,
  amount        bigint not null,
  paid_on       date,
  import_id     bigint references imports on delete set null,
  recorded_at   timestamptz not null default now()
);
create index payments_household_idx on payments (household_id, paid_on);

alter table households add column last_import_id bigint references imports on delete set null;
alter table households add column resolved_reason text;
alter table promises add column settled_at timestamptz;

-- Every export of call results.
create table exports (
  id          bigint generated always as identity primary key,
  started_by  bigint references users on delete set null,
  source      text not null,
  kind        text not null default 'call_results',
  date_from   date not null,
  date_to     date not null,
  encoding    text not null,
  rows        int not null,
  bytes       bigint not null,
  sha256      text not null,
  file_name   text not null,
  created_at  timestamptz not null default now()
);
