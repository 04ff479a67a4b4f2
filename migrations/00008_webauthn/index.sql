-- Security keys (WebAuthn / FIDO2) as the second factor of sign-in (issue #4, item 1). See docs/operations.md,
-- "Security keys", and src/lib/server/webauthn/.

-- A user's registered keys. The credential id is what the browser names the key with (base64url, unique across
-- the system: one key belongs to one account); the public key is the COSE key the authenticator gave at
-- registration. The counter must grow with every use when the key keeps one (a counter that goes back means a
-- cloned key: refused). rp_id is the host the key was registered for: it signs only for that host, and it is
-- accepted only there.
create table webauthn_credentials (
  id              bigint generated always as identity primary key,
  user_id         bigint not null references users on delete cascade,
  credential_id   text not null unique check (credential_id ~ '^[A-Za-z0-9_-]+$' and length(credential_id) between 16 and 1366),
  public_key      bytea not null,
  counter         bigint not null default 0 check (counter >= 0),
  transports      text[] not null default '{}',
  name            text not null check (length(name) between 1 and 40),
  rp_id           text not null,
  aaguid          text,                        -- the authenticator's model (all zeros when it does not say)
  device_type     text check (device_type in ('singleDevice', 'multiDevice')),
  backed_up       boolean not null default false,
  created_at      timestamptz not null default now(),
  last_used_at    timestamptz
);
create index webauthn_credentials_user_idx on webauthn_credentials (user_id);

-- Challenges in flight, each used once: the row is deleted when a response is checked against it (whatever the
-- result), so a replayed response finds nothing. In PostgreSQL, not Redis or memory: every instance sees it, the
-- single use is one `delete … returning`, and the sweeper removes what expired unused.
--   login:    the second step of sign-in (the password was right). id = SHA-256 of a token that only the
--             browser's cookie holds (path /login); it is not a session and opens nothing by itself.
--   enrol:    the same, for a user who must have a key and has none but holds a registration allowance: the step
--             can only register a key (then a login step follows with that key).
--   register: a signed-in user adding a key on /account, bound to the session that asked.
create table webauthn_challenges (
  id           text primary key,
  user_id      bigint not null references users on delete cascade,
  purpose      text not null check (purpose in ('login', 'enrol', 'register')),
  challenge    text not null unique,
  session_id   text references sessions on delete cascade,
  rp_id        text not null,
  origin       text not null,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  check ((purpose = 'register') = (session_id is not null))
);
create index webauthn_challenges_expiry_idx on webauthn_challenges (expires_at);
create index webauthn_challenges_user_idx on webauthn_challenges (user_id);

-- Whether each role must sign in with a key (the administrator's setting, /admin/security-keys). Every role
-- requires a key, except in a database that holds the demo (npm start without DATABASE_URL): there none does, so
-- that the demo accounts work without a key. The demo loader sets the same when it loads into an empty database.
create table webauthn_role_requirements (
  role        text primary key check (role in ('operator', 'supervisor', 'staff', 'manager', 'admin', 'auditor')),
  required    boolean not null,
  updated_by  bigint,                          -- users.id; no foreign key: the setting outlives its author
  updated_at  timestamptz not null default now()
);
insert into webauthn_role_requirements (role, required)
select r, not exists (select 1 from imports where source = 'demo')
from unnest(array['operator', 'supervisor', 'staff', 'manager', 'admin', 'auditor']) as r;

-- Per user: follow the role's setting, or require / do not require a key whatever the role says.
alter table users add column key_requirement text not null default 'role'
  check (key_requirement in ('role', 'required', 'not_required'));

-- A registration allowance: a user who must have a key and has none may sign in with the password only to
-- register one, until WEBAUTHN_ENROL_HOURS after this time. Given to every new account (the administrator hands
-- over the initial password), to every account that exists when this migration runs, and again by an
-- administrator's recovery; used up (null) when the user registers a key.
alter table users add column key_enrolment_granted_at timestamptz default now();

comment on table webauthn_credentials is 'security keys (WebAuthn credentials) registered by users';
comment on table webauthn_challenges is 'WebAuthn challenges in flight, single use (deleted when checked)';
comment on table webauthn_role_requirements is 'whether each role must sign in with a security key';
comment on column users.key_requirement is 'role = follow webauthn_role_requirements; required / not_required override it';
comment on column users.key_enrolment_granted_at is 'registration allowance: may register a first key after a password-only sign-in until this + WEBAUTHN_ENROL_HOURS';
