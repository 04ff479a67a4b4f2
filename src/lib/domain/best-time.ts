/**
 * Best time to call (issue #8): the answer rate of this season's outbound attempts by weekday × hour, pure. A cell
 * with few attempts says little: its rate is shown only from `minAttempts` on, and the colour uses a rate shrunk
 * towards the overall one (empirical Bayes with `prior` pseudo-attempts), so that one lucky call does not paint a
 * cell as the best. The server (src/lib/server/reports/best-time.ts) reads the counts.
 */

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

export interface CellCount {
	weekday: number;
	hour: number;
	attempts: number;
	answered: number;
}

export interface HeatCell extends CellCount {
	/** answered ÷ attempts, null below minAttempts */
	rate: number | null;
	/** shrunk towards the overall rate: (answered + prior × overall) ÷ (attempts + prior); null without attempts */
	smoothed: number | null;
}

export interface Heatmap {
	hours: number[];
	/** one row per weekday, one cell per hour */
	rows: { weekday: number; cells: HeatCell[] }[];
	attempts: number;
	answered: number;
	/** answered ÷ attempts over everything, null without attempts */
	overall: number | null;
	/** the cells with a rate, best first (at most `top`) */
	best: HeatCell[];
}

export function heatmap(counts: readonly CellCount[], opts: { hours?: number[]; minAttempts?: number; prior?: number; top?: number } = {}): Heatmap {
	const minAttempts = opts.minAttempts ?? 20;
	const prior = opts.prior ?? 10;
	const hours = opts.hours ?? [...new Set([...Array.from({ length: 13 }, (_, i) => i + 8), ...counts.map((c) => c.hour)])].sort((a, b) => a - b);
	const attempts = counts.reduce((s, c) => s + c.attempts, 0);
	const answered = counts.reduce((s, c) => s + c.answered, 0);
	const overall = attempts > 0 ? answered / attempts : null;
	const at = new Map(counts.map((c) => [`${c.weekday}:${c.hour}`, c]));
	const rows = weekdays.map((weekday) => ({
		weekday,
		cells: hours.map((hour): HeatCell => {
			const c = at.get(`${weekday}:${hour}`) ?? { weekday, hour, attempts: 0, answered: 0 };
			return {
				...c,
				weekday,
				hour,
				rate: c.attempts >= minAttempts ? c.answered / c.attempts : null,
				smoothed: c.attempts > 0 && overall !== null ? (c.answered + prior * overall) / (c.attempts + prior) : null
			};
		})
	}));
	const best = rows
		.flatMap((r) => r.cells)
		.filter((c) => c.rate !== null)
		.sort((a, b) => (b.smoothed ?? 0) - (a.smoothed ?? 0) || b.attempts - a.attempts)
		.slice(0, opts.top ?? 3);
	return { hours, rows, attempts, answered, overall, best };
}

// ---------------------------------------------------------------------------------------------------------
// The queue's starting point: answer rates per time slot (issue #8: "the queue's time-slot rotation uses it")

export type LanguageGroup = 'ja' | 'other';
export type Slot = 'morning' | 'afternoon' | 'evening';
export const SLOT_PRIOR_STRENGTH = 10;

/** The language group of a household's talk-script language: Japanese or any other. */
export function languageGroup(language: string): LanguageGroup {
	return language === 'ja' ? 'ja' : 'other';
}

/**
 * The answer rate to expect in each slot for a household of a language group that has no history of its own: the
 * group's rate in the slot this season, shrunk towards the group's overall rate by SLOT_PRIOR_STRENGTH attempts
 * (and that towards ½), so a slot with few attempts says little. No attempts at all: ½ everywhere (as before).
 */
export function slotPriors(counts: readonly { slot: Slot; attempts: number; answered: number }[]): Record<Slot, number> {
	const k = SLOT_PRIOR_STRENGTH;
	const total = counts.reduce((a, c) => ({ attempts: a.attempts + c.attempts, answered: a.answered + c.answered }), { attempts: 0, answered: 0 });
	const overall = (total.answered + k * 0.5) / (total.attempts + k);
	const of = (slot: Slot) => {
		const c = counts.find((x) => x.slot === slot) ?? { attempts: 0, answered: 0 };
		return Math.round(((c.answered + k * overall) / (c.attempts + k)) * 10_000) / 10_000;
	};
	return { morning: of('morning'), afternoon: of('afternoon'), evening: of('evening') };
}
