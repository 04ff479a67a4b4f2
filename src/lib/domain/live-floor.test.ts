import { describe, expect, it } from 'vitest';
import { callMarks, elapsed, longInState, noteCall, notCallableReason, patchForEvent, wallFromFloor, type FloorSnapshot } from './live-floor.ts';
import { applyPatch } from './live-view.ts';
import { rates } from './kpi.ts';
import { emptyFloorCharts } from './floor-charts.ts';
import { emptyFloorControls } from './floor-controls.ts';
import { summarize } from './handoffs.ts';

const zero = { attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0 };

function floor(): FloorSnapshot {
	return {
		generatedAt: '2026-05-11T01:00:00.000Z',
		operators: [
			{ id: 7, displayName: '佐藤', state: 'available', since: '2026-05-11T00:50:00.000Z', breakReason: null, householdId: null, segmentCode: null, callsToday: 3, contactsToday: 1, segments: ['a'] }
		],
		segments: [
			{ id: 2, code: 'a', nameJa: 'A', nameEn: 'A', active: true, ready: 10, claimed: 1, waiting: 4, closed: 2, callable: 10, windowWaiting: 1, suppressed: 5, doneToday: 3, notCallable: [] }
		],
		hourly: [{ hour: 10, ...zero, ...rates(zero) }],
		today: { ...zero, ...rates(zero) },
		thresholds: { longCallMinutes: 15, longBreakMinutes: 20 },
		charts: emptyFloorCharts('2026-05-11'),
		controls: emptyFloorControls('2026-05-11'),
		handoffs: summarize([], new Date('2026-05-11T01:00:00.000Z'))
	};
}

describe('patchForEvent', () => {
	it('an operator on a break: state, since and reason; the wall gets no household id', () => {
		const f = floor();
		const ev = { type: 'operator:state', data: { operatorId: 7, state: 'break', householdId: null, at: '2026-05-11T01:02:00.000Z', since: '2026-05-11T01:02:00.000Z', breakReason: 'lunch' } } as const;
		const r = patchForEvent(f, ev, 'floor');
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.operators[0]).toMatchObject({ state: 'break', since: '2026-05-11T01:02:00.000Z', breakReason: 'lunch' });

		const w = wallFromFloor(floor());
		const held = { type: 'operator:state', data: { operatorId: 7, state: 'on_household', householdId: 99, at: 'x', since: 'x' } } as const;
		const rw = patchForEvent(w, held, 'wall');
		expect(JSON.stringify(rw.patch)).not.toContain('householdId');
		expect(rw.dirty).toBe(true); // the held household's segment comes with the recompute
		applyPatch(w, rw.patch);
		expect(w.operators[0].state).toBe('on_household');
		expect('householdId' in w.operators[0]).toBe(false);
	});

	it('a queue move shifts the counts and what is callable at once', () => {
		const f = floor();
		const r = patchForEvent(f, { type: 'queue:changed', data: { householdId: 1, segmentId: 2, from: 'ready', to: 'claimed', version: 3 } }, 'floor');
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ ready: 9, claimed: 2, callable: 9 });
		expect(r.dirty).toBe(false);
		const back = patchForEvent(f, { type: 'queue:changed', data: { householdId: 1, segmentId: 2, from: 'claimed', to: 'waiting', version: 4 } }, 'floor');
		expect(back.dirty).toBe(true); // why it waits: from the recompute
	});

	it('a call adds to the operator, the hour and the day with their rates, and asks for a recompute (distinct households)', () => {
		const f = floor();
		const ev = { type: 'call:recorded', data: { callId: 1, householdId: 5, segmentId: 2, operatorId: 7, outcomeCode: '20', answered: true, rightParty: true, promise: false, at: '2026-05-11T01:00:00.000Z', hour: 10 } } as const;
		const r = patchForEvent(f, ev, 'floor');
		applyPatch(f, r.patch);
		expect(r.dirty).toBe(true);
		expect(f.operators[0]).toMatchObject({ callsToday: 4, contactsToday: 2 });
		expect(f.hourly[0]).toMatchObject({ attempts: 1, answeredAttempts: 1, answerRate: 1 });
		expect(f.today).toMatchObject({ attempts: 1, answeredAttempts: 1 });
	});

	it('a supervisor control or an unknown operator only marks the view dirty; other events do nothing', () => {
		const f = floor();
		expect(patchForEvent(f, { type: 'floor:changed', data: { what: 'assignment', by: 1, at: 'x' } }, 'floor')).toEqual({ patch: [], dirty: true });
		// a staff handoff changed: the floor view's handoff counts are recomputed
		expect(
			patchForEvent(f, { type: 'handoff:changed', data: { handoffId: 3, status: 'in_progress', reason: 'complaint', assignedTo: 9, version: 2, by: 9, what: 'take', at: 'x' } }, 'floor')
		).toEqual({ patch: [], dirty: true });
		expect(patchForEvent(f, { type: 'operator:state', data: { operatorId: 999, state: 'available', householdId: null, at: 'x' } }, 'floor').dirty).toBe(true);
		expect(patchForEvent(f, { type: 'claim:lost', data: { householdId: 1, operatorId: 7, reason: 'lapsed' } }, 'floor')).toEqual({ patch: [], dirty: false });
	});
});

describe('exact patches: reasons, segments and the households called today', () => {
	const callAt = (householdId: number, extra: Partial<{ answered: boolean; rightParty: boolean; promise: boolean; segmentId: number | null; hour: number }> = {}) =>
		({
			type: 'call:recorded',
			data: { callId: 1, householdId, segmentId: 2, operatorId: 7, outcomeCode: '10', answered: false, rightParty: false, promise: false, at: '2026-05-11T01:00:00.000Z', hour: 10, ...extra }
		}) as const;
	const marksOf = () => callMarks('2026-05-11', [{ householdId: 5, hour: 10, segmentId: 2, answered: true, rightParty: false }]);
	const mark = (m: ReturnType<typeof marksOf>, e: ReturnType<typeof callAt>) => noteCall(m, { ...e.data }, '2026-05-11');

	it('notCallableReason keys a row as the live query groups it', () => {
		expect(notCallableReason({ state: 'waiting', waitReason: 'promise', closedReason: null })).toBe('promise');
		expect(notCallableReason({ state: 'waiting', waitReason: null, closedReason: null })).toBe('retry');
		expect(notCallableReason({ state: 'closed', waitReason: null, closedReason: 'no_phone' })).toBe('closed:no_phone');
		expect(notCallableReason({ state: 'closed', waitReason: null, closedReason: null })).toBe('closed:manual');
		expect(notCallableReason({ state: 'closed', waitReason: null, closedReason: 'resolved' })).toBeNull(); // done, not "not callable"
		expect(notCallableReason({ state: 'ready', waitReason: null, closedReason: null })).toBeNull();
		expect(notCallableReason({ state: 'claimed', waitReason: 'window', closedReason: null })).toBeNull();
	});

	it('noteCall tells the first call of a household today, per hour, per segment; another day gives null', () => {
		const m = marksOf();
		// household 5 was attempted and contacted at 10, not reached in person
		expect(mark(m, callAt(5, { answered: true, rightParty: true }))).toEqual({ attempted: false, contacted: false, rightParty: true, hourAttempted: false, hourContacted: false, hourRightParty: true, segment: false });
		expect(mark(m, callAt(5, { hour: 11, segmentId: 3 }))).toEqual({ attempted: false, contacted: false, rightParty: false, hourAttempted: true, hourContacted: false, hourRightParty: false, segment: true });
		expect(mark(m, callAt(6))).toMatchObject({ attempted: true, contacted: false, hourAttempted: true, segment: true });
		expect(mark(m, callAt(6))).toMatchObject({ attempted: false, hourAttempted: false, segment: false });
		expect(noteCall(m, { ...callAt(7).data }, '2026-05-12')).toBeNull();
		expect(mark(m, callAt(7, { segmentId: null }))?.segment).toBe(false);
	});

	it('a call with the marks patches the distinct households, their rates and the segment done today, with no recompute', () => {
		const f = floor();
		f.today = { ...f.today, attempts: 1, answeredAttempts: 1, householdsAttempted: 1, householdsContacted: 1, ...rates({ ...zero, attempts: 1, answeredAttempts: 1, householdsAttempted: 1, householdsContacted: 1 }) };
		const m = marksOf();
		const ev = callAt(8, { answered: true, rightParty: true, promise: true });
		const r = patchForEvent(f, ev, 'floor', mark(m, ev));
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.today).toMatchObject({ attempts: 2, householdsAttempted: 2, householdsContacted: 2, rightPartyContacts: 1, promises: 1, contactRate: 1, rightPartyRate: 0.5, promiseRate: 1 });
		expect(f.hourly[0]).toMatchObject({ attempts: 1, householdsAttempted: 1, householdsContacted: 1, rightPartyContacts: 1 });
		expect(f.segments[0].doneToday).toBe(4);
		// the same household again: counts calls, not households
		const again = callAt(8);
		const r2 = patchForEvent(f, again, 'floor', mark(m, again));
		applyPatch(f, r2.patch);
		expect(f.today).toMatchObject({ attempts: 3, householdsAttempted: 2, contactRate: 1 });
		expect(f.segments[0].doneToday).toBe(4);
		// a segment the view does not show, an hour it has no row for: recomputed
		expect(patchForEvent(f, callAt(9, { segmentId: 99 }), 'floor', mark(m, callAt(9, { segmentId: 99 }))).dirty).toBe(true);
		// a call in an hour the view has no row for: the row is added in order
		const late = callAt(10, { hour: 23, segmentId: null });
		const r3 = patchForEvent(f, late, 'floor', mark(m, late));
		expect(r3.dirty).toBe(false);
		applyPatch(f, r3.patch);
		expect(f.hourly.map((x) => x.hour)).toEqual([10, 23]);
		expect(f.hourly[1]).toMatchObject({ attempts: 1, householdsAttempted: 1, answerRate: 0 });
	});

	it('a queue move with its reasons shifts the not-callable breakdown exactly, largest first', () => {
		const f = floor();
		f.segments[0].notCallable = [
			{ reason: 'retry', count: 3 },
			{ reason: 'window', count: 1 },
			{ reason: 'closed:no_phone', count: 2 }
		];
		f.segments[0] = { ...f.segments[0], waiting: 4, closed: 2, windowWaiting: 1, suppressed: 5 };
		const move = (from: string, to: string, fromReason: string | null, toReason: string | null) =>
			patchForEvent(f, { type: 'queue:changed', data: { householdId: 1, segmentId: 2, from: from as 'ready', to: to as 'ready', version: 9, fromReason, toReason } }, 'floor');
		// an outcome: claimed → waiting for a promise (a new reason)
		let r = move('claimed', 'waiting', null, 'promise');
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ claimed: 0, waiting: 5, suppressed: 6, windowWaiting: 1 });
		expect(f.segments[0].notCallable).toEqual([
			{ reason: 'retry', count: 3 },
			{ reason: 'closed:no_phone', count: 2 },
			{ reason: 'promise', count: 1 },
			{ reason: 'window', count: 1 }
		]);
		// within waiting: a retry becomes a wait for the calling window
		r = move('waiting', 'waiting', 'retry', 'window');
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ waiting: 5, suppressed: 5, windowWaiting: 2 });
		expect(f.segments[0].notCallable.map((x) => `${x.reason}=${x.count}`)).toEqual(['closed:no_phone=2', 'retry=2', 'window=2', 'promise=1']);
		// the promise wait ends: waiting → ready, the reason leaves the list
		r = move('waiting', 'ready', 'promise', null);
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ waiting: 4, ready: 11, callable: 11, suppressed: 4 });
		expect(f.segments[0].notCallable.some((x) => x.reason === 'promise')).toBe(false);
		// a case done (closed as resolved) is not counted as not callable
		r = move('waiting', 'closed', 'retry', null);
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ closed: 3, suppressed: 3 });
		// the view does not count the row where the event says it was: recomputed, not guessed
		expect(move('waiting', 'ready', 'shared_phone', null).dirty).toBe(true);
		// an older publisher (no reasons): recomputed
		expect(patchForEvent(f, { type: 'queue:changed', data: { householdId: 1, segmentId: 2, from: 'claimed', to: 'waiting', version: 10 } }, 'floor').dirty).toBe(true);
		// a paused segment (its ready rows count as 'paused'): recomputed
		f.segments[0].active = false;
		expect(move('claimed', 'waiting', null, 'retry').dirty).toBe(true);
	});

	it('a household placed into another segment leaves the one it was in (fromSegmentId)', () => {
		const f = floor();
		f.segments.push({ id: 3, code: 'b', nameJa: 'B', nameEn: 'B', active: true, ready: 0, claimed: 0, waiting: 0, closed: 0, callable: 0, windowWaiting: 0, suppressed: 0, doneToday: 0, notCallable: [] });
		f.segments[0].notCallable = [{ reason: 'retry', count: 4 }];
		f.segments[0].suppressed = 4;
		const r = patchForEvent(f, { type: 'queue:changed', data: { householdId: 1, segmentId: 3, fromSegmentId: 2, from: 'waiting', to: 'waiting', version: 5, fromReason: 'retry', toReason: 'promise' } }, 'floor');
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.segments[0]).toMatchObject({ waiting: 3, suppressed: 3, notCallable: [{ reason: 'retry', count: 3 }] });
		expect(f.segments[1]).toMatchObject({ waiting: 1, suppressed: 1, notCallable: [{ reason: 'promise', count: 1 }] });
		// ready in one, ready in the other: what is callable moves with it
		applyPatch(f, patchForEvent(f, { type: 'queue:changed', data: { householdId: 2, segmentId: 3, fromSegmentId: 2, from: 'ready', to: 'ready', version: 2, fromReason: null, toReason: null } }, 'floor').patch);
		expect(f.segments[0]).toMatchObject({ ready: 9, callable: 9 });
		expect(f.segments[1]).toMatchObject({ ready: 1, callable: 1 });
		// a segment the view does not know: recomputed
		expect(patchForEvent(f, { type: 'queue:changed', data: { householdId: 2, segmentId: 3, fromSegmentId: 77, from: 'ready', to: 'ready', version: 3, fromReason: null, toReason: null } }, 'floor').dirty).toBe(true);
	});

	it('a claim names its segment: the operator shows it at once', () => {
		const f = floor();
		const ev = { type: 'operator:state', data: { operatorId: 7, state: 'on_household', householdId: 99, at: 'x', since: 'x', segmentId: 2 } } as const;
		const r = patchForEvent(f, ev, 'floor');
		expect(r.dirty).toBe(false);
		applyPatch(f, r.patch);
		expect(f.operators[0]).toMatchObject({ state: 'on_household', householdId: 99, segmentCode: 'a' });
		// a segment the view does not know yet: recomputed
		expect(patchForEvent(f, { ...ev, data: { ...ev.data, segmentId: 42 } }, 'floor').dirty).toBe(true);
		// back to available: no segment
		const back = patchForEvent(f, { type: 'operator:state', data: { operatorId: 7, state: 'wrap_up', householdId: null, at: 'y', since: 'y', segmentId: null } }, 'floor');
		applyPatch(f, back.patch);
		expect(f.operators[0].segmentCode).toBeNull();
		expect(back.dirty).toBe(false);
	});
});

describe('time in state', () => {
	const now = new Date('2026-05-11T01:30:00Z');
	it('is long past the thresholds, for calls and breaks only', () => {
		const t = { longCallMinutes: 15, longBreakMinutes: 20 };
		expect(longInState({ state: 'on_household', since: '2026-05-11T01:10:00Z' }, t, now)).toBe('long_call');
		expect(longInState({ state: 'on_household', since: '2026-05-11T01:20:00Z' }, t, now)).toBeNull();
		expect(longInState({ state: 'break', since: '2026-05-11T01:05:00Z' }, t, now)).toBe('long_break');
		expect(longInState({ state: 'available', since: '2026-05-11T00:00:00Z' }, t, now)).toBeNull();
		expect(longInState({ state: 'break', since: null }, t, now)).toBeNull();
	});
	it('reads as m:ss or h:mm:ss', () => {
		expect(elapsed('2026-05-11T01:28:05Z', now)).toBe('1:55');
		expect(elapsed('2026-05-10T23:29:59Z', now)).toBe('2:00:01');
		expect(elapsed(null, now)).toBe('—');
	});
});
