-- Daily and monthly reports (issue #8).

-- Teams (班): a label an administrator sets on an operator, for the reports per team. Free text, not a table: the
-- center's teams are few and change with the season; a report groups operators by the label they have when it is made.
alter table users add column team text check (team is null or length(team) between 1 and 40);

-- Every report made: who, when, which period and format, its size and SHA-256. A download keeps no copy; the
-- scheduled monthly report keeps its bytes (content) for managers to download later. Aggregates only: a report
-- names operators and segments, never a household.
create table report_files (
  id            bigint generated always as identity primary key,
  kind          text not null check (kind in ('day', 'month')),
  period        date not null,                -- the day, or the first day of the month
  format        text not null check (format in ('pdf', 'csv', 'csv-utf8', 'xlsx')),
  source        text not null check (source in ('download', 'schedule')),
  requested_by  bigint references users on delete set null,
  created_at    timestamptz not null default now(),
  bytes         bigint not null check (bytes >= 0),
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content       bytea,
  check ((source = 'schedule') = (content is not null))
);
-- one scheduled file per month and format, across instances
create unique index report_files_scheduled_idx on report_files (kind, period, format) where source = 'schedule';
create index report_files_created_idx on report_files (created_at desc);

-- The monthly report's schedule: made on the first working day of the next month (src/lib/domain/collection-rate.ts
-- firstWorkingDayOf), in these formats.
create table report_schedule (
  id               boolean primary key default true check (id),
  monthly_enabled  boolean not null default true,
  formats          text[] not null default '{pdf,xlsx,csv}' check (formats <@ array['pdf', 'csv', 'csv-utf8', 'xlsx'] and cardinality(formats) > 0),
  version          bigint not null default 1,
  updated_by       bigint,            -- users.id; no foreign key (a truncate of users must not empty the setting, as letter_settings)
  updated_at       timestamptz not null default now()
);
insert into report_schedule default values;
