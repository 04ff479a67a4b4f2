/**
 * Callbacks (折り返し・再架電の予約) and do-not-call instructions (架電停止). Both are written by the outcome of a
 * call (src/lib/server/calls/calls.ts, through the helpers below, inside its transaction); this module also holds
 * the use cases around them: cancel a callback, list open or overdue ones, lift a do-not-call instruction.
 *
 * A callback is never silently lost: it stays open until a call honours it (done) or someone cancels or replaces
 * it (cancelled), both recorded with who and when. The queue reads open callbacks and do-not-call instructions as
 * household facts when it places the household (src/lib/server/queue), so after each change the household is
 * placed again unless an operator holds it (their outcome places it).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { can } from '../../domain/roles.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import * as q from './callbacks.queries.ts';
import { placeUnlessHeld } from '../calls/place.ts';
import { loadCallingRules } from '../queue/rules.ts';

/** What an outcome asks for: a callback at a time, for the operator alone or for anyone. */
export interface CallbackRequest {
	at: Date;
	onlyMe: boolean;
	note?: string | null;
}

/**
 * Inside an outcome's transaction: honour the household's open callback (when `honoured` says so), or replace it
 * with the new one, or cancel it when the outcome ends the calls; then write the new callback. Returns the
 * callback the call honoured (calls.callback_id) and the one it scheduled.
 */
export async function applyCallbacksOfCall(
	tx: Db,
	actor: Actor,
	c: {
		householdId: number;
		callId: number;
		request: CallbackRequest | null;
		honours: (open: q.CallbackRow) => boolean;
		cancelOpen: boolean;
	}
): Promise<{ honoured: number | null; scheduled: q.CallbackRow | null; cancelled: number | null }> {
	const open = await q.openCallbackForUpdate(tx, c.householdId);
	let honoured: number | null = null;
	let cancelled: number | null = null;
	if (open) {
		if (c.honours(open)) {
			await q.closeCallback(tx, open.id, 'done', actor.id, c.callId);
			honoured = open.id;
		} else if (c.request || c.cancelOpen) {
			// replaced by the new time, or no longer wanted: the household leaves the calls (promise, handoff, stop)
			await q.closeCallback(tx, open.id, 'cancelled', actor.id);
			cancelled = open.id;
		}
	}
	const scheduled = c.request
		? await q.insertCallback(tx, {
				householdId: c.householdId,
				dueAt: c.request.at,
				onlyMe: c.request.onlyMe,
				operatorId: actor.id,
				note: c.request.note?.trim() || null,
				callId: c.callId
			})
		: null;
	return { honoured, scheduled, cancelled };
}

/**
 * Inside an outcome's transaction: write a do-not-call instruction (架電停止) with its reason and optional end
 * date; an active one is replaced (lifted by this actor, in the same transaction).
 */
export async function writeDoNotCall(tx: Db, actor: Actor, d: { householdId: number; callId: number | null; reason: string; until: string | null }) {
	const active = await q.activeDoNotCallForUpdate(tx, d.householdId);
	if (active) await q.liftDoNotCall(tx, active.id, actor.id);
	return q.insertDoNotCall(tx, { householdId: d.householdId, callId: d.callId, reason: d.reason.trim(), until: d.until, createdBy: actor.id });
}

const cancelInput = z.object({ callbackId: id });

/**
 * Cancel an open callback: the operator who scheduled it, or a supervisor (queue.manage). The household is placed
 * again (unless someone holds it).
 */
export async function cancelCallback(actor: Actor, raw: unknown): Promise<void> {
	if (!can(actor.role, 'call.record')) requirePermission(actor, 'queue.manage');
	const parsed = cancelInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	await db().begin(async (tx) => {
		const cb = await q.callbackForUpdate(tx, parsed.data.callbackId);
		if (!cb) throw new DomainError('not_found', 'no such callback');
		if (cb.operatorId !== actor.id && !can(actor.role, 'queue.manage')) throw new DomainError('forbidden', 'only who scheduled a callback, or a supervisor, may cancel it');
		if (cb.status !== 'open') throw new DomainError('conflict', `the callback is ${cb.status} already`);
		await q.closeCallback(tx, cb.id, 'cancelled', actor.id);
		await placeUnlessHeld(tx, cb.householdId);
	});
}

export interface OpenCallback {
	id: number;
	householdId: number;
	nhiNumber: string;
	dueAt: Date;
	onlyMe: boolean;
	operatorId: number;
	operatorName: string;
	note: string | null;
	/** due more than the grace period ago and still open */
	overdue: boolean;
}

const listInput = z.object({ scope: z.enum(['mine', 'all']).default('mine'), overdueOnly: z.boolean().default(false) });

/**
 * Open callbacks, soonest first: an operator sees those they scheduled; a supervisor (queue.manage) everyone's.
 * "Overdue": due more than the calling rules' grace period ago (a missed "only me" callback goes to anyone then).
 */
export async function listCallbacks(actor: Actor, raw: unknown = {}): Promise<OpenCallback[]> {
	if (!can(actor.role, 'call.record')) requirePermission(actor, 'queue.manage');
	const parsed = listInput.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const all = parsed.data.scope === 'all';
	if (all) requirePermission(actor, 'queue.manage');
	const graceMinutes = (await loadCallingRules(db())).callbackGraceMinutes;
	const rows = await q.openCallbacks(db(), { operatorId: all ? null : actor.id, overdueGraceMinutes: parsed.data.overdueOnly ? graceMinutes : null });
	const cutoff = Date.now() - graceMinutes * 60_000;
	return rows.map((r) => ({
		id: r.id,
		householdId: r.householdId,
		nhiNumber: r.nhiNumber,
		dueAt: r.dueAt,
		onlyMe: r.onlyMe,
		operatorId: r.operatorId,
		operatorName: r.operatorName,
		note: r.note,
		overdue: r.dueAt.getTime() < cutoff
	}));
}

const liftInput = z.object({ householdId: id });

/**
 * Lift a household's do-not-call instruction (supervisors: queue.manage). The household is placed again at once:
 * it becomes callable under the calling rules. Access-logged (a supervisor's decision about a resident).
 */
export async function liftDoNotCall(actor: Actor, raw: unknown): Promise<{ householdId: number; lifted: number }> {
	requirePermission(actor, 'queue.manage');
	const parsed = liftInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { householdId } = parsed.data;
	return db().begin(async (tx) => {
		const active = await q.activeDoNotCallForUpdate(tx, householdId);
		if (!active) throw new DomainError('not_found', 'this household has no active do-not-call instruction', { householdId: 'no active do-not-call instruction' });
		await q.liftDoNotCall(tx, active.id, actor.id);
		await writeAccessLog(tx, actor, { action: 'do_not_call.lift', householdId, reason: `do_not_call ${active.id}` });
		await placeUnlessHeld(tx, householdId);
		await publish(tx, { type: 'household:updated', data: { householdId, by: actor.id, what: 'do_not_call', callId: null, phoneId: null, userId: null } });
		return { householdId, lifted: active.id };
	});
}
