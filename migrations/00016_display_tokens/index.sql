-- Display tokens (issue #6): a wall PC opens the wall display with a token a supervisor issued, instead of a
-- person's login. The token is shown once when it is issued; only its SHA-256 is kept, so a leaked table cannot be
-- replayed. A token grants the wall view and nothing else (hooks.server.ts, server/realtime.ts); revoking it closes
-- the walls open with it at once (display:revoked through NOTIFY). Rotation settings travel with the token so the
-- wall PC's URL needs no parameters.
create table display_tokens (
  id              bigint generated always as identity primary key,
  label           text not null check (char_length(label) between 1 and 100),
  token_sha256    text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
  -- the panels the wall rotates through, in order (one panel: no rotation)
  panels          text[] not null default '{summary}'
                  check (cardinality(panels) between 1 and 3 and panels <@ array['summary', 'segments', 'operators']),
  rotate_seconds  int not null default 20 check (rotate_seconds between 5 and 600),
  created_by      bigint references users on delete set null,
  created_at      timestamptz not null default now(),
  revoked_at      timestamptz,
  revoked_by      bigint references users on delete set null,
  last_used_at    timestamptz,
  check (revoked_by is null or revoked_at is not null)
);
create index display_tokens_created_idx on display_tokens (created_at desc);
