-- The call plan (納付案内計画, issue #8 part B): one plan per fiscal year (the season), and per week and segment the
-- targets (架電件数, 本人接触 households, 納付約束) and the planned staffing in operator-hours. Supervisors edit it;
-- every change names the plan version the editor started from (optimistic concurrency: a stale edit is refused).
-- Targets and staffing only: no resident's data here (configuration, kept at contract end like segments).
create table call_plans (
  id           bigint generated always as identity primary key,
  fiscal_year  int not null unique check (fiscal_year between 1990 and 2100),
  title        text not null check (length(btrim(title)) between 1 and 100),  -- not "name": no personal data here
  created_by   bigint references users on delete set null,
  updated_by   bigint references users on delete set null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  version      bigint not null default 1 check (version >= 1)
);

create table call_plan_weeks (
  id               bigint generated always as identity primary key,
  plan_id          bigint not null references call_plans on delete cascade,
  -- the Monday of the week (Asia/Tokyo calendar; ISO weeks Monday–Sunday)
  week_start       date not null check (extract(isodow from week_start) = 1),
  -- a segment with a plan cannot be deleted (pause it instead)
  segment_id       bigint not null references segments on delete restrict,
  target_attempts  int not null check (target_attempts between 0 and 1000000),   -- 架電件数
  target_contacts  int not null check (target_contacts between 0 and 1000000),   -- 本人接触 (households)
  target_promises  int not null check (target_promises between 0 and 1000000),   -- 納付約束 (calls)
  -- planned staffing: operator-hours in the week for this segment (additive across segments and weeks)
  staff_hours      int not null check (staff_hours between 0 and 100000),
  -- a contact or a promise takes at least one attempt
  check (target_contacts <= target_attempts and target_promises <= target_attempts),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  constraint call_plan_weeks_cell unique (plan_id, week_start, segment_id)
);
create index call_plan_weeks_segment_idx on call_plan_weeks (segment_id);
