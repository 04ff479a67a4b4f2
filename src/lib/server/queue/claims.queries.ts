/** SQL of the call_queue table: claims, leases, promotion of due households, the queue rebuild. */
import type { Db } from '../db.ts';
import type { QueueState } from '../../domain/outcomes.ts';

export interface QueueRow {
	householdId: number;
	segmentId: number;
	priority: number;
	state: QueueState;
	nextEligibleAt: Date | null;
	claimedBy: number | null;
	claimedAt: Date | null;
	claimExpiresAt: Date | null;
	attempts: number;
	version: number;
}

const columns = ['household_id', 'segment_id', 'priority', 'state', 'next_eligible_at', 'claimed_by', 'claimed_at', 'claim_expires_at', 'attempts', 'version'];
const cols = columns.join(', ');
/** the same columns qualified by the alias `q` (statements that join call_queue to itself) */
const qCols = columns.map((c) => 'q.' + c).join(', ');

/** The household this operator holds now, if any (even if its lease has just lapsed and not yet been swept). */
export async function heldBy(db: Db, userId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`select ${db.unsafe(cols)} from call_queue where state = 'claimed' and claimed_by = ${userId}`;
	return r;
}

/**
 * Claim the best ready household in the operator's segments. One statement: the sub-select locks the row it picks
 * and SKIP LOCKED passes over rows another transaction is claiming, so two operators never get the same household.
 */
export async function claimNext(db: Db, userId: number, leaseSeconds: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		update call_queue q
		set state = 'claimed', claimed_by = ${userId}, claimed_at = now(),
		    claim_expires_at = now() + make_interval(secs => ${leaseSeconds}),
		    version = q.version + 1, updated_at = now()
		where q.household_id = (
			select c.household_id from call_queue c
			where c.state = 'ready'
			  and c.segment_id = any(array(select os.segment_id from operator_segments os join segments s on s.id = os.segment_id
			                               where os.user_id = ${userId} and s.active))
			order by c.priority desc, c.household_id
			for update skip locked
			limit 1
		)
		returning ${db.unsafe(qCols)}`;
	return r;
}

/** Extend the lease on what the operator holds; returns the renewed row or nothing. */
export async function renewLease(db: Db, userId: number, leaseSeconds: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		update call_queue set claim_expires_at = now() + make_interval(secs => ${leaseSeconds})
		where state = 'claimed' and claimed_by = ${userId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Lock a household's queue row for an outcome. */
export async function lockRow(db: Db, householdId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`select ${db.unsafe(cols)} from call_queue where household_id = ${householdId} for update`;
	return r;
}

export async function moveAfterOutcome(
	db: Db,
	householdId: number,
	next: { state: QueueState; nextEligibleAt: Date | null; closedReason: string | null }
): Promise<QueueRow> {
	const [r] = await db<QueueRow[]>`
		update call_queue set state = ${next.state}, next_eligible_at = ${next.nextEligibleAt}, closed_reason = ${next.closedReason},
		  claimed_by = null, claimed_at = null, claim_expires_at = null,
		  attempts = attempts + 1, last_attempt_at = now(), version = version + 1, updated_at = now()
		where household_id = ${householdId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Give a held household back to the queue without an outcome. */
export async function release(db: Db, userId: number, householdId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null,
		  version = version + 1, updated_at = now()
		where household_id = ${householdId} and state = 'claimed' and claimed_by = ${userId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Claims whose lease lapsed go back to the queue. Safe to run on every instance at once. */
export async function releaseLapsed(db: Db): Promise<QueueRow[]> {
	return db<QueueRow[]>`
		update call_queue q set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null,
		  version = q.version + 1, updated_at = now()
		from (select household_id from call_queue where state = 'claimed' and claim_expires_at < now()
		      for update skip locked) lapsed
		where q.household_id = lapsed.household_id
		returning ${db.unsafe(qCols)}`;
}

/** Households whose wait is over become callable; returns how many. */
export async function promoteDue(db: Db): Promise<number> {
	const rows = await db`
		update call_queue q set state = 'ready', next_eligible_at = null, version = q.version + 1, updated_at = now()
		from (select household_id from call_queue where state = 'waiting' and next_eligible_at <= now()
		      for update skip locked) due
		where q.household_id = due.household_id
		returning q.household_id`;
	return rows.length;
}

/** What the queue rebuild needs to know of each active household. */
/** One page (by id, after `afterId`) of what the queue rebuild needs; pages keep memory flat for a million households. */
export async function queueCandidates(db: Db, today: string, afterId = 0, limit = 20_000) {
	return db<{ householdId: number; language: string; owed: number; callablePhones: number }[]>`
		select h.id as household_id, h.language,
		  coalesce((select sum(r.assessed - r.received_total) from receipts r
		            where r.household_id = h.id and r.due_date < ${today}::date and r.assessed > r.received_total), 0)::bigint as owed,
		  (select count(*) from phones p where p.household_id = h.id and p.valid and p.status = 'active')::int as callable_phones
		from households h where h.status = 'active' and h.id > ${afterId}
		order by h.id limit ${limit}`;
}

export async function upsertQueueRows(
	db: Db,
	rows: { householdId: number; segmentId: number; priority: number; state: QueueState; closedReason: string | null }[]
): Promise<void> {
	for (let i = 0; i < rows.length; i += 5000) {
		const chunk = rows.slice(i, i + 5000);
		await db`
			insert into call_queue (household_id, segment_id, priority, state, closed_reason)
			select * from unnest(${chunk.map((r) => r.householdId)}::bigint[], ${chunk.map((r) => r.segmentId)}::bigint[],
			  ${chunk.map((r) => r.priority)}::bigint[], ${chunk.map((r) => r.state)}::text[], ${chunk.map((r) => r.closedReason)}::text[])
			on conflict (household_id) do update
			  set segment_id = excluded.segment_id, priority = excluded.priority, version = call_queue.version + 1, updated_at = now(),
			      state = case
			        when call_queue.state = 'claimed' then call_queue.state
			        when excluded.state = 'closed' and (call_queue.state <> 'closed' or call_queue.closed_reason in ('no_phone', 'resolved') or excluded.closed_reason = 'resolved') then 'closed'
			        when call_queue.state = 'closed' and call_queue.closed_reason in ('no_phone', 'resolved') then excluded.state
			        else call_queue.state end,
			      closed_reason = case
			        when call_queue.state = 'claimed' then null
			        when excluded.state = 'closed' and (call_queue.state <> 'closed' or call_queue.closed_reason in ('no_phone', 'resolved') or excluded.closed_reason = 'resolved') then excluded.closed_reason
			        when call_queue.state = 'closed' and call_queue.closed_reason in ('no_phone', 'resolved') then null
			        else call_queue.closed_reason end
			  -- a closure by an operator (handoff, do not call) stays unless the household is resolved; rows whose
			  -- segment, priority and state stay as they are are not touched (a re-import changes nothing)
			  where call_queue.segment_id is distinct from excluded.segment_id
			     or call_queue.priority is distinct from excluded.priority
			     or (excluded.state = 'closed' and call_queue.state in ('ready', 'waiting'))
			     or (excluded.state = 'closed' and call_queue.state = 'closed' and call_queue.closed_reason is distinct from excluded.closed_reason
			         and (call_queue.closed_reason in ('no_phone', 'resolved') or excluded.closed_reason = 'resolved'))
			     or (excluded.state <> 'closed' and call_queue.state = 'closed' and call_queue.closed_reason in ('no_phone', 'resolved'))`;
	}
}

export async function segmentsForRebuild(db: Db) {
	return db<{ id: number; sortOrder: number; filter: Record<string, unknown> }[]>`
		select id, sort_order, filter from segments where active order by sort_order, id`;
}
