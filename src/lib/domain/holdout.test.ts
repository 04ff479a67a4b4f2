import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	compareArms,
	hex,
	hmacSha256,
	holdoutDraw,
	isHeldOut,
	newcombeDifference,
	parseHoldoutPercent,
	points,
	sha256,
	studentTQuantile,
	summarize,
	welchDifference,
	windowState,
	wilson
} from './holdout.ts';

const SEED = '0123456789abcdef0123456789abcdef';

describe('the keyed hash', () => {
	it('SHA-256 and HMAC-SHA256 equal node:crypto (empty, short, one block and more, long keys)', () => {
		for (const m of ['', 'abc', '1', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'x'.repeat(200), '世帯123']) {
			expect(hex(sha256(new TextEncoder().encode(m)))).toBe(createHash('sha256').update(m).digest('hex'));
			for (const k of [SEED, '', 'k'.repeat(100)]) expect(hex(hmacSha256(k, m))).toBe(createHmac('sha256', k).update(m).digest('hex'));
		}
	});
	it('the draw is the first 52 bits of HMAC-SHA256(seed, id) ÷ 2^52 (what an auditor recomputes with openssl)', () => {
		for (const id of [1, 42, 123456, '987654321']) {
			const h = createHmac('sha256', SEED).update(String(id)).digest('hex');
			expect(holdoutDraw(SEED, id)).toBe(parseInt(h.slice(0, 13), 16) / 2 ** 52);
		}
	});
});

describe('holdout assignment', () => {
	const ids = Array.from({ length: 20_000 }, (_, i) => i + 1);
	it('is stable: the same seed, share and household always give the same arm', () => {
		const a = ids.slice(0, 500).map((id) => isHeldOut(SEED, 0.05, id));
		const b = ids.slice(0, 500).map((id) => isHeldOut(SEED, 0.05, id));
		expect(a).toEqual(b);
		expect(isHeldOut(SEED, 0.05, 17)).toBe(isHeldOut(SEED, 0.05, '17'));
	});
	it('is random: about the share is held out, with no pattern in the ids (odd/even, low/high halves)', () => {
		const held = ids.filter((id) => isHeldOut(SEED, 0.05, id));
		// 5% of 20,000 = 1,000; sd = √(20000 × 0.05 × 0.95) ≈ 31: within 4 sd
		expect(Math.abs(held.length - 1000)).toBeLessThan(124);
		const odd = held.filter((id) => id % 2 === 1).length;
		expect(Math.abs(odd - held.length / 2)).toBeLessThan(4 * Math.sqrt(held.length / 4));
		const low = held.filter((id) => id <= 10_000).length;
		expect(Math.abs(low - held.length / 2)).toBeLessThan(4 * Math.sqrt(held.length / 4));
		// draws are uniform: each tenth of [0, 1) gets about a tenth
		const deciles = new Array(10).fill(0);
		for (const id of ids) deciles[Math.floor(holdoutDraw(SEED, id) * 10)]++;
		for (const n of deciles) expect(Math.abs(n - 2000)).toBeLessThan(4 * Math.sqrt(20_000 * 0.1 * 0.9));
	});
	it('another seed gives another draw (segments are independent)', () => {
		const other = 'fedcba9876543210fedcba9876543210';
		const a = ids.slice(0, 2000).filter((id) => isHeldOut(SEED, 0.1, id));
		const b = new Set(ids.slice(0, 2000).filter((id) => isHeldOut(other, 0.1, id)));
		const both = a.filter((id) => b.has(id)).length;
		// independent: ~200 × 0.1 = 20 in both; identical would be ~200
		expect(both).toBeLessThan(50);
	});
	it('share 0 holds out nobody, share 1 everybody; a larger share keeps everyone a smaller one held out (nested)', () => {
		expect(ids.slice(0, 1000).some((id) => isHeldOut(SEED, 0, id))).toBe(false);
		expect(ids.slice(0, 1000).every((id) => isHeldOut(SEED, 1, id))).toBe(true);
		for (const id of ids.slice(0, 1000)) if (isHeldOut(SEED, 0.05, id)) expect(isHeldOut(SEED, 0.1, id)).toBe(true);
	});
	it('the share as typed in percent: 0–50, one decimal, full-width digits and % accepted', () => {
		expect(parseHoldoutPercent('5')).toEqual({ ok: true, share: 0.05 });
		expect(parseHoldoutPercent('２．５％')).toEqual({ ok: true, share: 0.025 });
		expect(parseHoldoutPercent('')).toEqual({ ok: true, share: 0 });
		expect(parseHoldoutPercent(undefined)).toEqual({ ok: true, share: 0 });
		expect(parseHoldoutPercent('50')).toEqual({ ok: true, share: 0.5 });
		expect(parseHoldoutPercent('51')).toEqual({ ok: false, error: 'out_of_range' });
		expect(parseHoldoutPercent('-1')).toEqual({ ok: false, error: 'out_of_range' });
		expect(parseHoldoutPercent('1.25')).toEqual({ ok: false, error: 'precision' });
		expect(parseHoldoutPercent('five')).toEqual({ ok: false, error: 'number' });
	});
});

describe('intervals', () => {
	it('Wilson: 10 of 20 (by hand: centre 0.5, half-width 1.96/1.1921 × √(0.0125 + 0.0024) = 0.2007); n = 0 → null', () => {
		const w = wilson(10, 20)!;
		expect(w.lo).toBeCloseTo(0.2993, 4);
		expect(w.hi).toBeCloseTo(0.7007, 4);
		expect(wilson(0, 0)).toBeNull();
		expect(wilson(0, 10)!.lo).toBe(0);
	});
	it("Newcombe's method 10 on his published examples (Stat Med 1998; 17:873–890, table II)", () => {
		const a = newcombeDifference(56, 70, 48, 80)!;
		expect(a.difference).toBeCloseTo(0.2, 10);
		expect(a.lo).toBeCloseTo(0.0524, 4);
		expect(a.hi).toBeCloseTo(0.3339, 4);
		const b = newcombeDifference(9, 10, 3, 10)!;
		expect(b.lo).toBeCloseTo(0.1705, 4);
		expect(b.hi).toBeCloseTo(0.809, 3);
		const f = newcombeDifference(0, 10, 0, 10)!;
		expect(f.difference).toBe(0);
		expect(f.lo).toBeCloseTo(-0.2775, 4);
		expect(f.hi).toBeCloseTo(0.2775, 4);
	});
	it('zero households in an arm → null', () => {
		expect(newcombeDifference(3, 10, 0, 0)).toBeNull();
		expect(newcombeDifference(0, 0, 3, 10)).toBeNull();
	});
	it("Student's t quantiles (tables: 12.706, 4.303, 3.182, 2.228, 2.042; large df → 1.960)", () => {
		expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
		expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 3);
		expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.1824, 3);
		expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281, 3);
		expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 3);
		expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 3);
	});
	it('Welch by hand: [0, 1000, 2000] vs [0, 0, 1000, 1000]: d = 500, se = √(333,333 + 83,333) = 645.50, df = 3, t = 3.1824', () => {
		const w = welchDifference(summarize([0, 1000, 2000]), summarize([0, 0, 1000, 1000]))!;
		expect(w.difference).toBe(500);
		expect(w.se).toBeCloseTo(645.497, 2);
		expect(w.df).toBeCloseTo(3, 10);
		expect(w.lo).toBeCloseTo(500 - 3.182446 * 645.497, 0);
		expect(w.hi).toBeCloseTo(500 + 3.182446 * 645.497, 0);
	});
	it('Welch: fewer than two households in an arm, or no spread at all → null', () => {
		expect(welchDifference(summarize([100, 200]), summarize([]))).toBeNull();
		expect(welchDifference(summarize([100, 200]), summarize([50]))).toBeNull();
		expect(welchDifference(summarize([0, 0]), summarize([0, 0, 0]))).toBeNull();
	});
});

describe('the comparison', () => {
	it('called 56 of 70 paid ¥…, held out 48 of 80: rates, means, the intervals, extra yen and the verdicts', () => {
		const called = summarize([...new Array(56).fill(10_000), ...new Array(14).fill(0)]);
		const held = summarize([...new Array(48).fill(10_000), ...new Array(32).fill(0)]);
		const c = compareArms({ households: 70, payers: 56, amount: called.total, variance: called.variance }, { households: 80, payers: 48, amount: held.total, variance: held.variance });
		expect(c.called.paymentRate).toBeCloseTo(0.8, 10);
		expect(c.heldOut.paymentRate).toBeCloseTo(0.6, 10);
		expect(c.called.meanPerHousehold).toBe(8000);
		expect(c.heldOut.meanPerHousehold).toBe(6000);
		expect(c.rate!.lo).toBeCloseTo(0.0524, 4);
		expect(c.mean!.difference).toBe(2000);
		expect(c.extraYen!.estimate).toBe(2000 * 70);
		expect(c.extraYen!.lo).toBeCloseTo(c.mean!.lo * 70, 6);
		expect(c.verdict).toBe('higher');
		expect(c.amountVerdict).toBe('higher');
	});
	it('no difference → unclear; an empty held-out arm → no data, no NaN anywhere', () => {
		const same = compareArms({ households: 10, payers: 3, amount: 30_000, variance: 1e8 }, { households: 10, payers: 3, amount: 30_000, variance: 1e8 });
		expect(same.verdict).toBe('unclear');
		expect(same.amountVerdict).toBe('unclear');
		const empty = compareArms({ households: 10, payers: 3, amount: 30_000, variance: 1e8 }, { households: 0, payers: 0, amount: 0, variance: null });
		expect(empty).toMatchObject({ rate: null, mean: null, extraYen: null, verdict: 'no_data', amountVerdict: 'no_data' });
		expect(empty.heldOut.paymentRate).toBeNull();
		expect(JSON.stringify(empty)).not.toContain('NaN');
	});
	it('points: one decimal, a real minus sign', () => {
		expect(points(0.0524)).toBe('5.2');
		expect(points(-0.004)).toBe('−0.4');
		expect(points(0.2, true)).toBe('+20.0');
	});
});

describe('windowState', () => {
	it('a window after today has not started, one ending after today is running, else complete', () => {
		expect(windowState('2027-01-01', '2027-02-01', '2026-11-29')).toBe('not_started');
		expect(windowState('2026-11-01', '2027-02-01', '2026-11-29')).toBe('running');
		expect(windowState('2026-11-01', '2026-11-29', '2026-11-29')).toBe('complete');
		expect(windowState('2026-11-29', '2026-11-29', '2026-11-29')).toBe('complete');
		expect(windowState('2026-11-30', '2026-11-30', '2026-11-29')).toBe('not_started');
	});
});
