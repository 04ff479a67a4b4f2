/**
 * Segments (区分) and operator assignments: the supervisor's editor. Every save names the version it started
 * from; a save over someone else's is refused with the current segment (never silently overwritten). A change
 * of filter, order or pause re-places the queue in the same transaction, is written to the access log and
 * published as `segment:changed`. The live preview counts the households a draft would match and would take
 * (a household belongs to the first active segment, in order, whose filter it matches).
 */
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { parseHoldoutPercent } from '../../domain/holdout.ts';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems, invalidInput } from '../errors.ts';
import { problem, type FieldProblem, type IssueLike } from '../../domain/field-problem.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { segmentFilterSchema, segmentFilterProblems, matchesFacts, describeFilter, type SegmentFilter } from '../../domain/segments.ts';
import { factsPage } from '../queue/facts.queries.ts';
import { rebuildQueue } from '../queue/placement.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './segments.queries.ts';
import { announceAssignment, recordFloorChange } from '../floor/changes.ts';

export interface NewSegment {
	code: string;
	nameJa: string;
	nameEn: string;
	description?: string;
	filter: SegmentFilter;
	sortOrder: number;
	/** points added to every score in the segment (0: none); set by migrations and seeding, not by the editor */
	priorityBoost?: number;
	/** the holdout share (0–0.5; seeding: the demo's 5%); absent: 0 on insert, unchanged on replace */
	holdoutShare?: number;
}

/** A new holdout seed: 128 random bits as 32 hex digits (the HMAC key of holdout.ts). */
export function newHoldoutSeed(): string {
	return randomBytes(16).toString('hex');
}

/** Seeding and tests: create or replace a segment by code (no permission: system work). */
export async function upsertSegment(tx: Db, s: NewSegment): Promise<number> {
	const [row] = await tx<{ id: number }[]>`
		insert into segments (code, name_ja, name_en, description, filter, sort_order, priority_boost)
		values (${s.code}, ${s.nameJa}, ${s.nameEn}, ${s.description ?? null}, ${tx.json(s.filter as never)}, ${s.sortOrder}, ${s.priorityBoost ?? 0})
		on conflict (code) do update set name_ja = excluded.name_ja, name_en = excluded.name_en, filter = excluded.filter,
		  sort_order = excluded.sort_order, priority_boost = excluded.priority_boost, version = segments.version + 1, updated_at = now()
		returning id`;
	if (s.holdoutShare !== undefined)
		await tx`update segments set holdout_share = ${s.holdoutShare}::numeric,
		  holdout_seed = case when ${s.holdoutShare}::numeric > 0 then coalesce(holdout_seed, ${newHoldoutSeed()}) else holdout_seed end,
		  holdout_started_at = case when ${s.holdoutShare}::numeric > 0 then coalesce(holdout_started_at, now()) else holdout_started_at end
		  where id = ${row.id}`;
	return row.id;
}

/** Seeding and tests: assign an operator to a segment (no permission: system work). */
export async function assignOperator(tx: Db, userId: number, segmentId: number, by: number | null = null): Promise<void> {
	await tx`insert into operator_segments (user_id, segment_id, assigned_by) values (${userId}, ${segmentId}, ${by}) on conflict do nothing`;
}

/**
 * The built-in segment of broken promises (約束不履行; migration 00018 creates it): households whose latest promise
 * was broken or only partly kept, first in order and with a priority boost so that they are called before others.
 */
export const brokenPromisesSegment: NewSegment = {
	code: 'broken-promises',
	nameJa: '約束不履行',
	nameEn: 'Broken promises',
	description: '最新の納付約束が不履行または一部履行の世帯（優先度を上げて架電）',
	filter: { promiseStatuses: ['broken', 'partly_kept'] },
	sortOrder: 5,
	priorityBoost: 1000
};

/** The default segments: broken promises, the ones the demo data needs and a catch-all. */
export const defaultSegments: NewSegment[] = [
	brokenPromisesSegment,
	{ code: 'foreign', nameJa: '外国籍世帯', nameEn: 'Foreign residents', description: '通訳・多言語スクリプト対応', filter: { excludeLanguages: ['ja'] }, sortOrder: 10 },
	{ code: 'high', nameJa: '高額滞納（10万円以上）', nameEn: 'High arrears (¥100,000+)', filter: { minOwed: 100_000 }, sortOrder: 20 },
	{ code: 'general', nameJa: '一般', nameEn: 'General', filter: {}, sortOrder: 90 }
];

// ─── views ──────────────────────────────────────────────────────────────────

export interface SegmentView {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	description: string | null;
	filter: SegmentFilter;
	/** the filter in words, one line per condition, in the reader's language */
	filterText: string[];
	sortOrder: number;
	active: boolean;
	version: number;
	updatedAt: Date;
	counts: q.SegmentCounts & { size: number };
	operators: q.OperatorRow[];
	/**
	 * The randomized holdout (issue #8): the share of newly seen households set aside (0–0.5), since when, and the
	 * households recorded in each arm so far (holdout_assignments)
	 */
	holdout: { share: number; startedAt: Date | null; heldOut: number; called: number };
}

function view(r: q.SegmentRow, locale: 'ja' | 'en', counts: q.SegmentCounts | undefined, operators: q.OperatorRow[], arms?: { heldOut: number; called: number }): SegmentView {
	const c = counts ?? { ready: 0, claimed: 0, waiting: 0, closed: 0 };
	const filter = r.filter as SegmentFilter;
	return {
		id: r.id,
		code: r.code,
		nameJa: r.nameJa,
		nameEn: r.nameEn,
		description: r.description,
		filter,
		filterText: describeFilter(filter, locale),
		sortOrder: r.sortOrder,
		active: r.active,
		version: r.version,
		updatedAt: r.updatedAt,
		// the live size: households the segment works (ready, held, waiting); closed ones are shown apart
		counts: { ...c, size: c.ready + c.claimed + c.waiting },
		operators,
		holdout: { share: Number(r.holdoutShare), startedAt: r.holdoutStartedAt, heldOut: arms?.heldOut ?? 0, called: arms?.called ?? 0 }
	};
}

/** Every segment in order, with its live counts and operators, and the operators that may be assigned. */
export async function segmentsOverview(actor: Actor) {
	requirePermission(actor, 'queue.manage');
	const sql = db();
	const [rows, counts, ops, pairs, arms] = await Promise.all([q.listSegments(sql), q.countsBySegment(sql), q.assignableOperators(sql), q.assignments(sql), q.holdoutCounts(sql)]);
	const opById = new Map(ops.map((o) => [o.id, o]));
	const bySegment = new Map<number, q.OperatorRow[]>();
	for (const p of pairs) {
		const o = opById.get(p.userId);
		if (o) bySegment.set(p.segmentId, [...(bySegment.get(p.segmentId) ?? []), o]);
	}
	return {
		segments: rows.map((r) => view(r, actor.locale, counts.get(r.id), bySegment.get(r.id) ?? [], arms.get(r.id))),
		operators: ops,
		assignments: pairs.filter((p) => opById.has(p.userId))
	};
}

/** One segment for its editor. */
export async function segmentDetail(actor: Actor, raw: { segmentId: unknown }): Promise<SegmentView> {
	requirePermission(actor, 'queue.manage');
	const parsed = z.object({ segmentId: id }).safeParse(raw);
	if (!parsed.success) throw new DomainError('not_found', 'no such segment');
	return loadView(db(), parsed.data.segmentId, actor.locale);
}

async function loadView(sql: Db, segmentId: number, locale: 'ja' | 'en'): Promise<SegmentView> {
	const r = await q.segmentById(sql, segmentId);
	if (!r) throw new DomainError('not_found', 'no such segment');
	const [counts, ops, pairs, arms] = await Promise.all([q.countsBySegment(sql), q.assignableOperators(sql), q.assignments(sql), q.holdoutCounts(sql)]);
	const mine = new Set(pairs.filter((p) => p.segmentId === segmentId).map((p) => p.userId));
	return view(r, locale, counts.get(segmentId), ops.filter((o) => mine.has(o.id)), arms.get(segmentId));
}

/** The choices the filter form offers (languages, nationalities, districts, card classes in the data). */
export async function filterChoices(actor: Actor) {
	requirePermission(actor, 'queue.manage');
	return q.filterChoices(db());
}

// ─── saving ─────────────────────────────────────────────────────────────────

/** A whole number, given as a number or a string of digits. */
const wholeNumber = z
	.union([z.number(), z.string().trim().regex(/^-?\d{1,9}$/, 'whole_number').transform(Number)], { error: 'whole_number' })
	.pipe(z.number({ error: 'whole_number' }).int('whole_number').min(-1_000_000, 'out_of_range').max(1_000_000, 'out_of_range'));

const nameText = z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long');

/**
 * The holdout share as the supervisor typed it, in percent (0–50, one decimal; blank = 0) → a fraction. Messages:
 * holdout_number, holdout_range (above 50% or below 0), holdout_precision.
 */
const holdoutPercent = z.unknown().transform((v, ctx) => {
	const r = parseHoldoutPercent(v);
	if (r.ok) return r.share;
	ctx.addIssue({ code: 'custom', message: r.error === 'out_of_range' ? 'holdout_range' : r.error === 'precision' ? 'holdout_precision' : 'holdout_number' });
	return z.NEVER;
});
const fields = {
	nameJa: nameText,
	nameEn: nameText,
	description: z
		.string()
		.trim()
		.max(500, 'too_long')
		.nullish()
		.transform((s) => (s ? s : null)),
	sortOrder: wholeNumber,
	filter: segmentFilterSchema
};
const createInput = z.object({
	code: z.string({ error: 'required' }).trim().min(1, 'required').regex(/^[a-z0-9-]{1,40}$/, 'code_format'),
	...fields,
	/** absent (a script, an older form): no holdout */
	holdoutPercent: holdoutPercent.optional().transform((v) => v ?? 0)
});
/** holdoutPercent absent (an older form, a script): the share is left as it is */
const updateInput = z.object({ segmentId: id, version: id, ...fields, holdoutPercent: holdoutPercent.optional() });

/**
 * A refused segment, field by field: the filter's problems as stable codes with their values (segmentFilterProblems:
 * filter.minOwed → min_value, params { min: 0 }); the other fields' messages are codes already (required,
 * code_format, whole_number, holdout_range …). The refusal's message stays English for API readers.
 */
function segmentRefusal(raw: unknown, issues: readonly IssueLike[]): DomainError {
	const problems: Record<string, FieldProblem> = {};
	for (const i of issues) if (i.path[0] !== 'filter') problems[i.path.map(String).join('.') || '(input)'] ??= problem(i.message, i.message);
	const filter = raw !== null && typeof raw === 'object' ? (raw as { filter?: unknown }).filter : undefined;
	const inFilter = issues.filter((i) => i.path[0] === 'filter').map((i) => ({ ...i, path: i.path.slice(1) }));
	return fieldProblems({ ...problems, ...segmentFilterProblems(filter, inFilter, 'filter.') });
}

/** A save that started from an older version: the segment as it is now travels with the refusal. */
export class StaleSegmentError extends DomainError {
	constructor(public readonly current: SegmentView) {
		super('conflict', `segment ${current.code} was saved by someone else (now version ${current.version}): review the current values and save again`, {
			version: String(current.version)
		});
	}
}

function isStale(e: unknown): e is StaleSegmentError {
	return e instanceof StaleSegmentError;
}
export { isStale as isStaleSegmentError };

async function announce(tx: Db, segmentId: number, version: number) {
	await publish(tx, { type: 'segment:changed', data: { segmentId, version } });
}

/**
 * Place every household again after segments changed (their filter, order, or pause). In the same transaction:
 * a claim sees the old placement or the new one, never half of each. Measured at 28,000 households: see
 * docs/queue.md ("Re-placing after a segment change").
 */
async function replace(tx: Db) {
	const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from segments where active`;
	if (n > 0) await rebuildQueue(tx);
}

/** Create a segment (supervisors). The queue is placed again so that it takes its households at once. */
export async function createSegment(actor: Actor, raw: unknown): Promise<SegmentView> {
	requirePermission(actor, 'queue.manage');
	const parsed = createInput.safeParse(raw);
	if (!parsed.success) throw segmentRefusal(raw, parsed.error.issues);
	const { holdoutPercent: holdoutShare, ...s } = parsed.data;
	return db().begin(async (tx) => {
		const row = await q.insertSegment(tx, { ...s, filter: s.filter as Record<string, unknown>, holdoutShare, holdoutSeed: newHoldoutSeed() });
		if (!row) throw new DomainError('invalid_input', 'code: taken', { code: 'taken' });
		await writeAccessLog(tx, actor, { action: 'segment.create', reason: `segment ${row.id} ${row.code} v${row.version}${holdoutShare > 0 ? ` holdout ${holdoutShare}` : ''}` });
		await replace(tx);
		await announce(tx, row.id, row.version);
		await recordFloorChange(tx, actor, 'segment_create', { segment: row.nameJa, segmentEn: row.nameEn }, `segment ${row.code} created`);
		return loadView(tx, row.id, actor.locale);
	});
}

/**
 * Save a segment's names, description, order and filter (supervisors), if it is still at the version the editor
 * started from; else StaleSegmentError with the current segment. The queue is placed again when the filter or
 * the order changed.
 */
export async function updateSegment(actor: Actor, raw: unknown): Promise<SegmentView> {
	requirePermission(actor, 'queue.manage');
	const parsed = updateInput.safeParse(raw);
	if (!parsed.success) throw segmentRefusal(raw, parsed.error.issues);
	const { segmentId, version, holdoutPercent: holdoutShare, ...s } = parsed.data;
	return db().begin(async (tx) => {
		const before = await q.lockSegment(tx, segmentId);
		if (!before) throw new DomainError('not_found', 'no such segment');
		const row =
			before.version === version ? await q.updateSegment(tx, segmentId, version, { ...s, filter: s.filter as Record<string, unknown>, holdoutShare, holdoutSeed: newHoldoutSeed() }) : undefined;
		if (!row) throw new StaleSegmentError(await loadView(tx, segmentId, actor.locale));
		const shareChanged = Number(before.holdoutShare) !== Number(row.holdoutShare);
		// a new share applies to households seen from now on: placing again assigns those not yet recorded
		const placementChanged = JSON.stringify(before.filter) !== JSON.stringify(row.filter) || before.sortOrder !== row.sortOrder || shareChanged;
		await writeAccessLog(tx, actor, {
			action: 'segment.update',
			reason: `segment ${row.id} ${row.code} v${row.version}${shareChanged ? ` holdout ${Number(before.holdoutShare)}→${Number(row.holdoutShare)}` : ''}${placementChanged ? ' (filter/order/holdout: re-placed)' : ''}`
		});
		if (placementChanged && row.active) await replace(tx);
		await announce(tx, row.id, row.version);
		await recordFloorChange(tx, actor, 'segment_update', { segment: row.nameJa, segmentEn: row.nameEn, version: row.version }, `segment ${row.code} saved (v${row.version})`);
		return loadView(tx, row.id, actor.locale);
	});
}

const activeInput = z.object({ segmentId: id, version: id, active: z.boolean({ error: 'required' }) });

/**
 * Pause or resume a segment (supervisors), with the same version check. A paused segment is skipped by claims
 * and by placement: its households go to the next segment whose filter they match.
 */
export async function setSegmentActive(actor: Actor, raw: unknown): Promise<SegmentView> {
	requirePermission(actor, 'queue.manage');
	const parsed = activeInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { segmentId, version, active } = parsed.data;
	return db().begin(async (tx) => {
		const before = await q.lockSegment(tx, segmentId);
		if (!before) throw new DomainError('not_found', 'no such segment');
		const row = before.version === version ? await q.setSegmentActive(tx, segmentId, version, active) : undefined;
		if (!row) throw new StaleSegmentError(await loadView(tx, segmentId, actor.locale));
		await writeAccessLog(tx, actor, { action: 'segment.update', reason: `segment ${row.id} ${row.code} v${row.version} ${active ? 'resumed' : 'paused'}` });
		if (before.active !== active) await replace(tx);
		await announce(tx, row.id, row.version);
		await recordFloorChange(tx, actor, active ? 'resume' : 'pause', { segment: row.nameJa, segmentEn: row.nameEn }, `segment ${row.code} ${active ? 'resumed' : 'paused'}`);
		return loadView(tx, row.id, actor.locale);
	});
}

// ─── assignments ────────────────────────────────────────────────────────────

const assignInput = z.object({
	/** the operators and segments the form showed (only assignments between them change) */
	operatorIds: z.array(id).max(1000, 'too_long'),
	segmentIds: z.array(id).max(1000, 'too_long'),
	/** the checked boxes: operator × segment */
	pairs: z.array(z.object({ userId: id, segmentId: id })).max(100_000, 'too_long'),
	/** the version of each shown operator's segments as the form showed them (optional: absent, the save is unchecked) */
	versions: z.array(z.object({ userId: id, version: id })).max(1000, 'too_long').optional()
});

/** A matrix save that would undo assignments someone else changed since the form was shown. */
export class StaleAssignmentsError extends DomainError {
	constructor(public readonly current: { userId: number; displayName: string; version: number; segmentIds: number[] }[]) {
		super('conflict', `the segments of ${current.map((c) => c.displayName).join(', ')} were changed by someone else: review the current assignments and save again`, {
			operators: current.map((c) => c.displayName).join('、')
		});
	}
}

/**
 * Make the assignments between the shown operators and segments exactly the checked pairs (supervisors). Effective at the operator's next
 * claim (claims read operator_segments). Each change is in the access log; one `segment:changed` per segment
 * touched.
 */
export async function setAssignments(actor: Actor, raw: unknown): Promise<{ added: number; removed: number }> {
	requirePermission(actor, 'queue.manage');
	const parsed = assignInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { operatorIds, segmentIds, pairs, versions } = parsed.data;
	if (pairs.some((p) => !operatorIds.includes(p.userId) || !segmentIds.includes(p.segmentId))) throw invalidInput([{ path: ['pairs'], message: 'invalid' }]);
	return db().begin(async (tx) => {
		if (versions?.length) {
			// an operator changed since the form was shown, whose boxes would change their assignments now, is a
			// stale edit (saving would undo the other change): refused, nothing written
			const shown = new Map(versions.map((v) => [v.userId, v.version]));
			const now = await q.lockAssignmentVersions(tx, [...shown.keys()].filter((u) => operatorIds.includes(u)));
			const changed = [...now].filter(([u, v]) => shown.get(u) !== v).map(([u]) => u);
			if (changed.length) {
				const current = await q.assignments(tx);
				const names = new Map((await q.assignableOperators(tx)).map((o) => [o.id, o.displayName]));
				const stale = changed
					.map((u) => {
						const has = current.filter((p) => p.userId === u && segmentIds.includes(p.segmentId)).map((p) => p.segmentId).sort((a, b) => a - b);
						const wants = pairs.filter((p) => p.userId === u).map((p) => p.segmentId).sort((a, b) => a - b);
						return { userId: u, displayName: names.get(u) ?? `#${u}`, version: now.get(u)!, segmentIds: current.filter((p) => p.userId === u).map((p) => p.segmentId), differs: has.join() !== wants.join() };
					})
					.filter((s) => s.differs)
					.map(({ differs: _d, ...s }) => s);
				if (stale.length) throw new StaleAssignmentsError(stale);
			}
		}
		const { added, removed } = await q.replaceAssignments(tx, operatorIds, segmentIds, pairs, actor.id > 0 ? actor.id : null);
		for (const p of added) await writeAccessLog(tx, actor, { action: 'segment.assign', reason: `operator ${p.userId} assigned to segment ${p.segmentId}` });
		for (const p of removed) await writeAccessLog(tx, actor, { action: 'segment.assign', reason: `operator ${p.userId} unassigned from segment ${p.segmentId}` });
		const touched = new Set([...added, ...removed].map((p) => p.segmentId));
		for (const segmentId of touched) {
			// assignments are not part of the segment's row: the event carries its current version (unchanged)
			const [s] = await tx<{ version: number }[]>`select version from segments where id = ${segmentId}`;
			if (s) await announce(tx, segmentId, s.version);
		}
		if (added.length + removed.length > 0) {
			const names = new Map((await q.listSegments(tx)).map((r) => [r.id, r.nameJa]));
			const ops = new Map((await q.assignableOperators(tx)).map((o) => [o.id, o.displayName]));
			const list = (ps: { userId: number; segmentId: number }[]) => ps.map((p) => `${ops.get(p.userId) ?? `#${p.userId}`}→${names.get(p.segmentId) ?? `#${p.segmentId}`}`).join('、') || null;
			await recordFloorChange(tx, actor, 'assign', { operator: null, added: list(added), removed: list(removed) }, `assignments: +${added.length} −${removed.length}`);
			for (const userId of new Set([...added, ...removed].map((p) => p.userId))) await announceAssignment(tx, actor, userId);
		}
		return { added: added.length, removed: removed.length };
	});
}

// ─── preview ────────────────────────────────────────────────────────────────

const previewInput = z.object({
	/** the segment being edited (its stored filter is replaced by the draft); absent for a new one */
	segmentId: id.optional(),
	sortOrder: wholeNumber,
	filter: segmentFilterSchema
});

const PREVIEW_PAGE = 50_000;

export interface SegmentPreview {
	/** active households whose facts match the draft filter now */
	matching: number;
	/** of those, the ones the draft would take: no active segment before it (in order) matches them first */
	placed: number;
	/** households looked at */
	households: number;
	/** the Tokyo date the facts are computed for */
	asOf: string;
	/** time taken, ms (shown on the page: the preview reads every household's facts) */
	ms: number;
}

/**
 * How many households a draft segment would match and take now: every household's facts, page by page, through
 * the same pure filter the placement uses (matchesFacts), the other active segments in order before it. Reads
 * no personal data out (counts only), so nothing is written to the access log.
 */
export async function previewSegment(actor: Actor, raw: unknown): Promise<SegmentPreview> {
	requirePermission(actor, 'queue.manage');
	const parsed = previewInput.safeParse(raw);
	if (!parsed.success) throw segmentRefusal(raw, parsed.error.issues);
	const { segmentId, sortOrder, filter } = parsed.data;
	const started = performance.now();
	const sql = db();
	const today = tokyoDate();
	const now = new Date();
	const others = (await q.listSegments(sql)).filter((s) => s.active && s.id !== segmentId);
	// the segments a household would meet before the draft: lower sort order, or the same order and a lower id
	// (a new segment gets the highest id, so it comes after those with its order)
	const before = others
		.filter((s) => s.sortOrder < sortOrder || (s.sortOrder === sortOrder && (segmentId === undefined || s.id < segmentId)))
		.sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id)
		.map((s) => s.filter as SegmentFilter);
	let matching = 0;
	let placed = 0;
	let households = 0;
	for (let afterId = 0; ; ) {
		// large pages: each factsPage call has a fixed cost of seconds at 28,000 households (measured 3.0 s for
		// 5,000 and for 20,000 rows, load 9 on 2 cores), so fewer calls are much faster; 50,000 facts fit in memory
		const page = await factsPage(sql, today, afterId, PREVIEW_PAGE);
		if (page.length === 0) break;
		afterId = page[page.length - 1].householdId;
		households += page.length;
		for (const f of page) {
			if (!matchesFacts(filter, f, now)) continue;
			matching++;
			if (!before.some((b) => matchesFacts(b, f, now))) placed++;
		}
	}
	return { matching, placed, households, asOf: today, ms: Math.round(performance.now() - started) };
}
