import { describe, expect, it } from 'vitest';
import { heatmap } from './best-time.ts';
import { languageGroup, slotPriors } from './best-time.ts';

describe('best time to call', () => {
	const counts = [
		{ weekday: 1, hour: 10, attempts: 40, answered: 10 },
		{ weekday: 1, hour: 19, attempts: 30, answered: 18 },
		{ weekday: 6, hour: 11, attempts: 2, answered: 2 }, // two lucky calls
		{ weekday: 3, hour: 7, attempts: 25, answered: 5 } // an hour outside the default day: added in order
	];
	it('rates per cell from the minimum number of attempts on; a shrunk rate for the colour; the overall rate', () => {
		const h = heatmap(counts, { minAttempts: 20, prior: 10 });
		expect(h.hours[0]).toBe(7);
		expect(h.hours).toContain(20);
		expect(h.attempts).toBe(97);
		expect(h.overall).toBeCloseTo(35 / 97);
		const cell = (w: number, hr: number) => h.rows.find((r) => r.weekday === w)!.cells.find((c) => c.hour === hr)!;
		expect(cell(1, 10)).toMatchObject({ attempts: 40, answered: 10, rate: 0.25 });
		expect(cell(1, 10).smoothed).toBeCloseTo((10 + 10 * (35 / 97)) / 50);
		expect(cell(6, 11).rate).toBeNull(); // too few to say
		expect(cell(6, 11).smoothed!).toBeLessThan(1);
		expect(cell(2, 12)).toMatchObject({ attempts: 0, rate: null, smoothed: null });
		expect(h.rows).toHaveLength(7);
	});
	it('names the best cells by the shrunk rate, only those with enough attempts', () => {
		expect(heatmap(counts, { minAttempts: 20 }).best.map((c) => `${c.weekday}:${c.hour}`)).toEqual(['1:19', '1:10', '3:7']);
	});
	it('nothing called: no rates and no best time, never NaN', () => {
		const h = heatmap([]);
		expect(h.overall).toBeNull();
		expect(h.best).toEqual([]);
		expect(JSON.stringify(h)).not.toContain('NaN');
	});
});

describe('slotPriors (the queue’s starting point)', () => {
	it('shrinks each slot’s rate towards the group’s overall rate by ten attempts', () => {
		const p = slotPriors([
			{ slot: 'morning', attempts: 100, answered: 20 },
			{ slot: 'afternoon', attempts: 100, answered: 30 },
			{ slot: 'evening', attempts: 10, answered: 8 }
		]);
		const overall = (58 + 5) / (210 + 10);
		expect(p.morning).toBeCloseTo((20 + 10 * overall) / 110, 4);
		expect(p.evening).toBeCloseTo((8 + 10 * overall) / 20, 4);
		expect(p.evening).toBeGreaterThan(p.afternoon);
		expect(p.afternoon).toBeGreaterThan(p.morning);
	});
	it('gives ½ everywhere without attempts, and knows the language groups', () => {
		expect(slotPriors([])).toEqual({ morning: 0.5, afternoon: 0.5, evening: 0.5 });
		expect(languageGroup('ja')).toBe('ja');
		expect(languageGroup('vi')).toBe('other');
	});
});
