-- Security settings (issue #4, item 6): which roles may export personal data. See docs/operations.md, "Web security"
-- and "Imports and exports".
--
-- One row per role an administrator allows to export (架電結果.csv, from the web or the command line, which acts as
-- an administrator). Operators never export: the check refuses them here too, whatever the application does.
-- Default: administrators only, as before this setting existed. Who changed it and when is in the access log
-- (admin.change); the columns below say only who granted each row.
create table export_roles (
  role        text primary key check (role in ('supervisor', 'staff', 'manager', 'admin', 'auditor')),
  granted_by  bigint,                          -- users.id; no foreign key: the setting outlives its granter
  granted_at  timestamptz not null default now()
);
insert into export_roles (role) values ('admin');

comment on table export_roles is 'roles an administrator allows to export personal data (issue #4 item 6); operators never';
