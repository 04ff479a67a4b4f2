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
	/** why a waiting household waits (calling-rules.ts WaitReason, or 'shared_phone') */
	waitReason: string | null;
	closedReason: string | null;
	/** an open callback's due time: offered before everything else once due */
	callbackAt: Date | null;
	/** a callback "only me": reserved for this operator until reservedUntil, then anyone's */
	reservedFor: number | null;
	reservedUntil: Date | null;
	sharesPhone: boolean;
	/** how the holder claimed it: outbound (the queue), callback (a due callback), inbound (an incoming call) */
	claimKind: 'outbound' | 'callback' | 'inbound' | null;
	/** the score's reasons at the last placement (priority.ts ScoreReason[]) */
	priorityDetail: unknown;
}

const columns = [
	'household_id', 'segment_id', 'priority', 'state', 'next_eligible_at', 'claimed_by', 'claimed_at', 'claim_expires_at', 'attempts', 'version',
	'wait_reason', 'closed_reason', 'callback_at', 'reserved_for', 'reserved_until', 'shares_phone', 'claim_kind', 'priority_detail'
];
const cols = columns.join(', ');
/** the same columns qualified by the alias `q` (statements that join call_queue to itself) */
const qCols = columns.map((c) => 'q.' + c).join(', ');

/** The household this operator holds now, if any (even if its lease has just lapsed and not yet been swept). */
export async function heldBy(db: Db, userId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`select ${db.unsafe(cols)} from call_queue where state = 'claimed' and claimed_by = ${userId}`;
	return r;
}

/**
 * The two picks of a claim, as arguments of coalesce(…): a due callback first (one reserved for this operator,
 * whatever their segments; then one for anyone, or whose reservation lapsed, in their segments), else the best
 * ready household in their segments not reserved for someone else. Each locks the row it picks (SKIP LOCKED).
 * Needs the CTE `mine` (the operator's active segments) in the statement.
 */
function nextHouseholdSql(db: Db, userId: number) {
	return db`
			(select c.household_id from call_queue c
			 where c.state = 'ready' and c.callback_at <= now()
			   and (c.reserved_for = ${userId}
			        or ((c.reserved_for is null or c.reserved_until < now()) and c.segment_id = any((select segs from mine)::bigint[])))
			 order by (c.reserved_for is not distinct from ${userId}) desc, c.callback_at, c.household_id
			 for update skip locked
			 limit 1),
			(select c.household_id from call_queue c
			 where c.state = 'ready' and c.segment_id = any((select segs from mine)::bigint[])
			   and (c.reserved_for is null or c.reserved_for = ${userId} or c.reserved_until < now())
			 order by c.priority desc, c.household_id
			 for update skip locked
			 limit 1)`;
}

/**
 * Claim the next household for an operator, in one statement: a due callback first (one reserved for this
 * operator, whatever their segments; then one for anyone, or whose reservation lapsed, in their segments), else
 * the best ready household in their segments that is not reserved for someone else. Each sub-select locks the
 * row it picks and SKIP LOCKED passes over rows another transaction is claiming, so two operators never get the
 * same household. The sub-selects are init plans that run when first needed: coalesce evaluates the second
 * (the priority index) only when no callback is due. Callback rows are few (their own partial index).
 * The claim's kind is 'callback' when the row has a due callback.
 */
export async function claimNext(db: Db, userId: number, leaseSeconds: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		with mine as materialized (
			select array(select os.segment_id from operator_segments os join segments s on s.id = os.segment_id
			             where os.user_id = ${userId} and s.active) as segs
		)
		update call_queue q
		set state = 'claimed', claimed_by = ${userId}, claimed_at = now(),
		    claim_expires_at = now() + make_interval(secs => ${leaseSeconds}),
		    claim_kind = case when q.callback_at <= now() then 'callback' else 'outbound' end,
		    version = q.version + 1, updated_at = now()
		where q.household_id = coalesce(${nextHouseholdSql(db, userId)})
		returning ${db.unsafe(qCols)}`;
	return r;
}

/**
 * The claim's first statement (one round trip where there were two): renew the lease on the household the
 * operator holds already (`resumed`), else claim the next one exactly as `claimNext` does. The claim's sub-selects
 * run only when nothing is held (the gate is a one-time filter); the unique index call_queue_one_claim_idx keeps an
 * operator at one household whatever happens.
 */
export async function renewOrClaimNext(db: Db, userId: number, leaseSeconds: number): Promise<(QueueRow & { resumed: boolean }) | undefined> {
	const [r] = await db<(QueueRow & { resumed: boolean })[]>`
		with held as (
			update call_queue set claim_expires_at = now() + make_interval(secs => ${leaseSeconds})
			where state = 'claimed' and claimed_by = ${userId}
			returning ${db.unsafe(cols)}
		),
		mine as materialized (
			select array(select os.segment_id from operator_segments os join segments s on s.id = os.segment_id
			             where os.user_id = ${userId} and s.active) as segs
		),
		claimed as (
			update call_queue q
			set state = 'claimed', claimed_by = ${userId}, claimed_at = now(),
			    claim_expires_at = now() + make_interval(secs => ${leaseSeconds}),
			    claim_kind = case when q.callback_at <= now() then 'callback' else 'outbound' end,
			    version = q.version + 1, updated_at = now()
			where not exists (select 1 from held)
			  and q.household_id = coalesce(${nextHouseholdSql(db, userId)})
			returning ${db.unsafe(qCols)}
		)
		select *, true as resumed from held
		union all
		select *, false as resumed from claimed`;
	return r;
}

/** advisory-lock namespace of a phone number's digits (one household, one caller across shared numbers) */
const PHONE_LOCK_NAMESPACE = 4_213_003;

/**
 * For a household whose numbers are shared with other households: lock each of its callable numbers (sorted,
 * so two claims never deadlock) until the transaction ends, then say whether another household sharing one of
 * them is held by someone else or was called within `gapMinutes`. Returns null when the household may be called,
 * else the instant from which it may (at least `gapMinutes` after the latest such call, or from now when another
 * operator holds one: the gap then runs from their call).
 */
export async function sharedPhoneConflict(db: Db, householdId: number, userId: number, gapMinutes: number): Promise<Date | null> {
	const numbers = await db<{ digits: string }[]>`
		select distinct digits from phones where household_id = ${householdId} and valid and status = 'active' and digits is not null order by digits`;
	for (const n of numbers) await db`select pg_advisory_xact_lock(${PHONE_LOCK_NAMESPACE}, hashtext(${n.digits}))`;
	if (numbers.length === 0) return null;
	const [r] = await db<{ held: boolean; lastCall: Date | null }[]>`
		with others as (
			select distinct o.household_id from phones o
			where o.digits = any(${numbers.map((n) => n.digits)}::text[]) and o.household_id <> ${householdId} and o.valid and o.status = 'active'
		)
		select exists (select 1 from call_queue q join others using (household_id)
		               where q.state = 'claimed' and q.claimed_by <> ${userId}) as held,
		       (select max(c.started_at) from calls c join others using (household_id)
		        where c.started_at > now() - make_interval(mins => ${gapMinutes})) as last_call`;
	if (r.held) return new Date(Date.now() + gapMinutes * 60_000);
	if (r.lastCall) return new Date(r.lastCall.getTime() + gapMinutes * 60_000);
	return null;
}

/** A claimed household that may not be called yet (shared phone): back to waiting, the claim undone. */
export async function deferClaimed(db: Db, householdId: number, until: Date, reason: string): Promise<void> {
	await db`
		update call_queue set state = 'waiting', next_eligible_at = ${until}, wait_reason = ${reason},
		  claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null, version = version + 1, updated_at = now()
		where household_id = ${householdId}`;
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
		  wait_reason = null, claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null,
		  attempts = attempts + 1, last_attempt_at = now(), version = version + 1, updated_at = now()
		where household_id = ${householdId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Give back whatever these operators hold, without an outcome (a training run ends or a trainee leaves it). */
export async function releaseAllOf(db: Db, userIds: number[]): Promise<number> {
	if (userIds.length === 0) return 0;
	const r = await db`
		update call_queue set state = case when closed_reason is not null then 'closed' when next_eligible_at > now() then 'waiting' else 'ready' end,
		  claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null, version = version + 1, updated_at = now()
		where state = 'claimed' and claimed_by = any(${userIds}::bigint[])`;
	return r.count;
}

/** Give a held household back to the queue without an outcome. */
export async function release(db: Db, userId: number, householdId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		update call_queue set state = case when closed_reason is not null then 'closed' when next_eligible_at > now() then 'waiting' else 'ready' end,
		  claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null, version = version + 1, updated_at = now()
		where household_id = ${householdId} and state = 'claimed' and claimed_by = ${userId}
		returning ${db.unsafe(cols)}`;
	return r;
}

/**
 * Claims whose lease lapsed, locked for this sweep (SKIP LOCKED: another instance sweeping at the same time takes
 * others). The caller releases and places each.
 */
export async function takeLapsed(db: Db, limit = 500): Promise<QueueRow[]> {
	return db<QueueRow[]>`
		select ${db.unsafe(cols)} from call_queue where state = 'claimed' and claim_expires_at < now()
		order by claim_expires_at limit ${limit} for update skip locked`;
}

/**
 * Undo a claim: back to the state the row still describes (an inbound hold may have been taken from a closed or
 * waiting household: closed while it has a closed reason, waiting while its wait lasts, else ready); placement
 * then decides where it belongs.
 */
export async function releaseClaim(db: Db, householdId: number): Promise<QueueRow | undefined> {
	const [r] = await db<QueueRow[]>`
		update call_queue set state = case when closed_reason is not null then 'closed' when next_eligible_at > now() then 'waiting' else 'ready' end,
		  claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null, version = version + 1, updated_at = now()
		where household_id = ${householdId} and state = 'claimed'
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Whether an operator whose claim lapsed was recorded as on a household (then they are available again). */
export async function lapsedOperatorAvailable(db: Db, userId: number): Promise<boolean> {
	const [r] = await db<{ state: string }[]>`select state from operator_states where user_id = ${userId}`;
	return r?.state === 'on_household';
}

/** Households whose wait is over become callable; returns how many. */
export async function promoteDue(db: Db): Promise<number> {
	const rows = await db`
		update call_queue q set state = 'ready', next_eligible_at = null, wait_reason = null, version = q.version + 1, updated_at = now()
		from (select household_id from call_queue where state = 'waiting' and next_eligible_at <= now()
		      for update skip locked) due
		where q.household_id = due.household_id
		returning q.household_id`;
	return rows.length;
}

export interface OpenCallbackRow {
	callbackId: number;
	householdId: number;
	dueAt: Date;
	onlyMe: boolean;
	operatorId: number;
	/** the household's queue state now (null: not in the queue) */
	queueState: string | null;
	/** who holds the household now, if claimed */
	claimedBy: number | null;
	/** due and not yet honoured */
	overdue: boolean;
	/** reserved "only me", its grace is over: offered to anyone */
	reservedLapsed: boolean;
}

/** Every open callback with its household's queue state: overdue first, then by due time. Nothing is lost. */
export async function openCallbacks(db: Db): Promise<OpenCallbackRow[]> {
	return db<OpenCallbackRow[]>`
		select cb.id as callback_id, cb.household_id, cb.due_at, cb.only_me, cb.operator_id,
		  q.state as queue_state, q.claimed_by,
		  cb.due_at <= now() as overdue,
		  (cb.only_me and q.reserved_until is not null and q.reserved_until < now()) as reserved_lapsed
		from callbacks cb left join call_queue q on q.household_id = cb.household_id
		where cb.status = 'open'
		order by (cb.due_at <= now()) desc, cb.due_at, cb.id`;
}
