-- Erasure at contract end and retention of closed cases (issue #4, item 7). See docs/operations.md,
-- "Contract end and retention".
--
-- Before personal data is erased, what the reports need is added up into the stats_* tables below. They hold
-- sums and counts only: no household id, no NHI number, name, resident number, phone, address or free text. Keys
-- are calendar periods (Asia/Tokyo), segments, operators (staff accounts, not residents), outcome codes, fiscal
-- years. Reports read live rows plus these (src/lib/server/reports/): erasures remove disjoint sets of
-- households, so counts of distinct households add up exactly within each stored grain.
--
-- Key columns: segment_id 0 = calls or households without a segment; NULL = all segments (a total row).
-- hour NULL = the whole day; operator_id NULL = all operators. Unique "nulls not distinct", so a total row is one row.
-- No foreign keys: statistics outlive segments and users the way the access log does.

-- Calls (架電): per Tokyo day (with per-hour, per-segment, per-operator and segment × operator rows) and per month.
-- Distinct-household counts are exact only at the grain they were stored at (a day, or a month).
create table stats_calls (
  grain                 text not null check (grain in ('day', 'month')),
  period                date not null,             -- the day, or the first day of the month
  hour                  smallint check (hour between 0 and 23),
  segment_id            bigint,
  operator_id           bigint,
  attempts              bigint not null default 0, -- 架電件数
  answered_attempts     bigint not null default 0, -- attempts answered by a person
  households_attempted  bigint not null default 0, -- 架電世帯数 (distinct within the row's grain)
  households_contacted  bigint not null default 0, -- households with ≥1 answered attempt
  right_party_contacts  bigint not null default 0, -- 本人接触 (households)
  promises              bigint not null default 0, -- calls with a promise outcome
  promised_amount       bigint not null default 0, -- 約束金額 (yen)
  inbound               bigint not null default 0, -- inbound calls
  handoffs              bigint not null default 0, -- calls handed off to ward staff
  check (grain = 'day' or hour is null),
  constraint stats_calls_key unique nulls not distinct (grain, period, hour, segment_id, operator_id)
);

-- Attempts per outcome code (応答区分) and direction, per day, segment and operator: additive, so only this grain.
create table stats_call_outcomes (
  day           date not null,
  segment_id    bigint not null,
  operator_id   bigint not null,
  outcome_code  text not null,
  direction     text not null,
  attempts      bigint not null default 0,
  constraint stats_call_outcomes_key unique (day, segment_id, operator_id, outcome_code, direction)
);

-- Handoffs to ward staff by reason and the state they were in, per day they were made.
create table stats_handoffs (
  day         date not null,
  reason      text not null,
  status      text not null,
  handoffs    bigint not null default 0,
  constraint stats_handoffs_key unique (day, reason, status)
);

-- Promises by the day (and month) they fall due, with the state they had when erased (約束履行率's denominator
-- is promises falling due in the period).
create table stats_promises (
  grain        text not null check (grain in ('day', 'month')),
  period       date not null,
  segment_id   bigint,
  due          bigint not null default 0,
  kept         bigint not null default 0,
  broken       bigint not null default 0,
  cancelled    bigint not null default 0,
  open         bigint not null default 0,
  amount_due   bigint not null default 0,
  amount_kept  bigint not null default 0,
  constraint stats_promises_key unique nulls not distinct (grain, period, segment_id)
);

-- Money received (payments seen by imports) per day (and month) paid; "after contact" = paid on or after the
-- household's first right-party contact (本人接触).
create table stats_payments (
  grain                            text not null check (grain in ('day', 'month')),
  period                           date not null,
  segment_id                       bigint,
  payments                         bigint not null default 0,
  households_paying                bigint not null default 0,
  amount                           bigint not null default 0,
  households_paying_after_contact  bigint not null default 0,
  amount_after_contact             bigint not null default 0,
  constraint stats_payments_key unique nulls not distinct (grain, period, segment_id)
);

-- The households in scope as they stood when erased (対象世帯, 電話番号判明, 滞納).
create table stats_households (
  segment_id        bigint,
  households        bigint not null default 0,
  with_valid_phone  bigint not null default 0,
  resolved          bigint not null default 0,
  in_arrears        bigint not null default 0,
  arrears_amount    bigint not null default 0,
  constraint stats_households_key unique nulls not distinct (segment_id)
);

-- Assessed and received per fiscal year (収納率 = 収納額 ÷ 調定額) as they stood when erased.
create table stats_receipts (
  fiscal_year           int not null,
  segment_id            bigint,
  households            bigint not null default 0,
  assessed              bigint not null default 0,
  received              bigint not null default 0,
  arrears_amount        bigint not null default 0,
  households_in_arrears bigint not null default 0,
  constraint stats_receipts_key unique nulls not distinct (fiscal_year, segment_id)
);

-- Every erasure: the contract-end erasure (with its certificate as JSON and PDF) and each retention run.
create table erasures (
  id                  bigint generated always as identity primary key,
  kind                text not null check (kind in ('contract_end', 'retention')),
  started_at          timestamptz not null,
  finished_at         timestamptz,                 -- the transaction's end (data erased)
  certified_at        timestamptz,                 -- the certificate was made (after the chain was sealed)
  actor_id            bigint,                      -- no foreign key (users are never deleted anyway)
  actor_login         text not null,               -- login id, or cli:<os user>, or system:retention
  counts              jsonb not null default '{}', -- table → rows erased
  files               jsonb not null default '{}', -- stored import files deleted: { found, deleted, bytes, errors }
  access_log_id       bigint,                      -- the access_log row that records this erasure
  chain_seq           bigint,                      -- the chain's head the certificate quotes
  chain_hash          text,
  certificate_json    text,                        -- the exact bytes whose SHA-256 is certificate_sha256
  certificate_sha256  text,
  certificate_pdf     bytea,
  pdf_sha256          text
);
create index erasures_started_idx on erasures (started_at desc);

-- Erasing a batch of households (retention) deletes through the foreign keys' cascades; each "on delete set null"
-- looks its referencing rows up by the referencing column, which had no index (a scan of calls or promises per
-- deleted row).
create index promises_call_idx on promises (call_id) where call_id is not null;
create index handoffs_call_idx on handoffs (call_id) where call_id is not null;
create index handoffs_household_idx on handoffs (household_id);
create index calls_phone_idx on calls (phone_id) where phone_id is not null;
create index phones_person_idx on phones (person_id) where person_id is not null;
create index case_history_person_idx on case_history (person_id) where person_id is not null;
