/**
 * The randomized holdout (issue #8, "does calling work?"): which households of a segment are set aside (not called
 * from that segment), and the comparison of the payments of called and held-out households with 95% confidence
 * intervals. Pure (no I/O; runs on the server and in the browser); docs/kpis.md ("The holdout") explains it.
 *
 * **Assignment.** u = the first 52 bits of HMAC-SHA256(key = the segment's seed, message = the household id in
 * decimal, both UTF-8), divided by 2^52: a number in [0, 1), uniform, independent of everything about the household,
 * and reproducible by anyone with the seed (`printf 123 | openssl dgst -sha256 -hmac SEED`, first 13 hex digits ÷
 * 16^13). The household is held out when u < share. The queue records the arm the first time it places the
 * household in the segment (holdout_assignments) and never changes it: a later share applies to households seen
 * later only.
 *
 * **Comparison** (called − held out), each arm over the same window:
 * - payment rate = households with a payment in the window ÷ households; difference with Newcombe's hybrid score
 *   interval (his method 10: Wilson score intervals of each arm combined), which stays inside [−1, 1] and behaves
 *   at 0% and 100%, unlike the Wald interval;
 * - mean amount collected per household (yen, net of refunds); difference with Welch's t interval (unequal
 *   variances, Welch–Satterthwaite degrees of freedom);
 * - implied extra yen = difference of means × called households (and its interval likewise).
 * An arm without households gives no interval (null); Welch needs two households in each arm and some variance.
 */

// ─── SHA-256 and HMAC (FIPS 180-4, RFC 2104), small and pure so that the browser can run it too ─────────────────

const K = new Uint32Array([
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);

/** SHA-256 of bytes. */
export function sha256(data: Uint8Array): Uint8Array {
	const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
	const bitLen = data.length * 8;
	const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
	padded.set(data);
	padded[data.length] = 0x80;
	const view = new DataView(padded.buffer);
	view.setUint32(padded.length - 8, Math.floor(bitLen / 0x1_0000_0000));
	view.setUint32(padded.length - 4, bitLen >>> 0);
	const w = new Uint32Array(64);
	const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
	for (let off = 0; off < padded.length; off += 64) {
		for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
		for (let i = 16; i < 64; i++) {
			const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
			const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
			w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
		}
		let [a, b, c, d, e, f, g, hh] = h;
		for (let i = 0; i < 64; i++) {
			const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
			const ch = (e & f) ^ (~e & g);
			const t1 = (hh + S1 + ch + K[i] + w[i]) >>> 0;
			const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
			const maj = (a & b) ^ (a & c) ^ (b & c);
			const t2 = (S0 + maj) >>> 0;
			hh = g;
			g = f;
			f = e;
			e = (d + t1) >>> 0;
			d = c;
			c = b;
			b = a;
			a = (t1 + t2) >>> 0;
		}
		h[0] += a;
		h[1] += b;
		h[2] += c;
		h[3] += d;
		h[4] += e;
		h[5] += f;
		h[6] += g;
		h[7] += hh;
	}
	const out = new Uint8Array(32);
	const ov = new DataView(out.buffer);
	for (let i = 0; i < 8; i++) ov.setUint32(i * 4, h[i]);
	return out;
}

/** HMAC-SHA256(key, message), both strings taken as UTF-8. */
export function hmacSha256(key: string, message: string): Uint8Array {
	const enc = new TextEncoder();
	let k: Uint8Array = enc.encode(key);
	if (k.length > 64) k = sha256(k);
	const ipad = new Uint8Array(64 + 0);
	const opad = new Uint8Array(64);
	for (let i = 0; i < 64; i++) {
		ipad[i] = (k[i] ?? 0) ^ 0x36;
		opad[i] = (k[i] ?? 0) ^ 0x5c;
	}
	const m = enc.encode(message);
	const inner = new Uint8Array(64 + m.length);
	inner.set(ipad);
	inner.set(m, 64);
	const ih = sha256(inner);
	const outer = new Uint8Array(64 + 32);
	outer.set(opad);
	outer.set(ih, 64);
	return sha256(outer);
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

// ─── assignment ───────────────────────────────────────────────────────────────────────────────────────────────

/** The largest share a supervisor may set (half the segment). */
export const MAX_HOLDOUT_SHARE = 0.5;

/** The household's draw in [0, 1): the first 52 bits of HMAC-SHA256(seed, id) ÷ 2^52. */
export function holdoutDraw(seed: string, householdId: number | string): number {
	const d = hmacSha256(seed, String(householdId));
	// 52 bits = 6 bytes + the high nibble of the 7th: exact in a double
	let v = 0;
	for (let i = 0; i < 6; i++) v = v * 256 + d[i];
	v = v * 16 + (d[6] >> 4);
	return v / 2 ** 52;
}

/** Whether a household newly seen in a segment with this seed and share is held out. share 0: never; 1: always. */
export function isHeldOut(seed: string, share: number, householdId: number | string): boolean {
	if (!(share > 0)) return false;
	return holdoutDraw(seed, householdId) < share;
}

/**
 * A share as a supervisor types it, in percent (0–50; "5", "5%", "２．５", "" = 0) → a fraction (0.05), or an error
 * code: 'number' (not a number), 'out_of_range' (below 0 or above 50), 'precision' (more than one decimal).
 */
export function parseHoldoutPercent(raw: unknown): { ok: true; share: number } | { ok: false; error: 'number' | 'out_of_range' | 'precision' } {
	if (raw === undefined || raw === null) return { ok: true, share: 0 };
	if (typeof raw === 'number') raw = String(raw);
	if (typeof raw !== 'string') return { ok: false, error: 'number' };
	const s = raw.normalize('NFKC').trim().replace(/%$/, '').trim();
	if (s === '') return { ok: true, share: 0 };
	if (!/^-?\d+(\.\d+)?$/.test(s)) return { ok: false, error: 'number' };
	if (/\.\d{2,}$/.test(s)) return { ok: false, error: 'precision' };
	const pct = Number(s);
	if (pct < 0 || pct > MAX_HOLDOUT_SHARE * 100) return { ok: false, error: 'out_of_range' };
	return { ok: true, share: Math.round(pct * 10) / 1000 };
}

// ─── statistics ───────────────────────────────────────────────────────────────────────────────────────────────

/** The normal quantile of 0.975 (two-sided 95%). */
export const Z95 = 1.959963984540054;

export interface Interval {
	lo: number;
	hi: number;
}

/** Wilson's score interval for x successes of n (null when n = 0). */
export function wilson(x: number, n: number, z = Z95): Interval | null {
	if (n <= 0) return null;
	const p = x / n;
	const z2 = z * z;
	const denom = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denom;
	const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (1998, method 10) for p1 − p2, x1 of n1 against x2 of n2. null when an arm has
 * no households.
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): (Interval & { difference: number }) | null {
	const w1 = wilson(x1, n1, z);
	const w2 = wilson(x2, n2, z);
	if (!w1 || !w2) return null;
	const p1 = x1 / n1;
	const p2 = x2 / n2;
	const d = p1 - p2;
	return {
		difference: d,
		lo: d - Math.sqrt((p1 - w1.lo) ** 2 + (w2.hi - p2) ** 2),
		hi: d + Math.sqrt((w1.hi - p1) ** 2 + (p2 - w2.lo) ** 2)
	};
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
function lnGamma(x: number): number {
	const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
	x -= 1;
	let a = c[0];
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) a += c[i] / (x + i);
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
	const tiny = 1e-300;
	let c = 1;
	let d = 1 - ((a + b) * x) / (a + 1);
	if (Math.abs(d) < tiny) d = tiny;
	d = 1 / d;
	let h = d;
	for (let m = 1; m <= 300; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-15) break;
	}
	return h;
}

/** The regularized incomplete beta function I_x(a, b). */
function betaInc(a: number, b: number, x: number): number {
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
	return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom (df > 0, not necessarily whole). */
export function studentTCdf(t: number, df: number): number {
	const tail = 0.5 * betaInc(df / 2, 0.5, df / (df + t * t));
	return t >= 0 ? 1 - tail : tail;
}

/** The quantile of Student's t: the t with P(T ≤ t) = p (0.5 ≤ p < 1), by bisection (to ~1e-10). */
export function studentTQuantile(p: number, df: number): number {
	if (!(df > 0) || !(p >= 0.5 && p < 1)) return NaN;
	if (!Number.isFinite(df) || df > 1e7) return Z95; // (p = 0.975 is the only use here)
	let lo = 0;
	let hi = 1;
	while (studentTCdf(hi, df) < p) hi *= 2;
	for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
		const mid = (lo + hi) / 2;
		if (studentTCdf(mid, df) < p) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

/** An arm's per-household amounts, summarized (what SQL returns: count, sum and sample variance). */
export interface AmountSummary {
	n: number;
	/** sum of the amounts (yen) */
	total: number;
	/** sample variance (n − 1 in the denominator); null when n < 2 */
	variance: number | null;
}

/** Summarize a list of amounts (tests, small arms). */
export function summarize(amounts: readonly number[]): AmountSummary {
	const n = amounts.length;
	const total = amounts.reduce((s, a) => s + a, 0);
	if (n < 2) return { n, total, variance: null };
	const mean = total / n;
	return { n, total, variance: amounts.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - 1) };
}

/**
 * Welch's t interval for mean1 − mean2 (unequal variances; Welch–Satterthwaite df). null when an arm has fewer than
 * two households or both variances are 0 (no spread: no interval can be given).
 */
export function welchDifference(a: AmountSummary, b: AmountSummary, level = 0.95): (Interval & { difference: number; df: number; se: number }) | null {
	if (a.n < 2 || b.n < 2 || a.variance === null || b.variance === null) return null;
	const va = a.variance / a.n;
	const vb = b.variance / b.n;
	const se2 = va + vb;
	if (!(se2 > 0)) return null;
	const se = Math.sqrt(se2);
	const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
	const t = studentTQuantile(1 - (1 - level) / 2, df);
	const difference = a.total / a.n - b.total / b.n;
	return { difference, df, se, lo: difference - t * se, hi: difference + t * se };
}

// ─── the comparison ───────────────────────────────────────────────────────────────────────────────────────────

/** One arm's figures over the window, as SQL counts them. */
export interface ArmCounts {
	/** households assigned to the arm (on or before the window's last day) */
	households: number;
	/** of those, households with a payment (amount > 0) in the window */
	payers: number;
	/** yen collected from them in the window (net: refunds and corrections subtract) */
	amount: number;
	/** sample variance of the per-household amounts (null when fewer than two households) */
	variance: number | null;
}

export interface ArmFigures extends ArmCounts {
	/** payers ÷ households; null without households */
	paymentRate: number | null;
	/** amount ÷ households (yen, not rounded); null without households */
	meanPerHousehold: number | null;
}

export interface Comparison {
	called: ArmFigures;
	heldOut: ArmFigures;
	/** payment rate, called − held out (fraction) with Newcombe's 95% interval; null when an arm is empty */
	rate: (Interval & { difference: number }) | null;
	/** mean yen per household, called − held out, with Welch's 95% interval; null as welchDifference */
	mean: (Interval & { difference: number; df: number; se: number }) | null;
	/** extra yen implied = the mean difference × called households (with the interval scaled alike) */
	extraYen: (Interval & { estimate: number }) | null;
	/**
	 * 'higher' / 'lower': the rate's interval lies wholly above / below 0; 'unclear': it contains 0; 'no_data': no
	 * interval (an arm without households)
	 */
	verdict: 'higher' | 'lower' | 'unclear' | 'no_data';
	/** the same for the mean amount */
	amountVerdict: 'higher' | 'lower' | 'unclear' | 'no_data';
}

function figures(c: ArmCounts): ArmFigures {
	return { ...c, paymentRate: c.households > 0 ? c.payers / c.households : null, meanPerHousehold: c.households > 0 ? c.amount / c.households : null };
}

const verdictOf = (i: Interval | null): Comparison['verdict'] => (i === null ? 'no_data' : i.lo > 0 ? 'higher' : i.hi < 0 ? 'lower' : 'unclear');

/** Called against held out: rates, means, differences with their 95% intervals, the implied extra yen. */
export function compareArms(called: ArmCounts, heldOut: ArmCounts): Comparison {
	const rate = newcombeDifference(called.payers, called.households, heldOut.payers, heldOut.households);
	const mean = welchDifference({ n: called.households, total: called.amount, variance: called.variance }, { n: heldOut.households, total: heldOut.amount, variance: heldOut.variance });
	return {
		called: figures(called),
		heldOut: figures(heldOut),
		rate,
		mean,
		extraYen: mean ? { estimate: mean.difference * called.households, lo: mean.lo * called.households, hi: mean.hi * called.households } : null,
		verdict: verdictOf(rate),
		amountVerdict: verdictOf(mean)
	};
}

/** Percentage points with one decimal, signed when asked ("+3.2", "−0.4"). */
export function points(fraction: number, signed = false): string {
	const v = Math.round(fraction * 1000) / 10;
	const s = Math.abs(v).toFixed(1);
	return v < 0 ? `−${s}` : signed && v > 0 ? `+${s}` : s;
}

/**
 * Where a comparison window [from, to] (Tokyo dates, inclusive) stands on `today`: `not_started` (no payment can be
 * counted yet: say so, never statistics of nothing), `running` (counted up to today), `complete`.
 */
export type WindowState = 'not_started' | 'running' | 'complete';
export function windowState(from: string, to: string, today: string): WindowState {
	if (from > today) return 'not_started';
	return to > today ? 'running' : 'complete';
}
