/**
 * Best time to call (issue #8): the answer rate of outbound attempts by weekday × hour (Tokyo) over a period
 * (default: this fiscal year so far), for all households or one segment, and for a language group. Aggregates only
 * (no household is identified): not in the access log. Policy: reports.view (managers, supervisors).
 */
import { dataMode, type DataMode } from '../mode.ts';
import { z } from 'zod';
import { db, type Db, type Sql } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { fieldProblems } from '../errors.ts';
import { dateRangeProblems } from '../../domain/date-range.ts';
import { problem } from '../../domain/field-problem.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import { addDays, tokyoAt } from '../../domain/tokyo-time.ts';
import { heatmap, slotPriors, type CellCount, type Heatmap, type LanguageGroup, type Slot } from '../../domain/best-time.ts';

const segmentInput = z.coerce.number().int().positive();
/** all, ja (Japanese), foreign (any other), or one language code */
const languageInput = z.string().regex(/^(all|ja|foreign|[a-z]{2})$/);

export interface BestTimeReport extends Heatmap {
	from: string;
	to: string;
	segment: number | null;
	language: string;
	segments: { id: number; code: string; nameJa: string; nameEn: string }[];
	languages: string[];
}

async function cellCounts(db: Db, o: { from: Date; to: Date; segment: number | null; language: string }): Promise<CellCount[]> {
	return db<CellCount[]>`
		select extract(isodow from c.recorded_at at time zone 'Asia/Tokyo')::int as weekday,
		  extract(hour from c.recorded_at at time zone 'Asia/Tokyo')::int as hour,
		  count(*)::int as attempts, count(*) filter (where o.answered)::int as answered
		from calls c join outcome_codes o on o.code = c.outcome_code join households h on h.id = c.household_id
		where c.direction = 'outbound' and c.recorded_at >= ${o.from} and c.recorded_at < ${o.to}
		  ${o.segment !== null ? db`and c.segment_id = ${o.segment}` : db``}
		  ${o.language === 'all' ? db`` : o.language === 'foreign' ? db`and h.language <> 'ja'` : db`and h.language = ${o.language}`}
		group by 1, 2`;
}

/**
 * The heatmap for a window (default: this fiscal year to today). A refused filter names each field's problem by a
 * stable code (dates: src/lib/domain/date-range.ts; segment, language: `invalid`), worded by the page.
 */
export async function bestTime(actor: Actor, raw: { from?: unknown; to?: unknown; segment?: unknown; language?: unknown } = {}, now = new Date()): Promise<BestTimeReport> {
	requirePermission(actor, 'reports.view');
	const problems = dateRangeProblems({ from: raw.from || undefined, to: raw.to || undefined }, { required: false });
	const seg = raw.segment ? segmentInput.safeParse(raw.segment) : null;
	if (seg && !seg.success) problems.segment = problem('invalid', 'a segment id');
	const lang = raw.language ? languageInput.safeParse(raw.language) : null;
	if (lang && !lang.success) problems.language = problem('invalid', 'all, ja, foreign or a language code');
	if (Object.keys(problems).length) throw fieldProblems(problems);
	const given = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
	const today = tokyoDate(now);
	const from = given(raw.from) ?? `${fiscalYearOf(today)}-04-01`;
	const to = given(raw.to) ?? today;
	const segment = seg?.success ? seg.data : null;
	const language = lang?.success ? lang.data : 'all';
	const sql = db();
	const [counts, segments, languages] = await Promise.all([
		cellCounts(sql, { from: tokyoAt(from), to: tokyoAt(addDays(to, 1)), segment, language }),
		sql<{ id: number; code: string; nameJa: string; nameEn: string }[]>`select id, code, name_ja, name_en from segments order by sort_order, id`,
		sql<{ language: string }[]>`select distinct language from households order by 1`
	]);
	return { ...heatmap(counts), from, to, segment, language, segments, languages: languages.map((l) => l.language) };
}

/** What the filter form offers (segments, the households' languages), for a page whose filter was refused. */
export async function bestTimeChoices(actor: Actor): Promise<Pick<BestTimeReport, 'segments' | 'languages'>> {
	requirePermission(actor, 'reports.view');
	const sql = db();
	const [segments, languages] = await Promise.all([
		sql<{ id: number; code: string; nameJa: string; nameEn: string }[]>`select id, code, name_ja, name_en from segments order by sort_order, id`,
		sql<{ language: string }[]>`select distinct language from households order by 1`
	]);
	return { segments, languages: languages.map((l) => l.language) };
}

// ---------------------------------------------------------------------------------------------------------
// The queue's starting point (issue #8: the time-slot rotation and the priority's contact probability use the
// season's answer rates per slot and language group)

/**
 * Rebuild slot_answer_rates from this fiscal year's outbound attempts (Tokyo hours: morning < 12:00 ≤ afternoon
 * < 17:00 ≤ evening), when it is older than `maxAgeHours` or empty (or `force`). The sweeper runs it.
 */
export async function refreshSlotAnswerRates(sql: Sql, opts: { force?: boolean; maxAgeHours?: number; now?: Date } = {}): Promise<{ refreshed: boolean; attempts?: number }> {
	const now = opts.now ?? new Date();
	if (!opts.force) {
		const [r] = await sql<{ at: Date | null }[]>`select min(refreshed_at) as at from slot_answer_rates`;
		if (r.at && now.getTime() - r.at.getTime() < (opts.maxAgeHours ?? 6) * 3600_000) return { refreshed: false };
	}
	const since = `${fiscalYearOf(tokyoDate(now))}-04-01`;
	const rows = await sql.begin(async (tx) => {
		await tx`delete from slot_answer_rates`;
		return tx<{ attempts: number }[]>`
			insert into slot_answer_rates (language_group, slot, attempts, answered, since)
			select case when h.language = 'ja' then 'ja' else 'other' end,
			  case when extract(hour from c.recorded_at at time zone 'Asia/Tokyo') < 12 then 'morning'
			       when extract(hour from c.recorded_at at time zone 'Asia/Tokyo') < 17 then 'afternoon' else 'evening' end,
			  count(*), count(*) filter (where o.answered), ${since}::date
			from calls c join outcome_codes o on o.code = c.outcome_code join households h on h.id = c.household_id
			where c.direction = 'outbound' and c.recorded_at >= ${tokyoAt(since)}
			group by 1, 2
			returning attempts`;
	});
	slotPriorCache.delete(dataMode());
	return { refreshed: true, attempts: rows.reduce((s, r) => s + Number(r.attempts), 0) };
}

/** Per data set (issue #9): a placement in training must neither fill nor read the real priors, nor the reverse. */
const slotPriorCache = new Map<DataMode, { at: number; value: Record<LanguageGroup, Record<Slot, number>> | null }>();
const SLOT_PRIOR_TTL_MS = 10 * 60_000;

/**
 * The expected answer rate per slot for each language group (slotPriors over slot_answer_rates), null when nothing
 * has been counted yet; kept in memory for ten minutes (the placement of every outcome reads it: no extra round trip).
 */
export async function slotPriorsByGroup(sql: Db, now = Date.now()): Promise<Record<LanguageGroup, Record<Slot, number>> | null> {
	const mode = dataMode();
	const cached = slotPriorCache.get(mode);
	if (cached && now - cached.at < SLOT_PRIOR_TTL_MS) return cached.value;
	const rows = await sql<{ languageGroup: LanguageGroup; slot: Slot; attempts: number; answered: number }[]>`select language_group, slot, attempts, answered from slot_answer_rates`;
	const of = (g: LanguageGroup) => slotPriors(rows.filter((r) => r.languageGroup === g).map((r) => ({ slot: r.slot, attempts: Number(r.attempts), answered: Number(r.answered) })));
	const value = rows.length ? { ja: of('ja'), other: of('other') } : null;
	slotPriorCache.set(mode, { at: now, value });
	return value;
}

/** Forget the cached priors (tests). */
export function clearSlotPriorCache(): void {
	slotPriorCache.clear();
}
