-- Training mode (issue #9): a supervisor (the trainer) starts a training run for some operators, who then work the
-- real desk against the synthetic data set of the schema `training` (src/lib/server/mode.ts). What is kept here, in
-- the real schema, is staff data: who trained when, which scenarios were played, and the scores. The households the
-- attempts name are the training set's (synthetic) ids; no resident's data is ever written here.
--
-- These migrations run in the schema `training` too (the same tables there): these three tables and the new
-- sessions column stay empty in it.

create table training_runs (
  id           bigint generated always as identity primary key,
  title        text not null check (length(title) between 1 and 100),
  -- the scenarios the trainer plays in this run (src/lib/domain/training-scenarios.ts codes), in order
  scenarios    text[] not null check (cardinality(scenarios) between 1 and 20),
  trainer_id   bigint references users on delete set null,
  started_at   timestamptz not null default now(),
  ended_at     timestamptz,
  ended_by     bigint references users on delete set null
);
create index training_runs_open_idx on training_runs (started_at) where ended_at is null;

create table training_run_trainees (
  run_id    bigint not null references training_runs on delete cascade,
  user_id   bigint not null references users on delete cascade,
  added_by  bigint references users on delete set null,
  added_at  timestamptz not null default now(),
  primary key (run_id, user_id)
);
create index training_run_trainees_user_idx on training_run_trainees (user_id);

-- the session that works the training data set (null: real data). Each session joins by itself (the trainee's
-- button), so an operator's other tab does not change data set under their feet.
alter table sessions add column training_run_id bigint references training_runs on delete set null;

-- one attempt = one household of the training set claimed by a trainee, played as one scenario
create table training_attempts (
  id             bigint generated always as identity primary key,
  run_id         bigint not null references training_runs on delete cascade,
  user_id        bigint not null references users on delete cascade,
  training_household_id  bigint not null,  -- a household of the schema `training` (synthetic; not a real household id)
  scenario_code  text not null check (scenario_code ~ '^[a-z_]{2,40}$'),
  claimed_at     timestamptz not null default now(),
  -- what the trainee recorded (outcome, party, promise, handoff, script language, note): null until they save
  recorded_at    timestamptz,
  attempt        jsonb,
  -- the trainer's marks while listening (named the center, disclosed to a third party …): null = not marked
  observations   jsonb not null default '{}'::jsonb,
  observed_by    bigint references users on delete set null,
  observed_at    timestamptz,
  score          int,
  max_score      int,
  percent        int check (percent between 0 and 100),
  passed         boolean,
  fatal          boolean,
  checks         jsonb
);
create index training_attempts_run_idx on training_attempts (run_id, user_id, claimed_at);
create unique index training_attempts_open_idx on training_attempts (run_id, user_id, training_household_id) where recorded_at is null;
