-- Inbound-call notes leave the access log (docs/operations.md, "Access log" and "Contract end and retention").
--
-- An inbound lookup needs a note saying who called and what about: personal data (a caller's name). Written into
-- access_log.reason it could never be erased, because the log is append-only and hash-chained. So the note lives
-- here, beside its log row, and is erased like any other personal data (contract end; retention with its
-- household); the chained row keeps only a commitment, `inbound (note sha256:<hex>)`, the SHA-256 of the note's
-- UTF-8 text, so the chain still proves what the note said while the text itself can go.
--
-- No append-only triggers: this table is meant to be emptied. household_id is copied from the log row (no foreign
-- key: a refused lookup may name a household that does not exist, and the note must not stop a household's
-- deletion); having the column makes the erasure's coverage check (uncoveredTables) require this table.
create table access_log_notes (
  access_log_id  bigint primary key references access_log (id),
  household_id   bigint,
  note           text not null
);
-- retention erases a household's notes with it
create index access_log_notes_household_idx on access_log_notes (household_id);
