-- A dry run that can be opened again (the import page after a reload, or later from the history): the record keeps
-- which held upload it read and with which encoding choice, so that its apply reads the very same files; and a
-- problem with a whole file (a required column missing, unreadable, …) is kept apart from invalid rows, with a code
-- the page words in the user's language.

alter table imports
  -- the upload (DATA_DIR/uploads/<user>-<token>) a web dry run read; null for the command line and the demo
  add column upload_token uuid,
  add column encoding text check (encoding in ('auto','cp932','utf8'));

-- null: an invalid row; else what is wrong with the whole file (src/lib/domain/import/problems.ts)
alter table import_rejections add column file_problem text check (file_problem ~ '^[a-z_]{2,40}$');

create index imports_upload_token_idx on imports (upload_token) where upload_token is not null;
