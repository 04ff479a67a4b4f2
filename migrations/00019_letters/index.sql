-- Reminder letters (催告書, issue #7 part 3): templates, settings, batches, the households in each batch (with the
-- amounts as printed), and returned mail (宛所不明), which flags the household's address for staff.

-- The letter's text blocks, versioned: every save by an administrator is a new row; a batch names the version it used.
create table letter_templates (
  id            bigint generated always as identity primary key,
  version       int not null unique check (version > 0),
  letterhead    text not null check (length(letterhead) between 1 and 400),   -- the ward and the department, several lines
  title         text not null check (length(title) between 1 and 100),
  body          text not null check (length(body) between 1 and 2000),
  how_to_pay    text not null check (length(how_to_pay) between 1 and 1500),
  contact       text not null check (length(contact) between 1 and 400),      -- the ward's contact (department, address, phone)
  center_name   text not null check (length(center_name) between 1 and 100),
  center_phone  text not null check (length(center_phone) between 1 and 40),
  center_hours  text not null check (length(center_hours) between 1 and 100),
  created_by    bigint,                       -- users.id; no foreign key: configuration outlives accounts (and TRUNCATE users CASCADE)
  created_at    timestamptz not null default now()
);

insert into letter_templates (version, letterhead, title, body, how_to_pay, contact, center_name, center_phone, center_hours) values (1,
  E'〇〇区役所\n区民部 国保年金課 収納係',
  '国民健康保険料 納付のお願い（催告書）',
  E'日頃より区政にご理解とご協力をいただき、ありがとうございます。\nあなたの世帯の国民健康保険料について、下記のとおり納期限を過ぎても納付が確認できておりません。お手元の納付書により、至急納付してください。\n行き違いで納付済みの場合は、ご容赦ください。納付が難しい事情がある場合は、お早めにご相談ください。',
  E'同封の納付書により、金融機関・ゆうちょ銀行・コンビニエンスストア・区役所の窓口で納付できます。スマートフォン決済アプリ（納付書のバーコード）もご利用いただけます。口座振替のお申し込みは国保年金課までご連絡ください。',
  E'〇〇区役所 区民部 国保年金課 収納係\n〒000-0000 東京都〇〇区〇〇1-1-1　電話 03-0000-0000（代表）',
  '国保納付勧奨センター', '03-0000-0000', '平日 9:00〜20:00');

-- Who becomes a letter candidate (one row). Households without a callable number always are; households not reached
-- after `attempts_threshold` calls in at least `distinct_slots` time slots (morning / afternoon / evening) too.
create table letter_settings (
  id                    boolean primary key default true check (id),
  attempts_threshold    int not null default 6 check (attempts_threshold between 1 and 100),
  distinct_slots        int not null default 2 check (distinct_slots between 1 and 3),
  resend_interval_days  int not null default 90 check (resend_interval_days between 1 and 3650),
  pdf_keep_days         int not null default 7 check (pdf_keep_days between 1 and 90),
  version               bigint not null default 1,
  updated_by            bigint,            -- users.id; no foreign key (as letter_templates.created_by)
  updated_at            timestamptz not null default now()
);
insert into letter_settings (id) values (true);

-- A batch: one PDF (one A4 page per household) and a label CSV; generated → printed → sealed (封入封緘) → mailed.
create table letter_batches (
  id              bigint generated always as identity primary key,
  template_id     bigint not null references letter_templates,
  state           text not null default 'generating'
                  check (state in ('generating', 'generated', 'printed', 'sealed', 'mailed', 'failed')),
  households      int not null check (households >= 0),
  progress_done   int not null default 0 check (progress_done >= 0),
  progress_at     timestamptz not null default now(),
  gaiji_letters   int not null default 0,      -- letters with a 外字 printed as 〓 (to be written in by hand)
  issued_on       date not null,               -- the date printed on the letters (Tokyo)
  created_by      bigint references users on delete set null,
  created_at      timestamptz not null default now(),
  generated_at    timestamptz,
  printed_by      bigint references users on delete set null,
  printed_at      timestamptz,
  sealed_by       bigint references users on delete set null,
  sealed_at       timestamptz,
  mailed_by       bigint references users on delete set null,
  mailed_at       timestamptz,
  assigned_to     bigint references users on delete set null,   -- an operator who may print (download) it
  pdf_path        text,
  pdf_bytes       bigint,
  pdf_sha256      text,
  pdf_expires_at  timestamptz,
  pdf_deleted_at  timestamptz,
  error           text,
  version         bigint not null default 1
);
create index letter_batches_generating_idx on letter_batches (progress_at) where state = 'generating';
create index letter_batches_pdf_idx on letter_batches (pdf_expires_at) where pdf_path is not null and pdf_deleted_at is null;

-- The households of a batch, page by page, with what was printed (name, address, arrears: a snapshot).
create table letter_batch_items (
  batch_id          bigint not null references letter_batches on delete cascade,
  household_id      bigint not null references households on delete cascade,
  seq               int not null check (seq > 0),          -- the page
  reference_number  text not null unique,
  reason            text not null check (reason in ('no_phone', 'unreached')),
  snapshot          jsonb not null,
  primary key (batch_id, household_id),
  unique (batch_id, seq)
);
create index letter_batch_items_household_idx on letter_batch_items (household_id);

-- Returned mail (宛所不明 and the like), per household: an open row flags the address for staff until they resolve it.
create table letter_returns (
  id                bigint generated always as identity primary key,
  household_id      bigint not null references households on delete cascade,
  batch_id          bigint references letter_batches on delete set null,
  reference_number  text,
  reason            text not null default 'unknown_address' check (reason in ('unknown_address', 'moved', 'refused', 'other')),
  returned_on       date not null,
  note              text check (length(note) <= 500),
  recorded_by       bigint references users on delete set null,
  recorded_at       timestamptz not null default now(),
  resolved_by       bigint references users on delete set null,
  resolved_at       timestamptz
);
create index letter_returns_open_idx on letter_returns (household_id) where resolved_at is null;
