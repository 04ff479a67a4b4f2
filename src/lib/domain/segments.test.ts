import { describe, expect, it } from 'vitest';
import { segmentFor } from './segments.ts';

describe('segmentFor', () => {
	const segs = [
		{ id: 3, sortOrder: 90, filter: {} },
		{ id: 1, sortOrder: 10, filter: { excludeLanguages: ['ja'] } },
		{ id: 2, sortOrder: 20, filter: { minOwed: 100_000 } }
	];
	it('puts a household in the first matching segment by sort order', () => {
		expect(segmentFor(segs, { owed: 500_000, language: 'vi' })).toBe(1);
		expect(segmentFor(segs, { owed: 500_000, language: 'ja' })).toBe(2);
		expect(segmentFor(segs, { owed: 99_999, language: 'ja' })).toBe(3);
	});
	it('returns null when nothing matches', () => {
		expect(segmentFor([{ id: 1, sortOrder: 1, filter: { languages: ['ne'] } }], { owed: 1, language: 'ja' })).toBeNull();
	});
});
