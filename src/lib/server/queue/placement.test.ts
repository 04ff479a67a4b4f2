import { describe, expect, it } from 'vitest';
import { placeFromFacts, slotStart, type CurrentRow } from './placement.ts';
import { fiscalYearOf } from './facts.queries.ts';
import { defaultCallingRules, tokyoAt } from '../../domain/calling-rules.ts';
import { householdFacts, type HouseholdFacts } from '../../domain/household-facts.ts';
import type { SegmentDef } from '../../domain/segments.ts';

const now = tokyoAt('2026-12-01', '10:00'); // a Tuesday
const facts = (over: Partial<HouseholdFacts> = {}): HouseholdFacts => householdFacts({ nationality: 'JP', district: '西新宿', owed: 50_000, owedCurrentYear: 50_000, unpaidPeriods: 2, currentYearUnpaidPeriods: [1, 2], oldestDueDate: '2026-06-30', phoneKinds: ['mobile'], ...over });
const segments = [
	{ id: 7, sortOrder: 1, filter: { minOwed: 100_000 } },
	{ id: 8, sortOrder: 2, filter: {} }
];
const base = { resolved: false, segments, rules: defaultCallingRules, now, current: null as CurrentRow | null, callback: null };

describe('placeFromFacts', () => {
	it('places a fresh household ready in the first matching segment, with the score’s reasons', () => {
		const p = placeFromFacts({ ...base, facts: facts() })!;
		expect(p).toMatchObject({ segmentId: 8, state: 'ready', nextEligibleAt: null, waitReason: null, closedReason: null });
		expect(p.priority).toBeGreaterThan(0);
		expect((p.priorityDetail as { code: string; points: number }[]).reduce((s, r) => s + r.points, 0)).toBe(p.priority);
	});

	it('a broken promise takes the household to the broken-promises segment, first in order, with its boost', () => {
		const withBroken: SegmentDef[] = [{ id: 5, sortOrder: 0, filter: { promiseStatuses: ['broken', 'partly_kept'] }, priorityBoost: 1000 }, ...segments];
		const plain = placeFromFacts({ ...base, facts: facts({ promiseStatus: 'kept' }) })!;
		const p = placeFromFacts({ ...base, segments: withBroken, facts: facts({ promiseStatus: 'broken', brokenPromises: 1 }) })!;
		expect(p).toMatchObject({ segmentId: 5, state: 'ready' });
		expect(p.priority).toBe(plain.priority + 100 + 1000);
		expect(p.priorityDetail).toContainEqual({ code: 'segment', points: 1000, detail: { boost: 1000 } });
		// partly kept is not kept either
		expect(placeFromFacts({ ...base, segments: withBroken, facts: facts({ promiseStatus: 'partly_kept', brokenPromises: 1 }) })!.segmentId).toBe(5);
	});

	it('returns null when no segment takes the household', () => {
		expect(placeFromFacts({ ...base, segments: [segments[0]], facts: facts() })).toBeNull();
	});

	it('closes resolved households, those owing nothing, and those without a callable number', () => {
		expect(placeFromFacts({ ...base, resolved: true, facts: facts() })).toMatchObject({ state: 'closed', closedReason: 'resolved' });
		expect(placeFromFacts({ ...base, facts: facts({ owed: 0 }) })).toMatchObject({ state: 'closed', closedReason: 'resolved' });
		expect(placeFromFacts({ ...base, facts: facts({ phoneKinds: [] }) })).toMatchObject({ state: 'closed', closedReason: 'no_phone' });
	});

	it('keeps a closure made by hand, but reopens one the facts explain once they change', () => {
		const manual: CurrentRow = { state: 'closed', nextEligibleAt: null, waitReason: null, closedReason: 'manual' };
		expect(placeFromFacts({ ...base, current: manual, facts: facts() })).toMatchObject({ state: 'closed', closedReason: 'manual' });
		const dnc: CurrentRow = { state: 'closed', nextEligibleAt: null, waitReason: null, closedReason: 'do_not_call' };
		expect(placeFromFacts({ ...base, current: dnc, facts: facts() })).toMatchObject({ state: 'ready' });
	});

	it('keeps the current retry wait unless the caller gives one (or null)', () => {
		const later = new Date(now.getTime() + 3 * 3600_000);
		const waiting: CurrentRow = { state: 'waiting', nextEligibleAt: later, waitReason: 'retry', closedReason: null };
		expect(placeFromFacts({ ...base, current: waiting, facts: facts() })).toMatchObject({ state: 'waiting', waitReason: 'retry', nextEligibleAt: later });
		expect(placeFromFacts({ ...base, current: waiting, retryAfter: null, facts: facts() })).toMatchObject({ state: 'ready' });
		const shared: CurrentRow = { state: 'waiting', nextEligibleAt: later, waitReason: 'shared_phone', closedReason: null };
		expect(placeFromFacts({ ...base, current: shared, facts: facts() })).toMatchObject({ state: 'waiting', waitReason: 'shared_phone' });
		// a wait the facts explain (e.g. a payment that has since been reversed) is not kept
		const gap: CurrentRow = { state: 'waiting', nextEligibleAt: later, waitReason: 'payment', closedReason: null };
		expect(placeFromFacts({ ...base, current: gap, facts: facts() })).toMatchObject({ state: 'ready' });
	});

	it('reserves a callback “only me” for its operator until due + grace, and one for anyone for nobody', () => {
		const dueAt = new Date(now.getTime() - 60_000);
		const mine = placeFromFacts({ ...base, facts: facts({ callbackDueAt: dueAt.toISOString() }), callback: { dueAt, onlyMe: true, operatorId: 5 } })!;
		expect(mine).toMatchObject({ state: 'ready', callbackAt: dueAt, reservedFor: 5 });
		expect(mine.reservedUntil!.getTime()).toBe(dueAt.getTime() + defaultCallingRules.callbackGraceMinutes * 60_000);
		const anyone = placeFromFacts({ ...base, facts: facts({ callbackDueAt: dueAt.toISOString() }), callback: { dueAt, onlyMe: false, operatorId: 5 } })!;
		expect(anyone).toMatchObject({ reservedFor: null, reservedUntil: null, callbackAt: dueAt });
	});

	it('scores for the slot in which the household becomes callable', () => {
		// three unanswered mornings: placed in the morning it waits for the afternoon, scored for the afternoon
		const h = facts({ attempts: 3, slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 0, answered: 0 } } });
		const p = placeFromFacts({ ...base, facts: h })!;
		expect(p).toMatchObject({ state: 'waiting', waitReason: 'slot' });
		const contact = (p.priorityDetail as { code: string; detail: { slot: string } }[]).find((r) => r.code === 'contact_probability')!;
		expect(contact.detail.slot).toBe('afternoon');
	});
});

describe('slotStart and fiscalYearOf', () => {
	it('gives the start of the Tokyo time slot', () => {
		expect(slotStart(tokyoAt('2026-12-01', '11:59')).toISOString()).toBe(tokyoAt('2026-12-01', '00:00').toISOString());
		expect(slotStart(tokyoAt('2026-12-01', '12:00')).toISOString()).toBe(tokyoAt('2026-12-01', '12:00').toISOString());
		expect(slotStart(tokyoAt('2026-12-01', '20:30')).toISOString()).toBe(tokyoAt('2026-12-01', '17:00').toISOString());
	});
	it('puts January–March in the previous fiscal year', () => {
		expect(fiscalYearOf('2026-03-31')).toBe(2025);
		expect(fiscalYearOf('2026-04-01')).toBe(2026);
	});
});
