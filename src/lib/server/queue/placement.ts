/**
 * Placing households in the queue: from a household's facts (facts.queries.ts), the active segments
 * (segments.ts), the priority score (priority.ts) and the calling rules (calling-rules.ts) to its call_queue
 * row: segment, priority (+ the score's reasons), state (ready / waiting until … because … / closed because …),
 * the callback it has and who it is reserved for, and whether its numbers are shared.
 *
 * Called for one household after every call (calls.ts), callback, do-not-call or handoff change, and page by
 * page for every active household after an import, a segment change or a calling-rules change (rebuildQueue).
 *
 * Rules of this module:
 * - a row claimed by an operator is never taken from them: only its segment, priority and flags are updated;
 * - a household no active segment takes leaves the queue (its row is deleted; its calls and history stay);
 * - a resolved household, or one that owes nothing overdue, is closed 'resolved'; one without a callable number
 *   'no_phone' (letter candidates, #7); an indefinite suppression (do-not-call without end, an open handoff)
 *   closes it with that reason; closures made by hand (closed_reason not derived from facts) stay closed;
 * - "retry later" is not a fact: it is the outcome's retry time, kept from the current row (a waiting row whose
 *   wait_reason is retry or shared_phone) unless the caller passes `retryAfter`.
 */
import type { Db } from '../db.ts';
import { publish } from '../publish.ts';
import { tokyoDate } from '../../domain/format.ts';
import { placement, timeSlot, tokyoAt, tokyoDay, tokyoMinutes, type CallingRules } from '../../domain/calling-rules.ts';
import { segmentForFacts, type SegmentDef, type SegmentFilter } from '../../domain/segments.ts';
import { priorityScore, withSegmentBoost } from '../../domain/priority.ts';
import type { HouseholdFacts } from '../../domain/household-facts.ts';
import type { QueueState } from '../../domain/outcomes.ts';
import { factsFor, factsPage } from './facts.queries.ts';
import { loadCallingRules } from './rules.ts';
import * as q from './placement.queries.ts';
import type { QueueRow } from './claims.queries.ts';
import { notCallableReason } from '../../domain/live-floor.ts';
import { isHeldOut } from '../../domain/holdout.ts';

/** Closed reasons the facts decide (placement may open such a row again); any other closure was made by hand. */
const DERIVED_CLOSURES = new Set(['no_phone', 'resolved', 'do_not_call', 'handoff', 'no_segment', 'holdout']);
/** Wait reasons that are not facts: kept as the retry time when placed again. */
const KEPT_WAITS = new Set(['retry', 'shared_phone']);

export interface PlacedRow {
	householdId: number;
	segmentId: number;
	priority: number;
	priorityDetail: unknown;
	state: Exclude<QueueState, 'claimed'>;
	nextEligibleAt: Date | null;
	waitReason: string | null;
	closedReason: string | null;
	callbackAt: Date | null;
	reservedFor: number | null;
	reservedUntil: Date | null;
	sharesPhone: boolean;
}

/** What placement needs to know of the current row (null when the household has none). */
export interface CurrentRow {
	state: QueueState;
	nextEligibleAt: Date | null;
	waitReason: string | null;
	closedReason: string | null;
	/** the segment the row is in (absent where it does not matter) */
	segmentId?: number;
}

/**
 * Pure: where one household goes. null = no segment takes it (it leaves the queue).
 * `retryAfter` undefined keeps the current row's retry wait.
 */
export function placeFromFacts(input: {
	facts: HouseholdFacts;
	resolved: boolean;
	segments: readonly SegmentDef[];
	rules: CallingRules;
	now: Date;
	retryAfter?: Date | null;
	current: CurrentRow | null;
	callback: { dueAt: Date; onlyMe: boolean; operatorId: number } | null;
	/**
	 * Whether the household is held out of the segment's calls (the randomized holdout, holdout.ts): asked only for
	 * a household the segment would call (owing, active, with a callable number, not closed by hand), so that only
	 * those take part in the comparison. Absent: no holdout.
	 */
	heldOut?: (segmentId: number) => boolean;
}): PlacedRow | null {
	const { facts: h, rules, now, current } = input;
	const segmentId = segmentForFacts(input.segments, h, now);
	if (segmentId === null) return null;
	let retryAfter = input.retryAfter;
	if (retryAfter === undefined)
		retryAfter =
			current && current.state === 'waiting' && current.nextEligibleAt && current.nextEligibleAt > now && (current.waitReason === null || KEPT_WAITS.has(current.waitReason))
				? current.nextEligibleAt
				: null;

	let state: PlacedRow['state'];
	let nextEligibleAt: Date | null = null;
	let waitReason: string | null = null;
	let closedReason: string | null = null;
	if (input.resolved || h.owed <= 0) {
		state = 'closed';
		closedReason = 'resolved';
	} else if (h.phoneKinds.length === 0) {
		state = 'closed';
		closedReason = 'no_phone';
	} else if (current?.state === 'closed' && current.closedReason && !DERIVED_CLOSURES.has(current.closedReason)) {
		state = 'closed';
		closedReason = current.closedReason;
	} else if ((input.heldOut?.(segmentId) ?? false) && !input.callback) {
		// held out: not called from this segment (an open callback the household asked for on an inbound call is
		// kept: it is placed as usual until the callback is done)
		state = 'closed';
		closedReason = 'holdout';
	} else {
		const p = placement({ h, rules, now, retryAfter });
		state = p.state;
		if (p.state === 'closed') closedReason = p.reason;
		else if (p.state === 'waiting') {
			nextEligibleAt = p.nextEligibleAt;
			// the retry time kept from a shared-phone deferral keeps its name
			waitReason = p.reason === 'retry' && input.retryAfter === undefined && current?.waitReason === 'shared_phone' ? 'shared_phone' : p.reason;
		}
	}
	// scored for the slot in which it becomes callable (contact probability depends on the time of day)
	const boost = input.segments.find((s) => s.id === segmentId)?.priorityBoost ?? 0;
	const scored = withSegmentBoost(priorityScore(h, now, timeSlot(nextEligibleAt && nextEligibleAt > now ? nextEligibleAt : now)), boost);
	const cb = input.callback;
	return {
		householdId: h.householdId,
		segmentId,
		priority: scored.score,
		priorityDetail: scored.reasons,
		state,
		nextEligibleAt,
		waitReason,
		closedReason,
		callbackAt: cb ? cb.dueAt : null,
		reservedFor: cb?.onlyMe ? cb.operatorId : null,
		reservedUntil: cb?.onlyMe ? new Date(cb.dueAt.getTime() + rules.callbackGraceMinutes * 60_000) : null,
		sharesPhone: h.sharesPhone
	};
}

/** JSON with keys in a stable order (jsonb reorders keys), for comparing stored score reasons with new ones. */
function canonical(v: unknown): string {
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object')
		return `{${Object.keys(v)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(v ?? null);
}

/** Whether a placement is what the row holds already (the bulk rebuild then leaves the row alone: no write, no lock). */
export function samePlacement(cur: CurrentRow & Omit<PlacedRow, 'state'>, p: PlacedRow): boolean {
	const t = (d: Date | null) => (d ? d.getTime() : null);
	const flagsSame =
		cur.segmentId === p.segmentId &&
		cur.priority === p.priority &&
		t(cur.callbackAt) === t(p.callbackAt) &&
		cur.reservedFor === p.reservedFor &&
		t(cur.reservedUntil) === t(p.reservedUntil) &&
		cur.sharesPhone === p.sharesPhone &&
		canonical(cur.priorityDetail) === canonical(p.priorityDetail);
	if (!flagsSame) return false;
	if (cur.state === 'claimed') return true;
	return cur.state === p.state && t(cur.nextEligibleAt) === t(p.nextEligibleAt) && cur.waitReason === p.waitReason && cur.closedReason === p.closedReason;
}

/** An active segment as placement uses it: its filter, order, boost and holdout. */
export interface PlacementSegment extends SegmentDef {
	/** the share held out of newly seen households (0: none) */
	holdoutShare: number;
	holdoutSeed: string | null;
	/** households have arms recorded in it (a share set back to 0 still keeps those held out) */
	hasHoldout: boolean;
}

async function activeSegments(tx: Db): Promise<PlacementSegment[]> {
	return (await q.activeSegments(tx)).map((s) => ({
		id: s.id,
		sortOrder: s.sortOrder,
		filter: s.filter as SegmentFilter,
		priorityBoost: s.priorityBoost,
		holdoutShare: Number(s.holdoutShare),
		holdoutSeed: s.holdoutSeed,
		hasHoldout: s.hasHoldout
	}));
}

/** Whether any active segment has a holdout (else placement reads and writes no arms). */
function anyHoldout(segments: readonly PlacementSegment[]): boolean {
	return segments.some((s) => s.holdoutShare > 0 || s.hasHoldout);
}

/**
 * The holdout arms of a page of households: the recorded ones, and for a household first seen in a segment with a
 * share, its draw (isHeldOut), collected in `fresh` for the caller to record (recordArms) in the same transaction.
 */
export function holdoutArms(segments: readonly PlacementSegment[], recorded: readonly q.HoldoutArm[]) {
	const known = new Map(recorded.map((a) => [`${a.segmentId}:${a.householdId}`, a.heldOut]));
	const bySegment = new Map(segments.map((s) => [s.id, s]));
	const fresh: (q.HoldoutArm & { share: number })[] = [];
	return {
		fresh,
		of:
			(householdId: number) =>
			(segmentId: number): boolean => {
				const key = `${segmentId}:${householdId}`;
				const got = known.get(key);
				if (got !== undefined) return got;
				const s = bySegment.get(segmentId);
				if (!s || !(s.holdoutShare > 0) || !s.holdoutSeed) return false;
				const heldOut = isHeldOut(s.holdoutSeed, s.holdoutShare, householdId);
				known.set(key, heldOut);
				fresh.push({ segmentId, householdId, heldOut, share: s.holdoutShare });
				return heldOut;
			}
	};
}

/** The reads placement needs besides the facts and the queue row, sent together. */
function independentReads(tx: Db, householdId: number, rules: CallingRules | undefined) {
	return Promise.all([q.householdStatus(tx, householdId), q.openCallbacks(tx, [householdId]), activeSegments(tx), rules ?? loadCallingRules(tx), q.holdoutArms(tx, [householdId])]);
}

/**
 * Place one household now (after a call, a callback, a do-not-call instruction, a handoff, a new number …), in
 * the caller's transaction. Returns the queue row as it is afterwards, or null when the household is not in the
 * queue (no segment takes it, or it does not exist). A row claimed by an operator keeps its claim and state.
 * `retryAfter`: the outcome's "call again after" time; undefined keeps the current retry wait; null drops it.
 */
export async function placeHousehold(
	tx: Db,
	householdId: number,
	/**
	 * `rules`: the calling rules when the caller has read them already in this transaction; `rowLocked`: the caller
	 * holds the household's call_queue row lock already (a recorded outcome), so nothing here can wait for it and
	 * every read goes out at once
	 */
	opts: { now?: Date; retryAfter?: Date | null; rules?: CallingRules; rowLocked?: boolean } = {}
): Promise<QueueRow | null> {
	const now = opts.now ?? new Date();
	const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => {}), p);
	let facts: HouseholdFacts | undefined;
	let current: CurrentRow | null;
	let reads: ReturnType<typeof independentReads>;
	if (opts.rowLocked) {
		const locked = quiet(q.lockCurrent(tx, [householdId]));
		const factsRead = quiet(factsFor(tx, [householdId], tokyoDate(now)));
		reads = quiet(independentReads(tx, householdId, opts.rules));
		[facts] = await factsRead;
		current = (await locked)[0] ?? null;
	} else {
		[facts] = await factsFor(tx, [householdId], tokyoDate(now));
		if (!facts) return null;
		current = (await q.lockCurrent(tx, [householdId]))[0] ?? null;
		// independent reads, pipelined on the transaction's connection (after the row lock is held, not behind it)
		reads = independentReads(tx, householdId, opts.rules);
	}
	const [status, callbacks, segments, rules, recordedArms] = await reads;
	if (!facts) return null;
	const callback = callbacks[0] ?? null;
	const arms = holdoutArms(segments, recordedArms);
	const placed = placeFromFacts({
		facts,
		resolved: status !== 'active',
		segments,
		rules,
		now,
		retryAfter: opts.retryAfter,
		current,
		callback,
		heldOut: arms.of(householdId)
	});
	await q.recordArms(tx, arms.fresh);
	if (!placed) {
		if (current && current.state !== 'claimed') {
			await q.removeRows(tx, [householdId]);
			await publish(tx, { type: 'queue:bulk', data: { reason: 'rebuilt', count: 1 } });
		}
		return current?.state === 'claimed' ? ((await q.rowsOf(tx, [householdId]))[0] ?? null) : null;
	}
	const [row] = await q.writePlaced(tx, [placed]);
	// the households it shares a number with share it with this one too (their flag may predate the number)
	if (placed.sharesPhone) await q.flagSharers(tx, householdId);
	// a move, or a row that stays where it is for another reason (waiting for a promise instead of a retry): the live
	// views' breakdown of why households are not callable follows from the reasons the event carries
	const fromReason = current ? notCallableReason(current) : null;
	const toReason = row ? notCallableReason(row) : null;
	const fromSegmentId = current?.segmentId !== undefined && current.segmentId !== row?.segmentId ? current.segmentId : undefined;
	if (row && (!current || current.state !== row.state || fromReason !== toReason || fromSegmentId !== undefined))
		await publish(tx, {
			type: 'queue:changed',
			data: { householdId, segmentId: row.segmentId, from: current?.state ?? null, to: row.state, version: row.version, fromReason, toReason, ...(fromSegmentId !== undefined ? { fromSegmentId } : {}) }
		});
	return row ?? (await q.rowsOf(tx, [householdId]))[0] ?? null;
}

/**
 * Place a set of households now (after a reconciliation changed their promises), in batches: the same as
 * placeHousehold for each, with the statements of rebuildQueue (one facts query per batch instead of one per
 * household). Claimed rows keep their claim; households no segment takes leave the queue. Publishes one
 * queue:bulk. Returns how many rows were written or removed.
 */
export async function placeHouseholds(tx: Db, householdIds: readonly number[], opts: { now?: Date; batch?: number } = {}): Promise<number> {
	const ids = [...new Set(householdIds)].sort((a, b) => a - b);
	if (ids.length === 0) return 0;
	const segments = await activeSegments(tx);
	if (segments.length === 0) return 0;
	const rules = await loadCallingRules(tx);
	const now = opts.now ?? new Date();
	const today = tokyoDate(now);
	const size = opts.batch ?? 2000;
	let written = 0;
	for (let i = 0; i < ids.length; i += size) {
		const batch = ids.slice(i, i + size);
		const [facts, currentRows, callbacks, statuses, recordedArms] = await Promise.all([
			factsFor(tx, batch, today),
			q.currentRows(tx, batch),
			q.openCallbacks(tx, batch),
			q.householdStatuses(tx, batch),
			anyHoldout(segments) ? q.holdoutArms(tx, batch) : []
		]);
		const arms = holdoutArms(segments, recordedArms);
		const current = new Map(currentRows.map((r) => [r.householdId, r]));
		const cbs = new Map(callbacks.map((c) => [c.householdId, c]));
		const rows: PlacedRow[] = [];
		const gone: number[] = [];
		for (const f of facts) {
			const cur = current.get(f.householdId) ?? null;
			const placed = placeFromFacts({ facts: f, resolved: statuses.get(f.householdId) !== 'active', segments, rules, now, current: cur, callback: cbs.get(f.householdId) ?? null, heldOut: arms.of(f.householdId) });
			if (!placed) {
				if (cur && cur.state !== 'claimed') gone.push(f.householdId);
			} else if (!cur || !samePlacement(cur, placed)) rows.push(placed);
		}
		if (rows.length) {
			await q.writePlaced(tx, rows, { onlyChanged: true, returning: false });
			written += rows.length;
		}
		if (gone.length) written += await q.removeRows(tx, gone);
		await q.recordArms(tx, arms.fresh);
	}
	await publish(tx, { type: 'queue:bulk', data: { reason: 'rebuilt', count: written } });
	return written;
}

/**
 * Recompute the placement of every active household from its facts (after a seed, an import, a segment or a
 * calling-rules change), page by page in the caller's transaction. Households no segment takes leave the
 * queue; claimed rows keep their claim. Keeps its old signature (imports call it).
 */
export async function rebuildQueue(
	tx: Db,
	today = tokyoDate(),
	opts: { now?: Date; pageSize?: number } = {}
): Promise<{ queued: number; noPhone: number; notOwing: number; removed: number }> {
	const segments = await activeSegments(tx);
	if (segments.length === 0) throw new Error('no active segment: create one before building the queue');
	const rules = await loadCallingRules(tx);
	const now = opts.now ?? new Date();
	let queued = 0;
	let noPhone = 0;
	let notOwing = 0;
	let removed = 0;
	const pageSize = opts.pageSize ?? 5000;
	const withHoldout = anyHoldout(segments);
	// Pipelined on the transaction's one connection: the next page's reads are sent as soon as this page's last id
	// is known, and this page's writes are not waited for, so PostgreSQL reads and writes while this process
	// places (one page in flight each way; memory stays two pages). A failed statement fails the transaction and
	// every statement after it, so the first failure awaited is the one thrown; the others are only silenced.
	const quiet = <T>(p: Promise<T>): Promise<T> => {
		p.catch(() => {});
		return p;
	};
	const readPage = async (afterId: number) => {
		const page = await factsPage(tx, today, afterId, pageSize);
		if (page.length === 0) return null;
		const ids = page.map((f) => f.householdId);
		const [current, callbacks, recordedArms] = await Promise.all([q.currentRows(tx, ids), q.openCallbacks(tx, ids), withHoldout ? q.holdoutArms(tx, ids) : []]);
		return { page, current, callbacks, recordedArms };
	};
	const writes: Promise<unknown>[] = [];
	let next = quiet(readPage(0));
	for (;;) {
		const got = await next;
		if (!got) break;
		const { page } = got;
		// the next page follows this one's last id: ask for it before placing this one
		next = quiet(readPage(page[page.length - 1].householdId));
		const current = new Map(got.current.map((r) => [r.householdId, r]));
		const callbacks = new Map(got.callbacks.map((c) => [c.householdId, c]));
		const arms = holdoutArms(segments, got.recordedArms);
		const rows: PlacedRow[] = [];
		const gone: number[] = [];
		for (const facts of page) {
			const cur = current.get(facts.householdId) ?? null;
			const placed = placeFromFacts({ facts, resolved: false, segments, rules, now, current: cur, callback: callbacks.get(facts.householdId) ?? null, heldOut: arms.of(facts.householdId) });
			if (!placed) {
				if (cur && cur.state !== 'claimed') gone.push(facts.householdId);
				continue;
			}
			if (!cur || !samePlacement(cur, placed)) rows.push(placed);
			if (placed.closedReason === 'no_phone') noPhone++;
			else if (placed.closedReason === 'resolved') notOwing++;
			else queued++;
		}
		if (rows.length) writes.push(quiet(q.writePlaced(tx, rows, { onlyChanged: true, returning: false })));
		if (gone.length) writes.push(quiet(q.removeRows(tx, gone).then((n) => (removed += n))));
		if (arms.fresh.length) writes.push(quiet(q.recordArms(tx, arms.fresh)));
	}
	await Promise.all(writes);
	await publish(tx, { type: 'queue:bulk', data: { reason: 'rebuilt', count: queued + noPhone + notOwing } });
	return { queued, noPhone, notOwing, removed };
}

/** The start of the time slot `now` is in (00:00, 12:00 or 17:00 Tokyo). */
export function slotStart(now: Date): Date {
	const m = tokyoMinutes(now);
	return tokyoAt(tokyoDay(now), m >= 17 * 60 ? '17:00' : m >= 12 * 60 ? '12:00' : '00:00');
}

/** Minutes after a slot boundary during which the sweeper re-scores (each row once: its updated_at moves past the boundary). */
export const RESCORE_MINUTES = 30;

/**
 * After a time-slot boundary, ready households with call history get the score of the new slot (their contact
 * probability differs by time of day). A batch per call (rows taken with SKIP LOCKED: several instances share the
 * work); only during the first RESCORE_MINUTES of a slot. Returns how many were re-scored.
 */
export async function rescoreForSlot(tx: Db, now: Date, batch = 500): Promise<number> {
	const since = slotStart(now);
	if (now.getTime() - since.getTime() > RESCORE_MINUTES * 60_000) return 0;
	const stale = await q.staleScores(tx, since, batch);
	if (stale.length === 0) return 0;
	const slot = timeSlot(now);
	const [facts, segments] = await Promise.all([factsFor(tx, stale.map((s) => s.householdId), tokyoDate(now)), activeSegments(tx)]);
	const boosts = new Map(segments.map((s) => [s.id, s.priorityBoost ?? 0]));
	const segmentOf = new Map(stale.map((s) => [s.householdId, s.segmentId]));
	const scores = facts.map((f) => ({ householdId: f.householdId, ...withSegmentBoost(priorityScore(f, now, slot), boosts.get(segmentOf.get(f.householdId)!) ?? 0) }));
	await q.writeScores(tx, scores);
	return scores.length;
}
