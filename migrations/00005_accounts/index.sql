-- Accounts: sign-in lockout counters without Redis, absolute + idle session lifetimes, password changes.

-- Lockout and rate-limit counters when REDIS_URL is unset (one instance, embedded mode), and the fallback while
-- Redis cannot be reached. In PostgreSQL rather than in memory: it is shared by every instance on this database,
-- survives restarts, and keeps module-level state out of the server (house rule). Rows past expires_at are dead;
-- the sweeper deletes them.
create table login_throttle (
  key         text primary key,            -- 'id:<login id>', 'ip:<address>' (failures), 'rate:<address>' (attempts)
  count       integer not null,            -- consecutive failures, or attempts in the current minute
  last_at     timestamptz not null default now(),  -- the last failure (or the window's start, for 'rate:')
  expires_at  timestamptz not null
);
create index login_throttle_expiry_idx on login_throttle (expires_at);

-- sessions.expires_at is now absolute (sign-in + SESSION_TTL_HOURS, never extended); a session is also dead once
-- last_seen_at is older than SESSION_IDLE_MINUTES. The sweeper deletes both kinds.
create index sessions_last_seen_idx on sessions (last_seen_at);

alter table users add column password_changed_at timestamptz;
comment on column users.password_changed_at is 'last time the password was set (by the user, or reset by an administrator)';
