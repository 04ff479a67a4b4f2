/**
 * The shared queue: claim the next household, hold it with a lease, give it back. The database decides who gets
 * which household (FOR UPDATE SKIP LOCKED); JavaScript holds no queue state.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { isWithinWindow, nextWindowOpen, tokyoDay, tokyoMinutes } from '../../domain/calling-rules.ts';
import type { ScoreReason } from '../../domain/priority.ts';
import * as q from './claims.queries.ts';
import { id } from '../validation.ts';
import { loadCallingRules } from './rules.ts';
import { placeHousehold, rescoreForSlot } from './placement.ts';
import { recordOperatorState } from './states.ts';
import { notCallableReason } from '../../domain/live-floor.ts';
import { dataMode } from '../mode.ts';
import { segmentById } from '../segments/segments.queries.ts';
import { trainingClaimed } from '../training/runs.ts';

export { rebuildQueue } from './placement.ts';

/** advisory-lock namespace of the per-operator claim lock (the second key is the user id) */
export const CLAIM_LOCK_NAMESPACE = 4_213_002;
/** households passed over in one claim because a number they share is in use (each goes back to waiting) */
const MAX_SHARED_DEFERRALS = 5;

export interface Claim {
	householdId: number;
	segmentId: number;
	claimExpiresAt: Date;
	version: number;
	/** true when the operator already held this household (e.g. after a page reload) */
	resumed: boolean;
	/** how it was claimed (call_queue.claim_kind): from the queue, a due callback, an inbound call */
	kind: 'outbound' | 'callback' | 'inbound';
	/** why this household came next: the score's reasons at its last placement, null when unknown */
	reasons: ScoreReason[] | null;
}

function toClaim(r: q.QueueRow, resumed: boolean): Claim {
	return {
		householdId: r.householdId,
		segmentId: r.segmentId,
		claimExpiresAt: r.claimExpiresAt!,
		version: r.version,
		resumed,
		kind: r.claimKind ?? 'outbound',
		reasons: Array.isArray(r.priorityDetail) ? (r.priorityDetail as ScoreReason[]) : null
	};
}

/** 'YYYY-MM-DD HH:MM' in Tokyo, for messages. */
function tokyoText(at: Date): string {
	const m = tokyoMinutes(at);
	return `${tokyoDay(at)} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * 次の世帯: give the operator the household they already hold, else (inside the calling window) a due callback
 * reserved for them, a due callback for anyone in their segments, or the best callable household in their
 * segments. A household whose number is shared with one another operator holds, or that was called within the
 * minimum gap, goes back to waiting ('shared_phone') and the next is taken. Under heavy contention the SKIP
 * LOCKED sub-select can come back empty although households are free, so an empty result is retried once before
 * it means "queue empty". `now` is for tests of the calling window; the claim itself uses the database's clock.
 */
export async function claimNextHousehold(actor: Actor, opts: { now?: Date } = {}): Promise<Claim> {
	requirePermission(actor, 'queue.claim');
	const cfg = loadConfig();
	const lease = cfg.CLAIM_LEASE_SECONDS;
	// "queue empty" is answered after the commit: households deferred on the way (shared numbers) stay deferred
	const result = await db().begin(async (tx): Promise<Claim | 'empty'> => {
		// one claim at a time per operator (two tabs, or a double press, must not race each other)
		await tx`select pg_advisory_xact_lock(${CLAIM_LOCK_NAMESPACE}, ${actor.id})`;
		// Statements sent together are pipelined on the transaction's connection: the round trips, not the SQL, are
		// most of a claim's time. Only after the lock: a statement pipelined behind a waiting lock did not see the
		// claim the other transaction committed meanwhile (claims.int.test.ts). The calling rules come with the
		// first statement, which renews what the operator holds or claims the next household; a claim outside the
		// calling window is refused below, and the refusal rolls it back.
		const [rules, first] = await Promise.all([loadCallingRules(tx), q.renewOrClaimNext(tx, actor.id, lease)]);
		if (first?.resumed) return toClaim(first, true);
		const now = opts.now ?? new Date();
		// a training run (issue #9) is held when the class meets: nobody is called, so no calling window applies
		if (cfg.CALLING_WINDOW === 'enforce' && dataMode() !== 'training' && !isWithinWindow(rules, now)) {
			const opens = nextWindowOpen(rules, now);
			throw new DomainError(
				'outside_window',
				opens ? `outside calling hours: calls resume at ${tokyoText(opens)} (Tokyo)` : 'outside calling hours: no calling window in the next 14 days',
				{ opensAt: opens ? opens.toISOString() : '' }
			);
		}
		for (let deferred = 0, taken: q.QueueRow | undefined = first; ; taken = undefined) {
			let row = taken ?? (await q.claimNext(tx, actor.id, lease));
			if (!row) row = await q.claimNext(tx, actor.id, lease);
			if (!row) return 'empty';
			if (row.sharesPhone && deferred < MAX_SHARED_DEFERRALS) {
				const until = await q.sharedPhoneConflict(tx, row.householdId, actor.id, rules.minGapMinutes);
				if (until) {
					// one household, one caller: a number it shares is in use or was called within the gap
					await q.deferClaimed(tx, row.householdId, until, 'shared_phone');
					await publish(tx, { type: 'queue:changed', data: { householdId: row.householdId, segmentId: row.segmentId, from: 'ready', to: 'waiting', version: row.version + 1, fromReason: null, toReason: 'shared_phone' } });
					deferred++;
					continue;
				}
			}
			const claimed = row;
			await Promise.all([
				writeAccessLog(tx, actor, { action: 'household.claim', householdId: claimed.householdId, reason: claimed.claimKind === 'callback' ? 'callback' : 'outbound' }),
				publish(tx, { type: 'queue:changed', data: { householdId: claimed.householdId, segmentId: claimed.segmentId, from: 'ready', to: 'claimed', version: claimed.version, fromReason: null, toReason: null } }),
				recordOperatorState(tx, actor.id, 'on_household', { householdId: claimed.householdId })
			]);
			return toClaim(claimed, false);
		}
	});
	if (result === 'empty') throw new DomainError('queue_empty', 'no callable household in your segments');
	// a trainee's claim opens an attempt with its scenario, for the trainer's console (a no-op on real data)
	if (dataMode() === 'training') await trainingClaimed(actor, result);
	return result;
}

/**
 * The household the operator holds now, or null; `resumed` is always true (it is held already: the desk tells a
 * claim it has just made from a return to the household), with the segment's names for the desk.
 */
export async function currentClaim(actor: Actor): Promise<(Claim & { segment: { nameJa: string; nameEn: string } | null }) | null> {
	requirePermission(actor, 'queue.claim');
	const row = await q.heldBy(db(), actor.id);
	if (!row) return null;
	const seg = await segmentById(db(), row.segmentId);
	return { ...toClaim(row, true), segment: seg ? { nameJa: seg.nameJa, nameEn: seg.nameEn } : null };
}

/** Heartbeat: extend the lease on the held household. Returns the new expiry, or null when nothing is held. */
export async function renewClaim(actor: Actor): Promise<Date | null> {
	requirePermission(actor, 'queue.claim');
	const row = await q.renewLease(db(), actor.id, loadConfig().CLAIM_LEASE_SECONDS);
	return row?.claimExpiresAt ?? null;
}

const releaseInput = z.object({ householdId: id });

/** Give the held household back without an outcome (e.g. the operator picked it by mistake). */
export async function releaseHousehold(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'queue.claim');
	const parsed = releaseInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	await db().begin(async (tx) => {
		const row = await q.release(tx, actor.id, parsed.data.householdId);
		if (!row) throw new DomainError('claim_not_held', 'you do not hold this household');
		await publish(tx, { type: 'queue:changed', data: { householdId: row.householdId, segmentId: row.segmentId, from: 'claimed', to: row.state, version: row.version, fromReason: null, toReason: notCallableReason(row) } });
		await recordOperatorState(tx, actor.id, 'available', { householdId: null });
	});
}

/**
 * Housekeeping run by every instance on a timer (safe to run concurrently: every step takes its rows with SKIP
 * LOCKED). Lapsed leases: the household is placed again (it returns to the queue) and its operator is told
 * (claim:lost, reason lapsed). Waiting households whose time has come become callable. After a time-slot boundary
 * (12:00, 17:00, midnight Tokyo), ready households with call history are scored again for the new slot, a batch
 * per sweep. System work, not a user's.
 */
export async function sweepQueue(opts: { now?: Date; rescoreBatch?: number } = {}): Promise<{ lapsed: number; promoted: number; rescored: number }> {
	const now = opts.now ?? new Date();
	return db().begin(async (tx) => {
		const lapsed = await q.takeLapsed(tx);
		for (const r of lapsed) {
			// the release as written, then the placement's own move from there (placeHousehold publishes it)
			const released = await q.releaseClaim(tx, r.householdId);
			if (released)
				await publish(tx, {
					type: 'queue:changed',
					data: { householdId: r.householdId, segmentId: released.segmentId, from: 'claimed', to: released.state, version: released.version, fromReason: null, toReason: notCallableReason(released) }
				});
			await placeHousehold(tx, r.householdId, { now });
			await publish(tx, { type: 'claim:lost', data: { householdId: r.householdId, operatorId: r.claimedBy!, reason: 'lapsed' } });
			if (await q.lapsedOperatorAvailable(tx, r.claimedBy!)) await recordOperatorState(tx, r.claimedBy!, 'available', { householdId: null });
		}
		const promoted = await q.promoteDue(tx);
		if (promoted > 0) await publish(tx, { type: 'queue:bulk', data: { reason: 'promoted', count: promoted } });
		if (lapsed.length > 0) await publish(tx, { type: 'queue:bulk', data: { reason: 'lapsed', count: lapsed.length } });
		const rescored = await rescoreForSlot(tx, now, opts.rescoreBatch ?? 500);
		return { lapsed: lapsed.length, promoted, rescored };
	});
}

/**
 * Open callbacks and where their households are (for supervisors: nothing lost). Late ones (due, not honoured)
 * first; `reservedLapsed` says a callback "only me" that its operator did not take within the grace period and
 * that is now offered to anyone.
 */
export async function openCallbacks(db_: Db = db()) {
	return q.openCallbacks(db_);
}

