-- The access log becomes append-only and hash-chained (issue #4, item 5). See docs/operations.md, "Access log".
--
-- Writers do not change: they insert rows with chain_seq and hash null, without any lock beyond the insert's
-- own. A sealer (src/lib/server/audit/chain.ts, run by the sweeper and by `npm run kansho -- audit verify`; one at
-- a time through an advisory lock) takes committed unsealed rows in id order and gives each the next chain_seq and
--   hash = sha256(previous hash ‖ canonical form of the row)   (canonical form: src/lib/server/audit/chain-hash.ts)
-- The chain's head (last chain_seq and hash) is kept in access_log_chain, so that rows deleted from the end of
-- the chain are noticed too: the sealer continues from the head, never from whatever row is last.

-- Users are disabled, never deleted; but a deleted user must not be able to touch the log (`on delete set null`
-- would rewrite user_id in sealed rows and break the chain). The log keeps the id; no foreign key, like
-- household_id.
alter table access_log drop constraint if exists access_log_user_id_fkey;

alter table access_log
  add column chain_seq bigint,
  add column hash      bytea,
  add constraint access_log_sealed_whole check ((chain_seq is null) = (hash is null)),
  add constraint access_log_hash_length check (hash is null or octet_length(hash) = 32),
  add constraint access_log_chain_seq_positive check (chain_seq is null or chain_seq > 0);

-- partial: an insert (unsealed) adds nothing to it; sealing changes indexed columns anyway (no HOT update)
create unique index access_log_chain_seq_idx on access_log (chain_seq) where chain_seq is not null;
-- what the sealer reads: small, because rows leave it within one sweep of being written
create index access_log_unsealed_idx on access_log (id) where chain_seq is null;

-- The auditor's page pages by id (keyset, newest first) within a user's or a household's rows: index them by id.
drop index access_log_user_idx;
drop index access_log_household_idx;
create index access_log_user_idx on access_log (user_id, id);
create index access_log_household_idx on access_log (household_id, id);

create table access_log_chain (
  only_row   boolean primary key default true check (only_row),
  last_seq   bigint not null default 0,
  last_hash  bytea not null default decode(repeat('00', 32), 'hex') check (octet_length(last_hash) = 32),
  sealed_at  timestamptz
);
insert into access_log_chain default values;

-- Append-only. A row may change exactly once, from unsealed to sealed, and then only in its chain columns.
-- Everything else (UPDATE, DELETE, TRUNCATE) is refused, for every role: disabling the trigger needs the
-- table's owner, which the application should not be in production (docs/operations.md).
create function access_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if old.chain_seq is null and old.hash is null and new.chain_seq is not null and new.hash is not null
       and (to_jsonb(new) - 'chain_seq' - 'hash') = (to_jsonb(old) - 'chain_seq' - 'hash') then
      return new;
    end if;
    raise exception 'access_log is append-only: UPDATE refused (only sealing an unsealed row may set chain_seq and hash)'
      using errcode = 'insufficient_privilege';
  elsif tg_op = 'INSERT' then
    raise exception 'access_log: rows are written unsealed (chain_seq and hash are set by the sealer)'
      using errcode = 'insufficient_privilege';
  end if;
  raise exception 'access_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;

create trigger access_log_append_only before update or delete on access_log
  for each row execute function access_log_append_only();
-- inserts pay for the check only when they try to set the chain columns (the claim path writes a row per claim)
create trigger access_log_insert_unsealed before insert on access_log
  for each row when (new.chain_seq is not null or new.hash is not null) execute function access_log_append_only();
create trigger access_log_no_truncate before truncate on access_log
  for each statement execute function access_log_append_only();

-- The head only moves forward, and only together with the sealing of the rows it points at.
create function access_log_chain_forward_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' then
    if new.last_seq > old.last_seq and new.only_row then
      return new;
    end if;
  end if;
  raise exception 'access_log_chain only moves forward: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;

create trigger access_log_chain_forward_only before insert or update or delete on access_log_chain
  for each row execute function access_log_chain_forward_only();
create trigger access_log_chain_no_truncate before truncate on access_log_chain
  for each statement execute function access_log_chain_forward_only();
