-- kansho initial schema.
-- Conventions: identifiers from the ward are text (leading zeros matter); money is integer yen (bigint);
-- calendar dates are date, instants timestamptz. Tables are plural snake_case.

-- ─── people who use kansho ──────────────────────────────────────────────────
create table users (
  id            bigint generated always as identity primary key,
  login_id      text not null unique check (login_id ~ '^[A-Za-z0-9._-]{2,64}$'),
  display_name  text not null,
  role          text not null check (role in ('operator','supervisor','staff','manager','admin','auditor')),
  password_hash text not null,
  locale        text not null default 'ja' check (locale in ('ja','en')),
  disabled_at   timestamptz,
  created_at    timestamptz not null default now()
);

create table sessions (
  id           text primary key,               -- sha256(token) in hex; the token itself is only in the cookie
  user_id      bigint not null references users on delete cascade,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip           text,
  user_agent   text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expiry_idx on sessions (expires_at);

-- ─── the ward's data (import-format.md, 付属資料1) ───────────────────────────
-- 国保世帯情報: the household, identified by its NHI symbol number (国保記号番号).
create table households (
  id                    bigint generated always as identity primary key,
  nhi_number            text not null unique,
  head_resident_number  text,
  postal_code           text,
  address               text,
  address_extra         text,                   -- 方書 (building, room)
  district              text,                   -- 町名, derived from the address, for segments and reports
  phone_raw             text,
  language              text not null default 'ja', -- talk-script language (ja, en, vi, ne, zh, ko …)
  status                text not null default 'active' check (status in ('active','resolved')),
  resolved_at           timestamptz,
  synthetic             boolean not null default false, -- true for generated demo data
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);

-- the per-assessment-year part of 世帯.csv
create table household_years (
  household_id     bigint not null references households on delete cascade,
  fiscal_year      int not null check (fiscal_year between 1990 and 2100),
  reassessed_on    date,                      -- 賦課更正年月日
  reduction_class  text,                      -- 賦課軽減区分
  card_class       text,                      -- 保険証交付区分
  card_issued_on   date,
  card_expires_on  date,
  insured_count    int check (insured_count >= 0),
  total_income     bigint,
  primary key (household_id, fiscal_year)
);

-- 国保個人基本情報
create table persons (
  id                     bigint generated always as identity primary key,
  resident_number        text not null unique,   -- 住民番号
  household_id           bigint references households on delete cascade,
  fiscal_year            int,
  name                   text not null,          -- as the ward wrote it (may hold 外字 as private-use code points)
  name_kana              text,
  name_search            text,                   -- NFKC, no spaces: for search
  kana_search            text,                   -- NFKC katakana, no spaces
  has_gaiji              boolean not null default false,
  postal_code            text,
  address                text,
  phone_raw              text,
  sex                    text,
  relationship           text,                   -- 続柄 (世帯主, 妻, 子 …)
  birth_date             date,
  resident_since         date,
  resident_since_reason  text,
  resident_until         date,
  resident_until_reason  text,
  death_date             date,
  nationality            text                    -- ISO 3166 alpha-2 where known; JP for Japanese
);
create index persons_household_idx on persons (household_id);
create index persons_kana_search_idx on persons (kana_search text_pattern_ops);

-- phone numbers, from the ward's data and collected by the center (a new item the vendor collects)
create table phones (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  person_id     bigint references persons on delete set null,
  raw           text not null,                 -- as written in the source
  digits        text,                          -- normalized digits, null when not a number at all
  extension     text,
  kind          text not null check (kind in ('mobile','landline','ip','freedial','other')),
  valid         boolean not null,
  status        text not null default 'active' check (status in ('active','wrong_number','not_in_service')),
  source        text not null default 'import' check (source in ('import','self_report','employer','research')),
  created_at    timestamptz not null default now(),
  unique (household_id, raw)
);
create index phones_digits_idx on phones (digits);

-- 収納情報: one row per household, assessment year and instalment period (期別)
create table receipts (
  household_id            bigint not null references households on delete cascade,
  fiscal_year             int not null,
  equivalent_year         int,                 -- 賦課相当年度
  period                  int not null check (period between 1 and 14),
  assessed                bigint not null check (assessed >= 0),   -- 調定額
  assessed_care           bigint,
  assessed_elderly        bigint,
  due_date                date,
  received_total          bigint not null default 0 check (received_total >= 0), -- 収納額累計
  received_care           bigint,
  received_elderly        bigint,
  paid_on                 date,
  received_on             date,
  receiving_institution   text,
  last_paid_on            date,
  last_received_on        date,
  primary key (household_id, fiscal_year, period)
);

-- 口座振替納付情報
create table bank_transfers (
  household_id    bigint primary key references households on delete cascade,
  enabled         boolean not null,
  starts_on       date,
  ends_on         date,
  bank_code       text,
  branch_code     text,
  account_holder  text
);

-- 納付管理人・相続人情報
create table payment_managers (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  kind          text,
  name          text,
  address       text
);
create index payment_managers_household_idx on payment_managers (household_id);

-- 勤務先情報
create table employers (
  id             bigint generated always as identity primary key,
  person_id      bigint not null references persons on delete cascade,
  name           text,
  address        text,
  phone_raw      text,
  business_type  text
);
create index employers_person_idx on employers (person_id);

-- 国保料情報
create table premiums (
  household_id             bigint not null references households on delete cascade,
  fiscal_year              int not null,
  premium_type             text not null default '医療',
  income_base              bigint,
  income_levy              bigint,
  per_capita               bigint,
  per_capita_reduction     bigint,
  over_cap                 bigint,
  exemption                bigint,
  annual_premium           bigint,
  previous_annual_premium  bigint,
  primary key (household_id, fiscal_year, premium_type)
);

-- 国保資格情報
create table eligibility (
  person_id          bigint not null references persons on delete cascade,
  kind               text not null check (kind in ('国保','退職','介護')),
  acquired_on        date,
  acquired_filed_on  date,
  acquired_reason    text,
  lost_on            date,
  lost_filed_on      date,
  lost_reason        text,
  primary key (person_id, kind)
);

-- 経過記録内容
create table case_history (
  id            bigint generated always as identity primary key,
  household_id  bigint references households on delete cascade,
  person_id     bigint references persons on delete set null,
  recorded_at   timestamptz,
  kind          text,
  place         text,
  counterpart   text,
  content       text
);
create index case_history_household_idx on case_history (household_id, recorded_at desc);

-- ─── the call center's own data ─────────────────────────────────────────────
create table segments (
  id          bigint generated always as identity primary key,
  code        text not null unique check (code ~ '^[a-z0-9-]{1,40}$'),
  name_ja     text not null,
  name_en     text not null,
  description text,
  filter      jsonb not null default '{}',
  sort_order  int not null default 0,
  active      boolean not null default true,
  version     bigint not null default 1,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

create table operator_segments (
  user_id      bigint not null references users on delete cascade,
  segment_id   bigint not null references segments on delete cascade,
  assigned_at  timestamptz not null default now(),
  assigned_by  bigint references users,
  primary key (user_id, segment_id)
);

-- Outcome codes (応答区分); the administrator may change labels and add codes later.
create table outcome_codes (
  code         text primary key check (code ~ '^[0-9]{2}$'),
  label_ja     text not null,
  label_en     text not null,
  kind         text not null check (kind in ('retry','contact','invalid_phone','promise','paid_claim','refusal','handoff','stop')),
  answered     boolean not null,   -- a person answered (応答率, 接触率)
  right_party  boolean not null,   -- the payer was reached (本人接触)
  retry_after  interval,           -- when the household may be called again; null = not automatically
  sort_order   int not null,
  active       boolean not null default true
);

insert into outcome_codes (code, label_ja, label_en, kind, answered, right_party, retry_after, sort_order) values
  ('10', '不在',             'No answer',            'retry',         false, false, interval '4 hours',  10),
  ('11', '留守番電話',       'Answering machine',    'retry',         false, false, interval '4 hours',  11),
  ('12', '話中',             'Busy',                 'retry',         false, false, interval '30 minutes', 12),
  ('20', '本人応答',         'Payer reached',        'contact',       true,  true,  interval '7 days',   20),
  ('21', '家族等応答',       'Someone else answered','contact',       true,  false, interval '1 day',    21),
  ('30', '番号誤り',         'Wrong number',         'invalid_phone', true,  false, interval '1 hour',   30),
  ('31', '現在使われていない','Not in service',       'invalid_phone', false, false, interval '1 hour',   31),
  ('40', '納付約束',         'Promise to pay',       'promise',       true,  true,  null,                40),
  ('41', '納付済み申告',     'Says already paid',    'paid_claim',    true,  true,  interval '14 days',  41),
  ('42', '拒否',             'Refuses',              'refusal',       true,  true,  interval '14 days',  42),
  ('50', '職員引継ぎ',       'Handoff to ward staff','handoff',       true,  true,  null,                50),
  ('60', '架電停止',         'Do not call',          'stop',          true,  false, null,                60);

-- The call queue: one row per household that the center works. Materialized so that a claim is an
-- index scan: only 'ready' rows are in the claim index; rows not yet due wait in 'waiting' and are
-- promoted when due; 'claimed' rows carry a lease that lapses by itself.
create table call_queue (
  household_id      bigint primary key references households on delete cascade,
  segment_id        bigint not null references segments,
  priority          bigint not null default 0,
  state             text not null check (state in ('ready','waiting','claimed','closed')),
  next_eligible_at  timestamptz,
  claimed_by        bigint references users,
  claimed_at        timestamptz,
  claim_expires_at  timestamptz,
  attempts          int not null default 0,
  last_attempt_at   timestamptz,
  closed_reason     text,
  version           bigint not null default 1,
  updated_at        timestamptz not null default now(),
  check ((state = 'claimed') = (claimed_by is not null and claim_expires_at is not null))
);
create index call_queue_claim_idx on call_queue (segment_id, priority desc, household_id) where state = 'ready';
create index call_queue_due_idx on call_queue (next_eligible_at) where state = 'waiting';
create index call_queue_lease_idx on call_queue (claim_expires_at) where state = 'claimed';
-- an operator holds at most one household at a time
create unique index call_queue_one_claim_idx on call_queue (claimed_by) where state = 'claimed';

create table calls (
  id               bigint generated always as identity primary key,
  household_id     bigint not null references households on delete cascade,
  segment_id       bigint references segments,
  operator_id      bigint not null references users,
  phone_id         bigint references phones on delete set null,
  dialed_number    text,
  direction        text not null default 'outbound' check (direction in ('outbound','inbound')),
  party            text not null check (party in ('self','family','other','none')),
  outcome_code     text not null references outcome_codes,
  note             text check (length(note) <= 4000),
  started_at       timestamptz not null,
  ended_at         timestamptz,
  recorded_at      timestamptz not null default now(),
  idempotency_key  text unique
);
create index calls_recorded_idx on calls (recorded_at);
create index calls_household_idx on calls (household_id, recorded_at desc);
create index calls_operator_idx on calls (operator_id, recorded_at desc);

create table promises (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  call_id       bigint references calls on delete set null,
  amount        bigint not null check (amount > 0),
  due_date      date not null,
  status        text not null default 'open' check (status in ('open','kept','broken','cancelled')),
  created_by    bigint not null references users,
  created_at    timestamptz not null default now()
);
create index promises_household_idx on promises (household_id);
create index promises_due_idx on promises (due_date) where status = 'open';

create table handoffs (
  id            bigint generated always as identity primary key,
  household_id  bigint not null references households on delete cascade,
  call_id       bigint references calls on delete set null,
  reason        text not null check (reason in ('installment','hardship','reduction','complaint','other')),
  note          text,
  status        text not null default 'open' check (status in ('open','accepted','closed')),
  created_by    bigint not null references users,
  created_at    timestamptz not null default now(),
  assigned_to   bigint references users,
  closed_at     timestamptz
);
create index handoffs_open_idx on handoffs (created_at) where status <> 'closed';

-- Whether a user's live connection is up. Lives in PostgreSQL so that every instance sees the same
-- answer; a connection that stops sending heartbeats is counted offline after a timeout.
create table user_presence (
  user_id       bigint primary key references users on delete cascade,
  connected     boolean not null default false,
  last_seen_at  timestamptz not null default now()
);

-- Every read of a household's data and every export is written here (contract clause: access logs).
create table access_log (
  id            bigint generated always as identity primary key,
  at            timestamptz not null default now(),
  user_id       bigint references users on delete set null,
  role          text,
  action        text not null,          -- household.view, household.claim, call.record, export …
  household_id  bigint,                 -- no FK: the log outlives the data it describes
  fields        text[],                 -- the fields that were disclosed
  reason        text,                   -- outbound, inbound, handoff …
  ip            text,
  request_id    text
);
create index access_log_at_idx on access_log (at desc);
create index access_log_household_idx on access_log (household_id, at desc);
create index access_log_user_idx on access_log (user_id, at desc);
