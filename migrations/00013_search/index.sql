-- Household search for inbound calls (受電, issue #5): by phone (exact, or its last digits), name or kana (partial),
-- NHI number and resident number (exact: both are unique indexes already).
--
-- Why not pg_trgm: the extension is there in both PostgreSQLs kansho runs on (Debian's 15 and the embedded 18),
-- but a trigram is made of "word characters", and under the C locale (the embedded database is initialised with
-- --locale=C) only ASCII letters and digits are: show_trgm('ヤマダタロウ') is empty there, so a trigram index
-- finds no Japanese text and a LIKE '%ヤマダ%' reads the whole index. Instead the search keys are cut into
-- two-character pieces by a plain SQL function (what the pg_bigm extension does, which neither database has),
-- indexed with GIN: locale-independent, and two characters also cover the many two-character names (山田, 佐藤),
-- which a trigram cannot. The pieces narrow the rows; a LIKE on the key itself rechecks the order of the pieces.

-- The distinct two-character pieces of a text (code points): search_bigrams('ヤマダ') = {ヤマ,マダ}.
-- Immutable so it may define an index; strict: null → null (no entry).
create function search_bigrams(s text) returns text[]
language sql immutable strict parallel safe
as $$ select coalesce(array_agg(distinct substr(s, i, 2)), '{}') from generate_series(1, length(s) - 1) as i $$;

-- partial name / kana (contains), two characters or more
create index persons_kana_bigrams_idx on persons using gin (search_bigrams(kana_search));
create index persons_name_bigrams_idx on persons using gin (search_bigrams(name_search));
-- prefix (a surname first, and one-character queries): kana has its text_pattern_ops index since 00001
create index persons_name_search_idx on persons (name_search text_pattern_ops);
-- the last digits of a phone number: a prefix range on the reversed digits
create index phones_digits_reverse_idx on phones (reverse(digits) text_pattern_ops) where digits is not null;
