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
import { priorityScore } from '../../domain/arrears.ts';
import { segmentFor, type SegmentFilter } from '../../domain/segments.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './claims.queries.ts';
import { id } from '../validation.ts';

/** advisory-lock namespace of the per-operator claim lock (the second key is the user id) */
const CLAIM_LOCK_NAMESPACE = 4_213_002;

export interface Claim {
	householdId: number;
	segmentId: number;
	claimExpiresAt: Date;
	version: number;
	/** true when the operator already held this household (e.g. after a page reload) */
	resumed: boolean;
	/** how it was claimed (call_queue.claim_kind); outbound when unset */
	kind?: 'outbound' | 'callback' | 'inbound';
}

function toClaim(r: q.QueueRow, resumed: boolean): Claim {
	return { householdId: r.householdId, segmentId: r.segmentId, claimExpiresAt: r.claimExpiresAt!, version: r.version, resumed };
}

async function announceClaim(tx: Db, actor: Actor, r: q.QueueRow) {
	await publish(tx, { type: 'queue:changed', data: { householdId: r.householdId, segmentId: r.segmentId, from: 'ready', to: 'claimed', version: r.version } });
	await publish(tx, {
		type: 'operator:state',
		data: { operatorId: actor.id, state: 'on_household', householdId: r.householdId, at: new Date().toISOString() }
	});
}

/**
 * 次の世帯: give the operator the best callable household in their segments, or the one they already hold.
 * Under heavy contention the SKIP LOCKED sub-select can come back empty although households are free, so an
 * empty result is retried once before it means "queue empty".
 */
export async function claimNextHousehold(actor: Actor): Promise<Claim> {
	requirePermission(actor, 'queue.claim');
	const lease = loadConfig().CLAIM_LEASE_SECONDS;
	return db().begin(async (tx) => {
		// one claim at a time per operator (two tabs, or a double press, must not race each other)
		await tx`select pg_advisory_xact_lock(${CLAIM_LOCK_NAMESPACE}, ${actor.id})`;
		const renewed = await q.renewLease(tx, actor.id, lease);
		if (renewed) return toClaim(renewed, true);
		let row = await q.claimNext(tx, actor.id, lease);
		if (!row) row = await q.claimNext(tx, actor.id, lease);
		if (!row) throw new DomainError('queue_empty', 'no callable household in your segments');
		await writeAccessLog(tx, actor, { action: 'household.claim', householdId: row.householdId, reason: 'outbound' });
		await announceClaim(tx, actor, row);
		return toClaim(row, false);
	});
}

/** The household the operator holds now, or null. */
export async function currentClaim(actor: Actor): Promise<Claim | null> {
	requirePermission(actor, 'queue.claim');
	const row = await q.heldBy(db(), actor.id);
	return row ? toClaim(row, true) : null;
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
		await publish(tx, { type: 'queue:changed', data: { householdId: row.householdId, segmentId: row.segmentId, from: 'claimed', to: 'ready', version: row.version } });
		await publish(tx, { type: 'operator:state', data: { operatorId: actor.id, state: 'idle', householdId: null, at: new Date().toISOString() } });
	});
}

/**
 * Housekeeping run by every instance on a timer (and safe to run concurrently): lapsed leases return their
 * households to the queue, and households whose wait is over become callable. System work, not a user's.
 */
export async function sweepQueue(): Promise<{ lapsed: number; promoted: number }> {
	return db().begin(async (tx) => {
		const lapsed = await q.releaseLapsed(tx);
		for (const r of lapsed) {
			await publish(tx, { type: 'queue:changed', data: { householdId: r.householdId, segmentId: r.segmentId, from: 'claimed', to: 'ready', version: r.version } });
		}
		const promoted = await q.promoteDue(tx);
		if (promoted > 0) await publish(tx, { type: 'queue:bulk', data: { reason: 'promoted', count: promoted } });
		if (lapsed.length > 0) await publish(tx, { type: 'queue:bulk', data: { reason: 'lapsed', count: lapsed.length } });
		return { lapsed: lapsed.length, promoted };
	});
}

/**
 * Recompute segment and priority of every active household from its receipts and phones (after a seed or an
 * import). Households with no callable phone are closed as letter candidates. Claimed rows keep their claim.
 */
export async function rebuildQueue(tx: Db, today = tokyoDate()): Promise<{ queued: number; noPhone: number; notOwing: number }> {
	const segments = (await q.segmentsForRebuild(tx)).map((s) => ({ id: s.id, sortOrder: s.sortOrder, filter: s.filter as SegmentFilter }));
	if (segments.length === 0) throw new Error('no active segment: create one before building the queue');
	let total = 0;
	let noPhone = 0;
	let notOwing = 0;
	for (let afterId = 0; ; ) {
		const page = await q.queueCandidates(tx, today, afterId);
		if (page.length === 0) break;
		afterId = page[page.length - 1].householdId;
		const rows: Parameters<typeof q.upsertQueueRows>[1] = [];
		for (const c of page) {
			const segmentId = segmentFor(segments, { owed: c.owed, language: c.language });
			if (segmentId === null) continue;
			let state: 'ready' | 'closed' = 'ready';
			let closedReason: string | null = null;
			if (c.owed <= 0) {
				state = 'closed';
				closedReason = 'resolved';
				notOwing++;
			} else if (c.callablePhones === 0) {
				state = 'closed';
				closedReason = 'no_phone';
				noPhone++;
			}
			rows.push({ householdId: c.householdId, segmentId, priority: priorityScore({ owed: c.owed }), state, closedReason });
		}
		await q.upsertQueueRows(tx, rows);
		total += rows.length;
	}
	await publish(tx, { type: 'queue:bulk', data: { reason: 'rebuilt', count: total } });
	return { queued: total - noPhone - notOwing, noPhone, notOwing };
}
