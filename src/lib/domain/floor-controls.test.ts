import { describe, expect, it } from 'vitest';
import { isLong, movedSegments, neighbour, reorder } from './floor-controls.ts';

describe('movedSegments', () => {
	it('moves a card between columns, adds from unassigned, removes to unassigned', () => {
		expect(movedSegments([1, 2], 1, 3)).toEqual([2, 3]);
		expect(movedSegments([1], null, 3)).toEqual([1, 3]);
		expect(movedSegments([1, 2], 2, null)).toEqual([1]);
		// dropped on a column it is already in: no duplicate
		expect(movedSegments([1, 2], 1, 2)).toEqual([2]);
	});
});

describe('neighbour and reorder', () => {
	const segs = [
		{ id: 1, sortOrder: 10 },
		{ id: 2, sortOrder: 20 },
		{ id: 3, sortOrder: 90 }
	];
	it('names the segment passed over, none at the ends', () => {
		expect(neighbour(segs, 2, 'up')?.id).toBe(1);
		expect(neighbour(segs, 2, 'down')?.id).toBe(3);
		expect(neighbour(segs, 1, 'up')).toBeNull();
		expect(neighbour(segs, 3, 'down')).toBeNull();
	});
	it('swaps distinct sort orders (two rows change)', () => {
		expect([...reorder(segs, 3, 'up')!]).toEqual([
			[3, 20],
			[2, 90]
		]);
		expect(reorder(segs, 1, 'up')).toBeNull();
	});
	it('renumbers when the two share a sort order, keeping the asked order', () => {
		const tied = [
			{ id: 1, sortOrder: 10 },
			{ id: 4, sortOrder: 10 },
			{ id: 2, sortOrder: 10 }
		];
		// in order: 1, 2, 4 (ties by id); 2 goes down past 4
		const m = reorder(tied, 2, 'down')!;
		const after = tied.map((s) => ({ ...s, sortOrder: m.get(s.id) ?? s.sortOrder })).sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
		expect(after.map((s) => s.id)).toEqual([1, 4, 2]);
		expect(reorder(tied, 4, 'down')).toBeNull();
	});
});

describe('isLong', () => {
	it('is longer than the threshold, not equal to it', () => {
		const now = new Date('2026-11-24T01:00:00Z');
		expect(isLong(new Date(now.getTime() - 10 * 60_000), 10, now)).toBe(false);
		expect(isLong(new Date(now.getTime() - 10 * 60_000 - 1), 10, now)).toBe(true);
		expect(isLong(null, 10, now)).toBe(false);
	});
});
