-- Operator training (issue #9): the training plan (courses and their sessions, who attends) and the records of
-- attendance and completion. The personal-information protection course (kind 'privacy') gates real data: an
-- operator reads and works households only once a completion of it is recorded (src/lib/server/auth/actor.ts).

create table training_courses (
  id           bigint generated always as identity primary key,
  code         text not null unique check (code ~ '^[a-z0-9][a-z0-9_-]{1,39}$'),
  title_ja     text not null check (length(title_ja) between 1 and 100),
  title_en     text not null check (length(title_en) between 1 and 100),
  -- privacy: 個人情報保護研修 (required before real data); desk: the call screen and the queue; scripts: talk scripts
  -- and the rules operators follow; other
  kind         text not null check (kind in ('privacy', 'desk', 'scripts', 'other')),
  description  text not null default '' check (length(description) <= 2000),
  created_by   bigint references users on delete set null,
  created_at   timestamptz not null default now()
);

create table training_sessions (
  id                bigint generated always as identity primary key,
  course_id         bigint not null references training_courses,
  starts_at         timestamptz not null,
  duration_minutes  int not null check (duration_minutes between 5 and 600),
  place             text not null default '' check (length(place) <= 100),
  -- no free-text note: free text may carry a resident's words (a case discussed), and training records are staff
  -- data kept with the accounts at contract end (docs/operations.md), not erased with the residents'
  trainer           text not null default '' check (length(trainer) <= 100),
  created_by        bigint references users on delete set null,
  created_at        timestamptz not null default now()
);
create index training_sessions_starts_idx on training_sessions (starts_at);

-- one row per session and user: planned (invited), attended, completed (attended and passed), absent
create table training_attendance (
  session_id   bigint not null references training_sessions on delete cascade,
  user_id      bigint not null references users on delete cascade,
  status       text not null default 'planned' check (status in ('planned', 'attended', 'completed', 'absent')),
  recorded_by  bigint references users on delete set null,
  recorded_at  timestamptz,
  primary key (session_id, user_id)
);
create index training_attendance_user_idx on training_attendance (user_id) where status = 'completed';

insert into training_courses (code, title_ja, title_en, kind, description) values
  ('privacy', '個人情報保護研修', 'Personal information protection', 'privacy',
   '個人情報の取扱い、第三者への開示禁止、アクセスログ、持出し禁止。実データの閲覧・架電の前に修了が必要です。'),
  ('desk', '架電業務研修（画面操作・キュー）', 'The call screen and the queue', 'desk', ''),
  ('scripts', 'トークスクリプト・応対ルール研修', 'Talk scripts and the rules operators follow', 'scripts', '');
