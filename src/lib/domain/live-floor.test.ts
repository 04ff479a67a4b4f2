import { describe, expect, it } from 'vitest';
import { elapsed, longInState, patchForEvent, wallFromFloor, type FloorSnapshot } from './live-floor.ts';
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
