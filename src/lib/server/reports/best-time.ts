/**
 * Best time to call (issue #8): the answer rate of outbound attempts by weekday × hour (Tokyo) over a period
 * (default: this fiscal year so far), for all households or one segment, and for a language group. Aggregates only
 * (no household is identified): not in the access log. Policy: reports.view (managers, supervisors).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { invalidInput } from '../errors.ts';
import { isoDate } from '../validation.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import { addDays, tokyoAt } from '../../domain/tokyo-time.ts';
import { heatmap, type CellCount, type Heatmap } from '../../domain/best-time.ts';

const input = z
	.object({
		from: isoDate.optional(),
		to: isoDate.optional(),
		segment: z.coerce.number().int().positive('a segment id').optional(),
		/** all, ja (Japanese), foreign (any other), or one language code */
		language: z.string().regex(/^(all|ja|foreign|[a-z]{2})$/, 'all, ja, foreign or a language code').optional()
	})
	.refine((r) => !r.from || !r.to || r.from <= r.to, { path: ['to'], message: 'on or after from' });

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

export async function bestTime(actor: Actor, raw: { from?: unknown; to?: unknown; segment?: unknown; language?: unknown } = {}, now = new Date()): Promise<BestTimeReport> {
	requirePermission(actor, 'reports.view');
	const parsed = input.safeParse({ from: raw.from || undefined, to: raw.to || undefined, segment: raw.segment || undefined, language: raw.language || undefined });
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const today = tokyoDate(now);
	const from = parsed.data.from ?? `${fiscalYearOf(today)}-04-01`;
	const to = parsed.data.to ?? today;
	const segment = parsed.data.segment ?? null;
	const language = parsed.data.language ?? 'all';
	const sql = db();
	const [counts, segments, languages] = await Promise.all([
		cellCounts(sql, { from: tokyoAt(from), to: tokyoAt(addDays(to, 1)), segment, language }),
		sql<{ id: number; code: string; nameJa: string; nameEn: string }[]>`select id, code, name_ja, name_en from segments order by sort_order, id`,
		sql<{ language: string }[]>`select distinct language from households order by 1`
	]);
	return { ...heatmap(counts), from, to, segment, language, segments, languages: languages.map((l) => l.language) };
}
