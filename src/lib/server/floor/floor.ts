/**
 * The supervisor's floor controls (issue #6): assign operators to segments (the board), pause/resume and reorder
 * segments, release a stuck claim, message operators, set the day's targets and the long-call/long-break
 * thresholds. Each is `(actor, input) → queue.manage → zod → one transaction → events`: written to the access log
 * and to today's changes (floor_changes), published as `floor:changed` so every supervisor's console recomputes
 * at once. Every save that edits something a supervisor saw names the version it saw; a save over someone
 * else's is refused with StaleFloorError carrying the current value (never silently overwritten).
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { tokyoDate } from '../../domain/format.ts';
import { limits, reorder, type DayTargets, type FloorControls, type FloorThresholds, type StaleSubject } from '../../domain/floor-controls.ts';
import { isStaleSegmentError, setSegmentActive } from '../segments/segments.ts';
import { placeHousehold, rebuildQueue } from '../queue/placement.ts';
import { releaseClaim, lapsedOperatorAvailable } from '../queue/claims.queries.ts';
import { recordOperatorState } from '../queue/states.ts';
import { announceAssignment, recordFloorChange } from './changes.ts';
import * as q from './floor.queries.ts';
import { notCallableReason } from '../../domain/live-floor.ts';

/** A control over something that changed since the supervisor saw it: the current value travels with it. */
export class StaleFloorError extends DomainError {
	constructor(
		public readonly subject: StaleSubject,
		public readonly current: Record<string, unknown>,
		message: string
	) {
		super('conflict', message, { subject });
	}
}

export function isStaleFloorError(e: unknown): e is StaleFloorError {
	return e instanceof StaleFloorError;
}

/** What the console's controls show now (the live engine reads floorControls(db) itself, once per recompute). */
export async function floorControlsFor(actor: Actor): Promise<FloorControls> {
	requirePermission(actor, 'queue.manage');
	const cfg = loadConfig();
	return q.floorControls(db(), { configured: { longCallMinutes: cfg.LONG_CALL_MINUTES, longBreakMinutes: cfg.LONG_BREAK_MINUTES } });
}

const names = (m: Map<number, { nameJa: string }>, ids: number[]) => ids.map((i) => m.get(i)?.nameJa ?? `#${i}`).join('、');

// ─── assignments ────────────────────────────────────────────────────────────

const assignInput = z.object({
	operatorId: id,
	/** the version of the operator's segments the board showed */
	version: id,
	/** the operator's segments after the move (empty: unassigned) */
	segmentIds: z.array(id).max(200, 'too_long')
});

/**
 * Set one operator's segments (the board: a card dragged to another column, or chosen with the keyboard), if
 * their assignments are still at the version the board showed. Effective at the operator's next claim (claims
 * read operator_segments); a household they hold now stays theirs until its outcome.
 */
export async function assignOperator(actor: Actor, raw: unknown): Promise<{ operatorId: number; version: number; segmentIds: number[] }> {
	requirePermission(actor, 'queue.manage');
	const parsed = assignInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { operatorId, version } = parsed.data;
	const segmentIds = [...new Set(parsed.data.segmentIds)].sort((a, b) => a - b);
	return db().begin(async (tx) => {
		const op = await q.userById(tx, operatorId);
		if (!op || op.role !== 'operator' || op.disabled) throw invalidInput([{ path: ['operatorId'], message: 'not_operator' }]);
		const cur = await q.lockAssignment(tx, operatorId);
		const known = await q.segmentNames(tx, [...new Set([...segmentIds, ...cur.segmentIds])]);
		if (cur.version !== version) {
			throw new StaleFloorError(
				'assignment',
				{ operatorId, operatorName: op.displayName, version: cur.version, segmentIds: cur.segmentIds, segments: cur.segmentIds.map((s) => ({ id: s, ...known.get(s) })) },
				`the segments of ${op.loginId} were changed by someone else (now version ${cur.version}: ${names(known, cur.segmentIds) || 'none'}): review and move again`
			);
		}
		if (segmentIds.some((s) => !known.has(s))) throw invalidInput([{ path: ['segmentIds'], message: 'unknown_segment' }]);
		const { added, removed } = await q.setOperatorSegments(tx, operatorId, segmentIds, actor.id > 0 ? actor.id : null);
		for (const s of added) await writeAccessLog(tx, actor, { action: 'segment.assign', reason: `operator ${operatorId} assigned to segment ${s} (board)` });
		for (const s of removed) await writeAccessLog(tx, actor, { action: 'segment.assign', reason: `operator ${operatorId} unassigned from segment ${s} (board)` });
		const newVersion = await q.assignmentVersion(tx, operatorId);
		if (added.length + removed.length > 0) {
			for (const s of [...added, ...removed]) {
				const [row] = await tx<{ version: number }[]>`select version from segments where id = ${s}`;
				if (row) await publish(tx, { type: 'segment:changed', data: { segmentId: s, version: Number(row.version) } });
			}
			await announceAssignment(tx, actor, operatorId);
			await recordFloorChange(
				tx,
				actor,
				'assign',
				{ operator: op.displayName, added: names(known, added) || null, removed: names(known, removed) || null },
				`${op.displayName}: +[${names(known, added)}] −[${names(known, removed)}]`
			);
		}
		return { operatorId, version: newVersion, segmentIds };
	});
}

// ─── segments: pause, resume, order ─────────────────────────────────────────

/**
 * Pause or resume a segment from the console: the segments editor's own use case (same version check, re-placing,
 * access log, feed), its refusal turned into the console's shape.
 */
export async function setSegmentPaused(actor: Actor, raw: unknown) {
	requirePermission(actor, 'queue.manage');
	try {
		return await setSegmentActive(actor, raw);
	} catch (e) {
		if (isStaleSegmentError(e)) {
			const c = e.current;
			throw new StaleFloorError('segment', { segmentId: c.id, code: c.code, nameJa: c.nameJa, nameEn: c.nameEn, active: c.active, version: c.version, sortOrder: c.sortOrder }, e.message);
		}
		throw e;
	}
}

const orderInput = z.object({
	segmentId: id,
	version: id,
	direction: z.enum(['up', 'down'], { error: 'invalid' }),
	/** the segment the console said it would pass over */
	passing: id
});

/**
 * Move a segment one place up or down the claim order (a household belongs to the first active segment whose
 * filter it matches, and claims read segments in this order). Refused when the segment changed since it was shown
 * or another segment now stands next to it; the queue is placed again in the same transaction.
 */
export async function moveSegment(actor: Actor, raw: unknown): Promise<{ order: { id: number; sortOrder: number; version: number }[] }> {
	requirePermission(actor, 'queue.manage');
	const parsed = orderInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { segmentId, version, direction, passing } = parsed.data;
	return db().begin(async (tx) => {
		// every segment locked, in one order (two reorders at once queue here instead of deadlocking)
		const all = await tx<{ id: number; code: string; nameJa: string; nameEn: string; sortOrder: number; version: number; active: boolean }[]>`
			select id, code, name_ja, name_en, sort_order, version, active from segments order by sort_order, id for update`;
		const moved = all.find((s) => s.id === segmentId);
		if (!moved) throw new DomainError('not_found', 'no such segment');
		const order = all.map((s) => ({ id: s.id, code: s.code, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, version: Number(s.version), active: s.active }));
		const i = order.findIndex((s) => s.id === segmentId);
		const next = order[direction === 'up' ? i - 1 : i + 1];
		if (Number(moved.version) !== version || !next || next.id !== passing) {
			throw new StaleFloorError(
				'order',
				{ segmentId, version: Number(moved.version), order },
				`the order of the segments changed since it was shown (${moved.code} is now version ${moved.version}${next ? `, next to ${next.code}` : ', at the end'}): review and move again`
			);
		}
		const changes = reorder(order, segmentId, direction)!;
		for (const [sid, sortOrder] of changes) {
			const [r] = await tx<{ version: number }[]>`update segments set sort_order = ${sortOrder}, version = version + 1, updated_at = now() where id = ${sid} returning version`;
			await publish(tx, { type: 'segment:changed', data: { segmentId: sid, version: Number(r.version) } });
		}
		await writeAccessLog(tx, actor, { action: 'segment.update', reason: `segment ${moved.id} ${moved.code} moved ${direction} past ${next.id} ${next.code} (reordered)` });
		const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from segments where active`;
		if (n > 0) await rebuildQueue(tx);
		await recordFloorChange(tx, actor, 'reorder', { segment: moved.nameJa, segmentEn: moved.nameEn, direction, passing: next.nameJa, passingEn: next.nameEn }, `${moved.code} ${direction} past ${next.code}`);
		const after = await tx<{ id: number; sortOrder: number; version: number }[]>`select id, sort_order, version from segments order by sort_order, id`;
		return { order: after.map((s) => ({ id: s.id, sortOrder: s.sortOrder, version: Number(s.version) })) };
	});
}

// ─── a stuck claim ──────────────────────────────────────────────────────────

const releaseInput = z.object({
	householdId: id,
	/** the operator the console showed holding it */
	operatorId: id
});

/**
 * Release a claim an operator holds (stuck: they left, their browser hangs): the household goes back to the queue
 * (placed again, like a lapsed lease), the operator's desk is told (`claim:lost`, reason released) and they are
 * available again. Refused, with who holds it now, when the household is no longer held by that operator.
 */
export async function releaseStuckClaim(actor: Actor, raw: unknown): Promise<{ householdId: number; state: string }> {
	requirePermission(actor, 'queue.manage');
	const parsed = releaseInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { householdId, operatorId } = parsed.data;
	return db().begin(async (tx) => {
		const row = await q.lockClaim(tx, householdId);
		if (!row) throw new DomainError('not_found', 'no such household in the queue');
		if (row.state !== 'claimed' || row.claimedBy !== operatorId) {
			const holder = row.claimedBy ? await q.userById(tx, row.claimedBy) : undefined;
			throw new StaleFloorError(
				'claim',
				{ householdId, state: row.state, heldBy: holder ? { id: holder.id, name: holder.displayName } : null },
				`household ${householdId} is no longer held by that operator (now ${row.state}${holder ? `, held by ${holder.loginId}` : ''})`
			);
		}
		const op = await q.userById(tx, operatorId);
		// the release as written, then the placement's own move from there (placeHousehold publishes it)
		const released = await releaseClaim(tx, householdId);
		if (released)
			await publish(tx, {
				type: 'queue:changed',
				data: { householdId, segmentId: released.segmentId, from: 'claimed', to: released.state, version: released.version, fromReason: null, toReason: notCallableReason(released) }
			});
		const placed = await placeHousehold(tx, householdId);
		const to = placed?.state ?? 'ready';
		await publish(tx, { type: 'claim:lost', data: { householdId, operatorId, reason: 'released' } });
		if (await lapsedOperatorAvailable(tx, operatorId)) await recordOperatorState(tx, operatorId, 'available', { householdId: null });
		// about a household, but nothing of it is read: no fields
		await writeAccessLog(tx, actor, { action: 'floor.release', householdId, reason: `claim of operator ${operatorId} released by a supervisor (now ${to})` });
		await recordFloorChange(tx, actor, 'release', { operator: op?.displayName ?? `#${operatorId}`, householdId }, `household ${householdId} released from ${op?.loginId ?? operatorId}`);
		return { householdId, state: to };
	});
}

// ─── messages ───────────────────────────────────────────────────────────────

const text = z
	.string({ error: 'required' })
	.transform((s) => s.replace(/\r\n?/g, '\n').trim())
	.pipe(z.string().min(1, 'required').max(limits.messageLength, 'too_long'));
const messageInput = z.discriminatedUnion(
	'target',
	[
		z.object({ target: z.literal('operator'), operatorId: id, text }),
		z.object({ target: z.literal('segment'), segmentId: id, text }),
		z.object({ target: z.literal('all'), text })
	],
	{ error: 'invalid' }
);

/** recipients per floor:message event: 500 characters of text (≤ 1,500 bytes) and 400 ids stay well under NOTIFY's 8,000 bytes */
const RECIPIENTS_PER_EVENT = 400;

/**
 * A supervisor's message to one operator, a team (the operators assigned to a segment now: kansho has no teams
 * table) or every operator: stored, logged (its id and length, not its text: the access log is never erased),
 * and sent as `floor:message` to the recipients' user rooms only (a toast on their desks).
 */
export async function sendFloorMessage(actor: Actor, raw: unknown): Promise<{ id: number; recipients: number }> {
	requirePermission(actor, 'queue.manage');
	const parsed = messageInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const m = parsed.data;
	return db().begin(async (tx) => {
		let recipients: number[];
		let segment: { nameJa: string; nameEn: string } | null = null;
		let to: string;
		let targetName: string | null = null;
		if (m.target === 'operator') {
			const op = await q.userById(tx, m.operatorId);
			if (!op || op.role !== 'operator' || op.disabled) throw invalidInput([{ path: ['operatorId'], message: 'not_operator' }]);
			recipients = [op.id];
			to = `operator ${op.id}`;
			targetName = op.displayName;
		} else if (m.target === 'segment') {
			const s = (await q.segmentNames(tx, [m.segmentId])).get(m.segmentId);
			if (!s) throw invalidInput([{ path: ['segmentId'], message: 'unknown_segment' }]);
			recipients = await q.operatorIds(tx, m.segmentId);
			segment = { nameJa: s.nameJa, nameEn: s.nameEn };
			to = `team of segment ${m.segmentId} ${s.code}`;
			targetName = s.nameJa;
		} else {
			recipients = await q.operatorIds(tx);
			to = 'every operator';
		}
		if (recipients.length === 0) throw invalidInput([{ path: ['target'], message: 'no_recipients' }]);
		const saved = await q.insertMessage(tx, {
			senderId: actor.id > 0 ? actor.id : null,
			targetKind: m.target,
			targetUserId: m.target === 'operator' ? m.operatorId : null,
			targetSegmentId: m.target === 'segment' ? m.segmentId : null,
			body: m.text,
			recipients
		});
		await writeAccessLog(tx, actor, { action: 'floor.message', reason: `message ${saved.id} (${[...m.text].length} characters) to ${to}: ${recipients.length} operator(s)` });
		const message = { id: saved.id, from: actor.displayName || actor.loginId, text: m.text, target: m.target, segment, at: new Date(saved.createdAt).toISOString() };
		if (m.target === 'all') {
			// every operator: routed by role (the list could outgrow a NOTIFY payload)
			await publish(tx, { type: 'floor:message', data: { ...message, recipients: [] } });
		} else {
			// a NOTIFY payload is at most 8,000 bytes: a large team goes in parts (same id: a desk shows it once)
			for (let i = 0; i < recipients.length; i += RECIPIENTS_PER_EVENT)
				await publish(tx, { type: 'floor:message', data: { ...message, recipients: recipients.slice(i, i + RECIPIENTS_PER_EVENT) } });
		}
		const excerpt = [...m.text].length > 60 ? [...m.text].slice(0, 60).join('') + '…' : m.text;
		await recordFloorChange(tx, actor, 'message', { target: m.target, name: targetName, count: recipients.length, text: excerpt }, `message to ${to}`);
		return { id: saved.id, recipients: recipients.length };
	});
}

// ─── targets and thresholds ─────────────────────────────────────────────────

/** A whole number typed any way staff type it: 1,234 / １，２３４ / ¥1,234 / 1234. */
const wholeNumber = (max: number) =>
	z
		.union([
			z.number(),
			z
				.string()
				.transform((s) => s.normalize('NFKC').replace(/[,，¥￥円\s]/g, ''))
				.pipe(z.string().min(1, 'required').regex(/^\d{1,12}$/, 'whole_number'))
				.transform(Number)
		], { error: 'whole_number' })
		.pipe(z.number({ error: 'whole_number' }).int('whole_number').min(0, 'out_of_range').max(max, 'out_of_range'));
/** a version as shown: 0 when nothing was saved yet */
const shownVersion = z.union([z.number(), z.string().trim().regex(/^\d{1,15}$/, 'whole_number').transform(Number)], { error: 'required' }).pipe(z.number().int().min(0));

const targetsInput = z.object({
	/** the Tokyo date (today when absent); today or up to 31 days ahead */
	day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date').optional(),
	version: shownVersion,
	attempts: wholeNumber(limits.targetCount),
	contacts: wholeNumber(limits.targetCount),
	promises: wholeNumber(limits.targetCount),
	promisedAmount: wholeNumber(limits.promisedAmount)
});

/** Set a day's targets (today by default), if they are still as shown (version 0: none set yet). */
export async function setDayTargets(actor: Actor, raw: unknown): Promise<DayTargets> {
	requirePermission(actor, 'queue.manage');
	const parsed = targetsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { version, day: asked, ...t } = parsed.data;
	const today = tokyoDate();
	const day = asked ?? today;
	const horizon = tokyoDate(new Date(Date.now() + 31 * 86_400_000));
	if (day < today || day > horizon || Number.isNaN(new Date(`${day}T00:00:00Z`).getTime())) throw invalidInput([{ path: ['day'], message: 'out_of_range' }]);
	return db().begin(async (tx) => {
		if (!(await q.saveTargets(tx, day, version, t, actor.id > 0 ? actor.id : null))) {
			const current = await q.dayTargets(tx, day);
			throw new StaleFloorError('targets', { ...current }, `the targets for ${day} were saved by someone else (now version ${current.version}): review them and save again`);
		}
		await writeAccessLog(tx, actor, { action: 'floor.targets', reason: `targets ${day}: attempts ${t.attempts}, contacts ${t.contacts}, promises ${t.promises}, promised ¥${t.promisedAmount}` });
		await recordFloorChange(tx, actor, 'targets', { day, attempts: t.attempts, contacts: t.contacts, promises: t.promises, promisedAmount: t.promisedAmount }, `targets for ${day}`);
		return q.dayTargets(tx, day);
	});
}

const thresholdsInput = z.object({
	version: id,
	longCallMinutes: wholeNumber(limits.longCallMinutes[1]).pipe(z.number().min(limits.longCallMinutes[0], 'out_of_range')),
	longBreakMinutes: wholeNumber(limits.longBreakMinutes[1]).pipe(z.number().min(limits.longBreakMinutes[0], 'out_of_range'))
});

/** Set when a call and a break count as long on the console, if still as shown. */
export async function setThresholds(actor: Actor, raw: unknown): Promise<FloorThresholds> {
	requirePermission(actor, 'queue.manage');
	const parsed = thresholdsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { version, ...t } = parsed.data;
	return db().begin(async (tx) => {
		if (!(await q.saveThresholds(tx, version, t, actor.id > 0 ? actor.id : null))) {
			const current = await q.thresholds(tx);
			throw new StaleFloorError('thresholds', { ...current }, `the thresholds were saved by someone else (now version ${current.version}): review them and save again`);
		}
		await writeAccessLog(tx, actor, { action: 'floor.thresholds', reason: `long call ${t.longCallMinutes} min, long break ${t.longBreakMinutes} min` });
		await recordFloorChange(tx, actor, 'thresholds', { longCallMinutes: t.longCallMinutes, longBreakMinutes: t.longBreakMinutes }, 'thresholds');
		return q.thresholds(tx);
	});
}
