/**
 * The queue's priority score: which household in a segment is called next. Higher is called sooner. An integer
 * (stable, stored in call_queue.priority as bigint), the sum of documented components, each returned as a reason
 * with its numbers so that a supervisor sees "why is this household next". Formula and weights: docs/queue.md.
 * No I/O.
 */
import { yen, type Locale } from './format.ts';
import type { HouseholdFacts, TimeSlot } from './household-facts.ts';

export interface ScoreReason {
	code: 'arrears' | 'lapse' | 'broken_promise' | 'since_attempt' | 'never_called' | 'contact_probability' | 'segment';
	points: number;
	detail: Record<string, number | string>;
}

/** The weights of the score (docs/queue.md explains each). */
export const priorityWeights = {
	/** arrears: points = arrearsPerDecade × log10(1 + owed / 1,000) — ¥10,000 ≈ 208, ¥100,000 ≈ 401, ¥1,000,000 ≈ 600 */
	arrearsPerDecade: 200,
	/** 時効: premiums lapse this many years after the due date */
	lapseYears: 2,
	/** points rise linearly from 0 to lapseMax over the last lapseRampDays before the oldest unpaid period lapses */
	lapseMax: 300,
	lapseRampDays: 365,
	/** per broken promise, at most brokenPromiseCap of them */
	brokenPromise: 100,
	brokenPromiseCap: 3,
	/** per day since the last attempt, at most sinceAttemptCapDays days */
	sinceAttemptPerDay: 5,
	sinceAttemptCapDays: 30,
	/** never called: a fixed bonus (= the cap of since_attempt) */
	neverCalled: 150,
	/**
	 * contact probability in the slot, smoothed: p = (answered + 2·p₀) / (attempts + 2) with p₀ the slot's expected rate
	 * for the household's language group (best time to call; ½ without data); the sum of the other
	 * components is multiplied by (contactBase + p): p = 0.5 (no history) leaves it unchanged, p → 1 gives ×1.5,
	 * p → 0 gives ×0.5
	 */
	contactBase: 0.5
} as const;

const DAY = 86_400_000;
const tokyoDay = (at: Date) => new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
const days = (fromIso: string, toIso: string) => Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY);

/** The date a period due on `dueDate` lapses (時効): two years after the due date. */
export function lapseDate(dueDate: string): string {
	const [y, m, d] = dueDate.split('-').map(Number);
	const t = new Date(Date.UTC(y + priorityWeights.lapseYears, m - 1, d));
	if (t.getUTCMonth() !== m - 1) t.setUTCDate(0); // 29 Feb → 28 Feb
	return t.toISOString().slice(0, 10);
}

/**
 * Smoothed contact probability of a household in a slot: its own answered and attempts there, starting from the
 * slot's expected rate for its language group (best time to call: h.slotPrior, ½ without one) counted as two
 * attempts: p = (answered + 2·p₀) / (attempts + 2). With p₀ = ½ this is Laplace's (answered + 1) / (attempts + 2).
 */
export function contactProbability(h: Pick<HouseholdFacts, 'slotStats' | 'slotPrior'>, slot: TimeSlot): number {
	const s = h.slotStats[slot];
	const p0 = h.slotPrior?.[slot] ?? 0.5;
	return (s.answered + 2 * p0) / (s.attempts + 2);
}

/** Arrears: log-scaled owed. */
export function arrearsPoints(owed: number): ScoreReason {
	const points = owed > 0 ? Math.round(priorityWeights.arrearsPerDecade * Math.log10(1 + owed / 1000)) : 0;
	return { code: 'arrears', points, detail: { owed } };
}

/** 時効 proximity of the oldest unpaid period: 0 when none, already lapsed, or more than a year away. */
export function lapsePoints(h: Pick<HouseholdFacts, 'oldestDueDate'>, now: Date): ScoreReason {
	if (!h.oldestDueDate) return { code: 'lapse', points: 0, detail: {} };
	const lapsesOn = lapseDate(h.oldestDueDate);
	const daysToLapse = days(tokyoDay(now), lapsesOn);
	const { lapseMax, lapseRampDays } = priorityWeights;
	const points = daysToLapse <= 0 || daysToLapse > lapseRampDays ? 0 : Math.round((lapseMax * (lapseRampDays - daysToLapse + 1)) / lapseRampDays);
	return { code: 'lapse', points, detail: { oldestDueDate: h.oldestDueDate, lapsesOn, daysToLapse } };
}

/** Broken promises. */
export function brokenPromisePoints(h: Pick<HouseholdFacts, 'brokenPromises'>): ScoreReason {
	const n = Math.max(0, h.brokenPromises);
	return { code: 'broken_promise', points: Math.min(n, priorityWeights.brokenPromiseCap) * priorityWeights.brokenPromise, detail: { brokenPromises: n } };
}

/** Time since the last attempt (whole days), or the never-called bonus. */
export function sinceAttemptPoints(h: Pick<HouseholdFacts, 'lastAttemptAt'>, now: Date): ScoreReason {
	if (!h.lastAttemptAt) return { code: 'never_called', points: priorityWeights.neverCalled, detail: {} };
	const d = Math.max(0, Math.floor((now.getTime() - Date.parse(h.lastAttemptAt)) / DAY));
	const points = Math.min(d, priorityWeights.sinceAttemptCapDays) * priorityWeights.sinceAttemptPerDay;
	return { code: 'since_attempt', points, detail: { days: d } };
}

/**
 * The priority of a household at `now` for a call in `slot`: base = arrears + lapse + broken promises + since
 * attempt (or never called); score = round(base × (0.5 + p)) with p the slot's smoothed contact probability. The
 * contact_probability reason carries the difference, so the reasons' points always sum to the score.
 */
export function priorityScore(h: HouseholdFacts, now: Date, slot: TimeSlot): { score: number; reasons: ScoreReason[] } {
	const parts = [arrearsPoints(h.owed), lapsePoints(h, now), brokenPromisePoints(h), sinceAttemptPoints(h, now)];
	const base = parts.reduce((s, r) => s + r.points, 0);
	const p = contactProbability(h, slot);
	const factor = priorityWeights.contactBase + p;
	const score = Math.round(base * factor);
	const s = h.slotStats[slot];
	const contact: ScoreReason = {
		code: 'contact_probability',
		points: score - base,
		detail: { slot, attempts: s.attempts, answered: s.answered, probability: Math.round(p * 1000) / 1000, factor: Math.round(factor * 1000) / 1000 }
	};
	return { score, reasons: [...parts, contact] };
}

/**
 * A segment's priority boost (segments.priority_boost, e.g. the built-in 約束不履行 segment): points added after the
 * contact factor, as a reason of its own, so that the segment's households come before others in an operator's
 * claim (claims take the highest priority across the operator's segments). 0 or less adds nothing.
 */
export function withSegmentBoost(scored: { score: number; reasons: ScoreReason[] }, boost: number): { score: number; reasons: ScoreReason[] } {
	if (!(boost > 0)) return scored;
	const points = Math.round(boost);
	return { score: scored.score + points, reasons: [...scored.reasons, { code: 'segment', points, detail: { boost: points } }] };
}

const slotText: Record<TimeSlot, [string, string]> = {
	morning: ['午前', 'morning'],
	afternoon: ['午後', 'afternoon'],
	evening: ['夕方以降', 'evening']
};

const reasonLabels: Record<ScoreReason['code'], [string, string]> = {
	arrears: ['滞納額', 'Arrears'],
	lapse: ['時効が近い', 'Close to the 2-year lapse'],
	broken_promise: ['約束不履行', 'Broken promise'],
	since_attempt: ['前回架電からの日数', 'Days since the last call'],
	never_called: ['未架電', 'Never called'],
	contact_probability: ['この時間帯の応答率', 'Answer rate at this time of day'],
	segment: ['区分の優先加点', 'Segment priority boost']
};

/**
 * A reason's short label for the operator's desk ('滞納額'), without the numbers behind it (the card shows what
 * the field policy lets the operator see); an unknown code (a newer server) gets a neutral label.
 */
export function reasonLabel(code: string, locale: Locale): string {
	const l = reasonLabels[code as ScoreReason['code']];
	return l ? l[locale === 'ja' ? 0 : 1] : locale === 'ja' ? 'その他' : 'Other';
}

/** One line for the supervisor ('滞納額 ¥120,000: +416'). */
export function describeReason(r: ScoreReason, locale: Locale): string {
	const ja = locale === 'ja';
	const pts = `${r.points >= 0 ? '+' : '−'}${Math.abs(r.points)}`;
	const d = r.detail;
	switch (r.code) {
		case 'arrears':
			return ja ? `滞納額 ${yen(Number(d.owed))}: ${pts}` : `Arrears ${yen(Number(d.owed))}: ${pts}`;
		case 'lapse':
			if (!d.lapsesOn) return ja ? `時効: 未納期なし ${pts}` : `Lapse: no unpaid period ${pts}`;
			return Number(d.daysToLapse) <= 0
				? ja
					? `最古の未納期（納期限 ${d.oldestDueDate}）は時効到来済: ${pts}`
					: `Oldest unpaid period (due ${d.oldestDueDate}) already lapsed: ${pts}`
				: ja
					? `時効まで${d.daysToLapse}日（${d.lapsesOn}）: ${pts}`
					: `${d.daysToLapse} days until the oldest period lapses (${d.lapsesOn}): ${pts}`;
		case 'broken_promise':
			return ja ? `約束不履行 ${d.brokenPromises}回: ${pts}` : `${d.brokenPromises} broken promise(s): ${pts}`;
		case 'since_attempt':
			return ja ? `前回架電から${d.days}日: ${pts}` : `${d.days} days since the last call: ${pts}`;
		case 'never_called':
			return ja ? `未架電: ${pts}` : `Never called: ${pts}`;
		case 'segment':
			return ja ? `区分の優先加点: ${pts}` : `Segment priority boost: ${pts}`;
		case 'contact_probability': {
			const slot = slotText[d.slot as TimeSlot] ?? [String(d.slot), String(d.slot)];
			const pct = Math.round(Number(d.probability) * 100);
			return ja
				? `${slot[0]}の応答率 ${d.answered}/${d.attempts}（推定${pct}%、×${d.factor}）: ${pts}`
				: `Answered ${d.answered}/${d.attempts} in the ${slot[1]} (estimated ${pct}%, ×${d.factor}): ${pts}`;
		}
	}
}
