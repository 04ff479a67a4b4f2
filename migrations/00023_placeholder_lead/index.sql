-- Placeholder on branch h-plan only: 00023 is the lead's migration on main; postgres-shift needs consecutive numbers
-- to run 00024_call_plan. Drop this folder (and this commit) when merging.
select 1;
