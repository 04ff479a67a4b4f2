/** SQL of the calls, promises and outcome_codes tables (handoffs: src/lib/server/handoffs/handoffs.queries.ts). */
import type { Db } from '../db.ts';
import type { OutcomeCode, Party, QueueState } from '../../domain/outcomes.ts';

export async function outcomeCodes(db: Db): Promise<OutcomeCode[]> {
	return db<OutcomeCode[]>`
		select code, label_ja, label_en, kind, answered, right_party,
		  extract(epoch from retry_after)::int as retry_after_seconds
		from outcome_codes where active order by sort_order`;
}

export async function outcomeCode(db: Db, code: string): Promise<OutcomeCode | undefined> {
	const [o] = await db<OutcomeCode[]>`
		select code, label_ja, label_en, kind, answered, right_party, extract(epoch from retry_after)::int as retry_after_seconds
		from outcome_codes where code = ${code} and active`;
	return o;
}

export async function callByIdempotencyKey(db: Db, key: string) {
	const [c] = await db<{ id: number; householdId: number; operatorId: number; late: boolean }[]>`
		select id, household_id, operator_id, late from calls where idempotency_key = ${key}`;
	return c;
}

export async function phoneOfHousehold(db: Db, phoneId: number, householdId: number) {
	const [p] = await db<{ id: number; digits: string | null; raw: string }[]>`
		select id, digits, raw from phones where id = ${phoneId} and household_id = ${householdId}`;
	return p;
}

/** A household's queue row, locked for an outcome, with how it was claimed (outbound, callback, inbound). */
export interface LockedQueueRow {
	householdId: number;
	segmentId: number;
	state: QueueState;
	nextEligibleAt: Date | null;
	claimedBy: number | null;
	claimedAt: Date | null;
	claimKind: 'outbound' | 'callback' | 'inbound' | null;
	version: number;
	waitReason: string | null;
	closedReason: string | null;
}

/**
 * Lock a household's queue row for an outcome. Two saves of one outcome (a double press, an outbox resend racing
 * the original) queue up here, so the second finds the first's call by its idempotency key.
 */
export async function lockQueueRow(db: Db, householdId: number): Promise<LockedQueueRow | undefined> {
	const [r] = await db<LockedQueueRow[]>`
		select household_id, segment_id, state, next_eligible_at, claimed_by, claimed_at, claim_kind, version, wait_reason, closed_reason
		from call_queue where household_id = ${householdId} for update`;
	return r;
}

/**
 * Evidence that an operator who no longer holds a household did hold it recently: their latest claim of it (the
 * access log's household.claim row, written by every claim) within `hours`, provided they have recorded no call on
 * it since (a claim covers one conversation). Null when there is none: the operator never had the household.
 */
export async function recentClaimWithoutCall(db: Db, operatorId: number, householdId: number, hours: number) {
	const [r] = await db<{ claimedAt: Date; reason: string | null }[]>`
		select l.at as claimed_at, l.reason
		from access_log l
		where l.household_id = ${householdId} and l.user_id = ${operatorId} and l.action = 'household.claim'
		  and l.at > now() - make_interval(hours => ${hours})
		  and not exists (select 1 from calls c where c.household_id = ${householdId} and c.operator_id = ${operatorId} and c.recorded_at >= l.at)
		order by l.at desc limit 1`;
	return r ?? null;
}

/** Mark a number wrong, not in service, or active again, remembering who and when. */
export async function markPhone(db: Db, phoneId: number, status: 'wrong_number' | 'not_in_service' | 'active', by: number | null): Promise<void> {
	await db`update phones set status = ${status}, status_changed_at = now(), status_changed_by = ${by} where id = ${phoneId}`;
}

export async function insertCall(
	db: Db,
	c: {
		householdId: number;
		segmentId: number | null;
		operatorId: number;
		phoneId: number | null;
		dialedNumber: string | null;
		direction: 'outbound' | 'inbound';
		party: Party;
		outcomeCode: string;
		note: string | null;
		startedAt: Date;
		idempotencyKey: string | null;
		/** recorded after the claim had lapsed (the browser's outbox) */
		late?: boolean;
	}
): Promise<{ id: number; recordedAt: Date }> {
	const [row] = await db<{ id: number; recordedAt: Date }[]>`
		insert into calls (household_id, segment_id, operator_id, phone_id, dialed_number, direction, party, outcome_code, note, started_at, ended_at, idempotency_key, late)
		values (${c.householdId}, ${c.segmentId}, ${c.operatorId}, ${c.phoneId}, ${c.dialedNumber}, ${c.direction}, ${c.party},
		        ${c.outcomeCode}, ${c.note}, ${c.startedAt}, now(), ${c.idempotencyKey}, ${c.late ?? false})
		returning id, recorded_at`;
	return row;
}

/** The callback a call honoured. */
export async function linkCallback(db: Db, callId: number, callbackId: number): Promise<void> {
	await db`update calls set callback_id = ${callbackId} where id = ${callId}`;
}

export async function insertPromise(db: Db, p: { householdId: number; callId: number; amount: number; dueDate: string; createdBy: number }) {
	const [row] = await db<{ id: number }[]>`
		insert into promises (household_id, call_id, amount, due_date, created_by)
		values (${p.householdId}, ${p.callId}, ${p.amount}, ${p.dueDate}, ${p.createdBy}) returning id`;
	return row;
}
