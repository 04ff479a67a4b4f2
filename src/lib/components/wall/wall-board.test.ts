import { describe, expect, it } from 'vitest';
import { figureEms, freshness, operatorsByState, operatorsForWall, queueTotals } from './wall-board.ts';

const seg = (o: Record<string, number>) => ({ callable: 0, claimed: 0, windowWaiting: 0, waiting: 0, doneToday: 0, ...o }) as never;

describe('the wall board', () => {
	it('sums the queue over the segments', () => {
		expect(queueTotals({ segments: [seg({ callable: 3, claimed: 1, waiting: 7, windowWaiting: 2, doneToday: 4 }), seg({ callable: 5, doneToday: 1 })] })).toEqual({
			callable: 8,
			claimed: 1,
			windowWaiting: 2,
			waiting: 7,
			doneToday: 5
		});
	});

	it('counts operators by state, every state present, in the wall’s order', () => {
		const ops = [{ state: 'available' }, { state: 'on_household' }, { state: 'available' }, { state: 'offline' }] as never[];
		expect(operatorsByState({ operators: ops })).toEqual([
			{ state: 'on_household', count: 1 },
			{ state: 'available', count: 2 },
			{ state: 'wrap_up', count: 0 },
			{ state: 'break', count: 0 },
			{ state: 'offline', count: 1 }
		]);
	});

	it('lists working operators before offline ones', () => {
		const ops = [
			{ state: 'offline' as const, displayName: 'あ' },
			{ state: 'break' as const, displayName: 'い' },
			{ state: 'on_household' as const, displayName: 'う' }
		];
		expect(operatorsForWall(ops).map((o) => o.displayName)).toEqual(['う', 'い', 'あ']);
	});

	it('is honest about freshness', () => {
		expect(freshness('connected', false, null)).toBe('connected');
		expect(freshness('connected', true, null)).toBe('stale');
		expect(freshness('reconnecting', true, null)).toBe('reconnecting');
		expect(freshness('connecting', false, null)).toBe('connecting');
		expect(freshness('offline', false, null)).toBe('reconnecting');
		expect(freshness('offline', true, 'unauthenticated')).toBe('ended');
	});
});

describe('figureEms (how wide a big figure is, for its font size)', () => {
	it('grows with the digits, so that a longer figure gets a smaller font in the same tile', () => {
		expect(figureEms('17,052')).toBeCloseTo(5 * 0.72 + 0.42);
		expect(figureEms('128,000')).toBeGreaterThan(figureEms('17,052'));
		expect(figureEms('¥12,345,678')).toBeCloseTo(9 * 0.72 + 2 * 0.42);
		expect(figureEms('100.0%')).toBeCloseTo(4 * 0.72 + 0.42 + 1.05);
		expect(figureEms('12人')).toBeCloseTo(2 * 0.72 + 1.05);
	});
	it('is never below 2 em: a short figure stays at the tile\'s cap', () => {
		expect(figureEms('0')).toBe(2);
		expect(figureEms('—')).toBe(2);
		expect(figureEms('')).toBe(2);
	});
	it('is on the wide side of DejaVu Sans Bold, the widest common system font (digits 0.696 em, comma 0.38 em)', () => {
		expect(figureEms('128,000')).toBeGreaterThanOrEqual(6 * 0.696 + 0.38);
	});
});
