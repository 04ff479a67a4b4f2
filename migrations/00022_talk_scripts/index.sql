-- Talk scripts managed by supervisors (issue #9): every save is a new version of one situation in one language,
-- with a change note and its author; the current version is the latest. Without a saved version the desk reads the
-- built-in text (src/lib/domain/talk-scripts.ts). Templates, not residents' data: no personal data here.
create table talk_script_versions (
  id           bigint generated always as identity primary key,
  situation    text not null check (situation in ('first', 'broken_promise', 'callback', 'third_party', 'voicemail', 'inbound')),
  language     text not null check (language in ('ja', 'en', 'vi', 'zh', 'ko', 'ne')),
  paragraphs   text[] not null check (cardinality(paragraphs) between 1 and 20),
  change_note  text not null check (length(change_note) between 1 and 500),
  author_id    bigint references users on delete set null,
  created_at   timestamptz not null default now()
);
create index talk_script_versions_cell_idx on talk_script_versions (situation, language, id desc);
