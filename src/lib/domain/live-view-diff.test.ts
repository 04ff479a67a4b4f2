import { describe, expect, it } from 'vitest';
import { applyPatch, diffView, parseTxSnapshot, visibleInSnapshot } from './live-view.ts';

const clone = <T>(v: T): T => structuredClone(v);

describe('diffView', () => {
	const prev = {
		generatedAt: 'a',
		operators: [
			{ id: 1, state: 'available', callsToday: 2, segments: ['A'] },
			{ id: 2, state: 'break', callsToday: 0, segments: ['A', 'B'] }
		],
		today: { attempts: 5, contactRate: 0.4 },
		segments: [{ id: 9, ready: 10, notCallable: [{ reason: 'x', count: 1 }] }],
		thresholds: { longCallMinutes: 10 },
		note: null as string | null
	};

	it('is empty for equal views', () => {
		expect(diffView(prev, clone(prev))).toEqual([]);
	});

	it('sets only what changed, by key and index, and the patch turns the old view into the new one', () => {
		const next = clone(prev);
		next.generatedAt = 'b';
		next.operators[1].callsToday = 1;
		next.operators[1].state = 'available';
		next.today.contactRate = 0.5;
		next.note = 'n';
		const patch = diffView(prev, next);
		expect(patch).toEqual([
			{ path: ['generatedAt'], value: 'b' },
			{ path: ['operators', 1, 'state'], value: 'available' },
			{ path: ['operators', 1, 'callsToday'], value: 1 },
			{ path: ['today', 'contactRate'], value: 0.5 },
			{ path: ['note'], value: 'n' }
		]);
		const held = clone(prev);
		applyPatch(held, patch);
		expect(held).toEqual(next);
	});

	it('sets an array whose length changed, an object whose keys changed, and a value that changed type, whole', () => {
		const next = clone(prev) as Record<string, unknown> & typeof prev;
		next.operators.push({ id: 3, state: 'offline', callsToday: 0, segments: [] });
		next.segments[0].notCallable = [];
		(next as Record<string, unknown>).thresholds = { longCallMinutes: 10, longBreakMinutes: 20 };
		(next as Record<string, unknown>).today = null;
		const patch = diffView(prev, next);
		expect(patch).toEqual([
			{ path: ['operators'], value: next.operators },
			{ path: ['today'], value: null },
			{ path: ['segments', 0, 'notCallable'], value: [] },
			{ path: ['thresholds'], value: { longCallMinutes: 10, longBreakMinutes: 20 } }
		]);
		const held = clone(prev);
		applyPatch(held, JSON.parse(JSON.stringify(patch)));
		expect(held).toEqual(next);
	});

	it('does not modify either view', () => {
		const a = clone(prev);
		const b = clone(prev);
		b.operators[0].segments = ['A', 'C'];
		const before = [JSON.stringify(a), JSON.stringify(b)];
		diffView(a, b);
		expect([JSON.stringify(a), JSON.stringify(b)]).toEqual(before);
	});

	it('survives a JSON round trip (what a viewer receives applies to its copy)', () => {
		const next = clone(prev);
		next.segments[0].notCallable[0].count = 4;
		next.operators[0].segments[0] = 'Z';
		const held = JSON.parse(JSON.stringify(prev));
		applyPatch(held, JSON.parse(JSON.stringify(diffView(prev, next))));
		expect(held).toEqual(next);
	});
});

describe('transaction snapshot visibility', () => {
	it('parses pg_current_snapshot()::text', () => {
		expect(parseTxSnapshot('100:105:100,102')).toEqual({ xmin: 100n, xmax: 105n, xip: new Set([100n, 102n]) });
		expect(parseTxSnapshot('7:7:')).toEqual({ xmin: 7n, xmax: 7n, xip: new Set() });
		expect(parseTxSnapshot('nonsense')).toBeNull();
	});

	it('sees a committed transaction before xmin, or before xmax and not in progress; not one at or after xmax or in progress', () => {
		const snap = parseTxSnapshot('100:105:100,102')!;
		expect(visibleInSnapshot('99', snap)).toBe(true);
		expect(visibleInSnapshot('101', snap)).toBe(true);
		expect(visibleInSnapshot('103', snap)).toBe(true);
		expect(visibleInSnapshot('100', snap)).toBe(false);
		expect(visibleInSnapshot('102', snap)).toBe(false);
		expect(visibleInSnapshot('105', snap)).toBe(false);
		expect(visibleInSnapshot('4000000000', snap)).toBe(false);
	});

	it('compares 64-bit ids exactly (past 2^53)', () => {
		const snap = parseTxSnapshot('9007199254740993:9007199254740995:')!;
		expect(visibleInSnapshot('9007199254740992', snap)).toBe(true);
		expect(visibleInSnapshot('9007199254740994', snap)).toBe(true);
		expect(visibleInSnapshot('9007199254740995', snap)).toBe(false);
	});

	it('treats a missing or malformed xid as not visible', () => {
		const snap = parseTxSnapshot('100:105:')!;
		expect(visibleInSnapshot(undefined, snap)).toBe(false);
		expect(visibleInSnapshot('', snap)).toBe(false);
		expect(visibleInSnapshot('12a', snap)).toBe(false);
	});
});
