-- Security-key registration allowances are given on purpose, never by default (security review of issue #4).
-- With 00008's `default now()`, every account (existing ones included) could register a first key with the
-- password alone for WEBAUTHN_ENROL_HOURS: whoever holds a leaked password registers their key first. See
-- docs/operations.md, "Security keys".
--
-- From now on an allowance is given explicitly: when an administrator creates an account (the admin page or the
-- command line's create-user, which is how a fresh installation gets its first administrator), by an
-- administrator's "allow registering a key" or recovery, or by the command line's allow-key-enrolment.

alter table users alter column key_enrolment_granted_at drop default;

-- Take back the allowances the default gave, keep those an administrator gave:
--   * accounts that existed when 00008 ran got 00008's transaction time (= migrations.created_at of 00008, the
--     same transaction's now());
--   * accounts created since got their creation time (created_at and the default are the same statement's now()).
-- An administrator's grant (recovery, "allow") is at any other time and stays. On a fresh installation there
-- are no users yet and nothing changes; the demo's accounts need no key (the demo requires none).
update users u
set key_enrolment_granted_at = null
where u.key_enrolment_granted_at is not null
  and (u.key_enrolment_granted_at = u.created_at
       or u.key_enrolment_granted_at = (select m.created_at from migrations m where m.migration_id = 8));

comment on column users.key_enrolment_granted_at is 'registration allowance, given explicitly (account creation by an administrator, recovery, allow): may register a first key after a password-only sign-in until this + WEBAUTHN_ENROL_HOURS';
