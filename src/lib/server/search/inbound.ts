/**
 * The inbound hold (受電): a resident calls the center, the operator finds the household (search.ts) and opens it.
 * Opening holds the household for this operator (call_queue.claim_kind = 'inbound', lease as usual), whatever its
 * queue state, so that one household has one caller: while the operator talks to the resident, nobody calls
 * them. The outcome is recorded like any other (calls.ts: direction 'inbound' because of the claim's kind), and
 * placement puts the household back where its facts say.
 *
 * - ready / waiting / closed: held; letting go without an outcome (`releaseInbound`) restores the state.
 * - no queue row (no segment takes it): placed first; if still none, a row in the fallback segment is created and
 *   held (the outcome's placement removes it again).
 * - held by another operator on an outbound call: the resident on the line wins; the claim moves to this
 *   operator, and the other gets `claim:lost` {reason: 'inbound'} (their outcome, if they save one, is recorded
 *   late without touching this claim: calls.ts).
 * - held by another operator on an inbound call: refused (`conflict`): two members of a household calling at once
 *   are answered one after the other.
 * - the operator holds another household: refused (`already_claimed`, details.heldHouseholdId) unless the input
 *   names it in `releaseHeld`, which gives it back first (the page asks).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems, invalidInput } from '../errors.ts';
import { issueProblems } from '../../domain/field-problem.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { limitLookups } from '../security/rate-limit.ts';
import { id } from '../validation.ts';
import { placeHousehold } from '../queue/placement.ts';
import { recordOperatorState } from '../queue/states.ts';
import * as q from '../queue/inbound.queries.ts';
import { readHouseholdCard, type HouseholdCard } from '../households/households.ts';
import { notCallableReason } from '../../domain/live-floor.ts';

/** The advisory-lock namespace of the per-operator claim lock in queue/claims.ts (one claim at a time per operator). */
const CLAIM_LOCK_NAMESPACE = 4_213_002;

export interface InboundHold {
	householdId: number;
	claimExpiresAt: string;
	kind: 'inbound';
	/** the household was taken from another operator's outbound claim */
	tookFromOther: boolean;
	/** the operator held it already (a reload) */
	resumed: boolean;
}

const openInput = z.object({
	householdId: id,
	/** who called and what about: required for an inbound lookup (kept beside the access log, erasable) */
	note: z
		.string({ error: 'required' })
		.trim()
		.min(4, 'who called and what about (4 characters or more)')
		.max(200, 'at most 200 characters'),
	/** the household the operator holds now, to give back first (the page asks before sending it) */
	releaseHeld: id.nullish()
});

/** Give a held household back without an outcome, restoring its state and placing it again (in the caller's tx). */
async function giveBack(tx: Db, actor: Actor, householdId: number): Promise<boolean> {
	const row = await q.giveBack(tx, householdId, actor.id);
	if (!row) return false;
	// the give-back as written, then the placement's own move from there (placeHousehold publishes it)
	await publish(tx, {
		type: 'queue:changed',
		data: { householdId, segmentId: row.segmentId, from: 'claimed', to: row.state, version: row.version, fromReason: null, toReason: notCallableReason(row) }
	});
	await placeHousehold(tx, householdId);
	return true;
}

/**
 * Open a household for an inbound call: hold it (see the module comment) and read its card with the reason
 * 'inbound' and the note (logged). Returns the hold and the card.
 */
export async function openInbound(actor: Actor, raw: { householdId?: unknown; note?: unknown; releaseHeld?: unknown }): Promise<{ hold: InboundHold; card: HouseholdCard }> {
	requirePermission(actor, 'queue.claim');
	requirePermission(actor, 'household.search');
	const parsed = openInput.safeParse(raw);
	if (!parsed.success) throw fieldProblems(issueProblems(raw, parsed.error.issues));
	const { householdId, note, releaseHeld } = parsed.data;
	await limitLookups(actor);
	const lease = loadConfig().CLAIM_LEASE_SECONDS;

	const hold = await db().begin(async (tx): Promise<InboundHold> => {
		// one claim at a time per operator (the same lock as 次の世帯)
		await tx`select pg_advisory_xact_lock(${CLAIM_LOCK_NAMESPACE}, ${actor.id})`;
		const [exists] = await tx`select 1 from households where id = ${householdId}`;
		if (!exists) throw new DomainError('not_found', 'no such household');

		const mine = await q.heldBy(tx, actor.id);
		if (mine && mine.householdId === householdId) {
			return { householdId, claimExpiresAt: mine.claimExpiresAt!.toISOString(), kind: 'inbound', tookFromOther: false, resumed: true };
		}
		if (mine) {
			if (releaseHeld !== mine.householdId)
				throw new DomainError('already_claimed', 'you hold another household: give it back first', { heldHouseholdId: String(mine.householdId) });
			await giveBack(tx, actor, mine.householdId);
		}

		let row = await q.lockRow(tx, householdId);
		if (!row) {
			// not in the queue: place it (its segment and state), else hold it in the fallback segment
			await placeHousehold(tx, householdId);
			row = await q.lockRow(tx, householdId);
		}
		let from: q.InboundRow['state'] | null = row?.state ?? null;
		let tookFrom: number | null = null;
		let held: q.InboundRow;
		if (!row) {
			const segmentId = await q.fallbackSegment(tx);
			if (segmentId === null) throw new DomainError('conflict', 'no segment exists to hold the household in');
			const inserted = await q.insertHeld(tx, householdId, segmentId, actor.id, lease);
			if (!inserted) throw new DomainError('conflict', 'the household was queued meanwhile: try again');
			held = inserted;
			from = null;
		} else {
			if (row.state === 'claimed' && row.claimedBy !== null && row.claimedBy !== actor.id) {
				if (row.claimKind === 'inbound') throw new DomainError('conflict', 'another operator is on an inbound call with this household');
				tookFrom = row.claimedBy;
			}
			held = await q.holdInbound(tx, householdId, actor.id, lease);
		}

		await writeAccessLog(tx, actor, { action: 'household.claim', householdId, reason: tookFrom ? `inbound (taken from user ${tookFrom})` : 'inbound' });
		await publish(tx, { type: 'queue:changed', data: { householdId, segmentId: held.segmentId, from, to: 'claimed', version: held.version, fromReason: row ? notCallableReason(row) : null, toReason: null } });
		if (tookFrom !== null) {
			await publish(tx, { type: 'claim:lost', data: { householdId, operatorId: tookFrom, reason: 'inbound' } });
			await recordOperatorState(tx, tookFrom, 'available', { householdId: null });
		}
		await recordOperatorState(tx, actor.id, 'on_household', { householdId });
		return { householdId, claimExpiresAt: held.claimExpiresAt!.toISOString(), kind: 'inbound', tookFromOther: tookFrom !== null, resumed: false };
	});
	// the card, logged with the reason 'inbound' and the note (its text beside the log, its hash in it)
	const card = await readHouseholdCard(actor, { householdId, reason: 'inbound', note });
	return { hold, card };
}

const releaseInput = z.object({ householdId: id });

/** Let go of an inbound hold without an outcome (the caller hung up before anything was said): its state is restored. */
export async function releaseInbound(actor: Actor, raw: { householdId?: unknown }): Promise<void> {
	requirePermission(actor, 'queue.claim');
	const parsed = releaseInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	await db().begin(async (tx) => {
		if (!(await giveBack(tx, actor, parsed.data.householdId))) throw new DomainError('claim_not_held', 'you do not hold this household');
		await recordOperatorState(tx, actor.id, 'available', { householdId: null });
	});
}
