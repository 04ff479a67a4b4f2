-- Best time to call feeds the queue (issue #8): the answer rate of this fiscal year's outbound attempts per time slot
-- and language group, rebuilt by the sweeper a few times a day (src/lib/server/reports/best-time.ts
-- refreshSlotAnswerRates). The priority's contact probability and the slot rotation start from it for a household
-- with little history of its own (src/lib/domain/best-time.ts slotPriors). Aggregates only.
create table slot_answer_rates (
  language_group  text not null check (language_group in ('ja', 'other')),
  slot            text not null check (slot in ('morning', 'afternoon', 'evening')),
  attempts        bigint not null check (attempts >= 0),
  answered        bigint not null check (answered >= 0 and answered <= attempts),
  since           date not null,
  refreshed_at    timestamptz not null default now(),
  primary key (language_group, slot)
);
