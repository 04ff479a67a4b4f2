-- The access log's guards fire in every session, including one with session_replication_role = replica.
-- Plain (ENABLE) triggers do not fire in replica mode, and the import sets that mode for its bulk INSERTs (see
-- docs/operations.md: a role granted SET on session_replication_role). Without ALWAYS, that grant would let the
-- application's role rewrite the log and its chain head unnoticed. Only ALTER TABLE … DISABLE TRIGGER (the table
-- owner or a superuser) goes around them now, and `audit verify` catches what is done that way.
alter table access_log enable always trigger access_log_append_only;
alter table access_log enable always trigger access_log_insert_unsealed;
alter table access_log enable always trigger access_log_no_truncate;
alter table access_log_chain enable always trigger access_log_chain_forward_only;
alter table access_log_chain enable always trigger access_log_chain_no_truncate;
