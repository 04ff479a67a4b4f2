-- A returned handoff may say "call again, but not before this day" (再架電は次の日以降): ward staff return a
-- handoff to the call center meaning "call after the resident's payday" or "after the consultation". The day is
-- kept with the operators' copy of the instruction (handoff_instructions: what operators and supervisors read, and
-- what the queue's facts read, never the staff-only handoffs table). null: no such day. The queue does not offer
-- the household before 00:00 Tokyo of that day (src/lib/domain/calling-rules.ts notBeforeSuppression); the
-- calling window then applies as usual. The return checks it (today or later, at most 90 days ahead:
-- src/lib/domain/handoffs.ts recallNotBeforeProblem).
alter table handoff_instructions add column not_before date;
