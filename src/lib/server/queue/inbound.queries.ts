/**
 * SQL of the inbound hold (受電) on call_queue: the household that called is held by the operator who answered,
 * whatever its queue state, and given back where it was when the operator lets go without an outcome. (The queue
 * module owns the table; the use case is src/lib/server/search/inbound.ts.)
 */
import type { Db } from '../db.ts';

export interface InboundRow {
	householdId: number;
	segmentId: number;
	state: 'ready' | 'waiting' | 'claimed' | 'closed';
	claimedBy: number | null;
	claimKind: 'outbound' | 'callback' | 'inbound' | null;
	claimExpiresAt: Date | null;
	version: number;
	waitReason: string | null;
	closedReason: string | null;
}

const cols = 'household_id, segment_id, state, claimed_by, claim_kind, claim_expires_at, version, wait_reason, closed_reason';

/** The household's queue row, locked until the transaction ends (waits for a claim being taken right now). */
export async function lockRow(db: Db, householdId: number): Promise<InboundRow | undefined> {
	const [r] = await db<InboundRow[]>`select ${db.unsafe(cols)} from call_queue where household_id = ${householdId} for update`;
	return r;
}

/** The household this operator holds now, locked. */
export async function heldBy(db: Db, userId: number): Promise<InboundRow | undefined> {
	const [r] = await db<InboundRow[]>`select ${db.unsafe(cols)} from call_queue where state = 'claimed' and claimed_by = ${userId} for update`;
	return r;
}

/**
 * The segment a household no segment takes is held in for an inbound call: the first active catch-all segment
 * (empty filter) in sort order, else the last active segment, else any. null when there is no segment at all.
 */
export async function fallbackSegment(db: Db): Promise<number | null> {
	const [r] = await db<{ id: number }[]>`
		select id from segments
		order by active desc, (filter = '{}'::jsonb) desc, case when filter = '{}'::jsonb then sort_order else -sort_order end, id
		limit 1`;
	return r?.id ?? null;
}

/** A queue row for a household that has none, held at once (it leaves the queue again when its outcome is placed). */
export async function insertHeld(db: Db, householdId: number, segmentId: number, userId: number, leaseSeconds: number): Promise<InboundRow | undefined> {
	const [r] = await db<InboundRow[]>`
		insert into call_queue (household_id, segment_id, priority, state, claimed_by, claimed_at, claim_expires_at, claim_kind)
		values (${householdId}, ${segmentId}, 0, 'claimed', ${userId}, now(), now() + make_interval(secs => ${leaseSeconds}), 'inbound')
		on conflict (household_id) do nothing
		returning ${db.unsafe(cols)}`;
	return r;
}

/**
 * Hold the household for this operator as an inbound call, from any state (ready, waiting, closed, or held by
 * another operator: then the claim moves). next_eligible_at, wait_reason and closed_reason are left as they were,
 * so that letting go without an outcome (`giveBack`) restores them; an outcome replaces them.
 */
export async function holdInbound(db: Db, householdId: number, userId: number, leaseSeconds: number): Promise<InboundRow> {
	const [r] = await db<InboundRow[]>`
		update call_queue set state = 'claimed', claimed_by = ${userId}, claimed_at = now(),
		  claim_expires_at = now() + make_interval(secs => ${leaseSeconds}), claim_kind = 'inbound',
		  version = version + 1, updated_at = now()
		where household_id = ${householdId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/**
 * Let go of a held household without an outcome: back to the state its row still describes (closed when it has a
 * closed reason, waiting while its wait lasts, else ready); placement then recomputes it from the facts.
 */
export async function giveBack(db: Db, householdId: number, userId: number): Promise<InboundRow | undefined> {
	const [r] = await db<InboundRow[]>`
		update call_queue set
		  state = case when closed_reason is not null then 'closed' when next_eligible_at > now() then 'waiting' else 'ready' end,
		  claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null, version = version + 1, updated_at = now()
		where household_id = ${householdId} and state = 'claimed' and claimed_by = ${userId}
		returning ${db.unsafe(cols)}`;
	return r;
}
