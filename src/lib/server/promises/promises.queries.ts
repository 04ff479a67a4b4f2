/** SQL of the promises reconciliation (promises, promise_payments, promise_reconciliations; payments read only). */
import type { Db, Tx } from '../db.ts';
import type { PaymentInput, PromiseAllocation, PromiseInput, PromiseResult, PromiseState } from '../../domain/promises.ts';

/** Serializes reconciliations (import, daily, manual): one at a time across instances. */
export const PROMISE_LOCK = 4_213_018;

/**
 * The households a reconciliation looks at: every household with a pending promise, and (after an import) every
 * household with a promise that is not cancelled and a payment that import brought (a correction can change a
 * promise already judged).
 */
export async function scopeHouseholds(tx: Db, opts: { importId?: number | null }): Promise<number[]> {
	const rows = await tx<{ householdId: number }[]>`
		select distinct household_id from promises where status = 'pending'
		${opts.importId
			? tx`union select distinct p.household_id from payments y join promises p on p.household_id = y.household_id and p.status <> 'cancelled'
			     where y.import_id = ${opts.importId}`
			: tx``}
		order by 1`;
	return rows.map((r) => r.householdId);
}

export interface StoredPromise extends PromiseInput {
	householdId: number;
	paid: number;
	payments: PromiseAllocation[];
}

/** The promises of these households, with what was counted last time. Locks them (FOR UPDATE). */
export async function promisesOf(tx: Db, householdIds: number[]): Promise<StoredPromise[]> {
	if (householdIds.length === 0) return [];
	const rows = await tx<
		{ id: number; householdId: number; amount: number; dueDate: string; madeOn: string; status: PromiseState; paid: number; payments: PromiseAllocation[] | null }[]
	>`
		select p.id, p.household_id, p.amount, p.due_date::text as due_date, (p.created_at at time zone 'Asia/Tokyo')::date::text as made_on,
		  p.status, p.paid_amount as paid,
		  (select json_agg(json_build_object('paymentId', pp.payment_id, 'amount', pp.amount) order by pp.payment_id)
		   from promise_payments pp where pp.promise_id = p.id) as payments
		from promises p where p.household_id = any(${householdIds}::bigint[])
		order by p.household_id, p.id
		for update of p`;
	return rows.map((r) => ({ ...r, amount: Number(r.amount), paid: Number(r.paid), payments: (r.payments ?? []).map((a) => ({ paymentId: Number(a.paymentId), amount: Number(a.amount) })) }));
}

/** The payments of these households: amount and the day paid (when the ward gave none: the day kansho recorded it). */
export async function paymentsOf(tx: Db, householdIds: number[]): Promise<(PaymentInput & { householdId: number })[]> {
	if (householdIds.length === 0) return [];
	const rows = await tx<(PaymentInput & { householdId: number })[]>`
		select y.id, y.household_id, y.amount, coalesce(y.paid_on, (y.recorded_at at time zone 'Asia/Tokyo')::date)::text as paid_on
		from payments y
		where y.household_id = any(${householdIds}::bigint[]) and y.amount <> 0
		order by y.household_id, y.id`;
	return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** Write the results that changed: state, money counted, settled_at (when it left pending), and its payments. */
export async function writeResults(tx: Tx, results: (PromiseResult & { householdId: number })[]): Promise<void> {
	if (results.length === 0) return;
	const ids = results.map((r) => r.id);
	await tx`
		update promises p set status = x.status, paid_amount = x.paid,
		  settled_at = case when x.status = 'pending' then null when p.status = x.status then p.settled_at else now() end,
		  reconciled_at = now()
		from (select unnest(${ids}::bigint[]) as id, unnest(${results.map((r) => r.status)}::text[]) as status,
		             unnest(${results.map((r) => r.paid)}::bigint[]) as paid) x
		where x.id = p.id`;
	await tx`delete from promise_payments where promise_id = any(${ids}::bigint[])`;
	const alloc = results.flatMap((r) => r.payments.map((a) => ({ promiseId: r.id, paymentId: a.paymentId, householdId: r.householdId, amount: a.amount })));
	if (alloc.length > 0)
		await tx`
			insert into promise_payments (promise_id, payment_id, household_id, amount)
			select * from unnest(${alloc.map((a) => a.promiseId)}::bigint[], ${alloc.map((a) => a.paymentId)}::bigint[],
			                     ${alloc.map((a) => a.householdId)}::bigint[], ${alloc.map((a) => a.amount)}::bigint[])`;
}

/** The promises a run looked at and found unchanged: only reconciled_at moves. */
export async function touch(tx: Db, ids: number[]): Promise<void> {
	if (ids.length > 0) await tx`update promises set reconciled_at = now() where id = any(${ids}::bigint[])`;
}

/**
 * Record a run. A daily run is recorded at most once per Tokyo day: returns null when that day's has been recorded
 * already (by this instance or another).
 */
export async function insertRun(
	tx: Db,
	r: { source: 'import' | 'daily' | 'manual'; runOn: string; startedBy: number | null; importId: number | null }
): Promise<number | null> {
	const rows =
		r.source === 'daily'
			? await tx<{ id: number }[]>`
				insert into promise_reconciliations (source, run_on, started_by, import_id) values ('daily', ${r.runOn}, ${r.startedBy}, ${r.importId})
				on conflict (run_on) where source = 'daily' do nothing returning id`
			: await tx<{ id: number }[]>`
				insert into promise_reconciliations (source, run_on, started_by, import_id) values (${r.source}, ${r.runOn}, ${r.startedBy}, ${r.importId}) returning id`;
	return rows[0]?.id ?? null;
}

export async function finishRun(tx: Db, id: number, counts: Record<string, number>): Promise<void> {
	await tx`update promise_reconciliations set counts = ${tx.json(counts)} where id = ${id}`;
}

export async function dailyRunDone(db: Db, day: string): Promise<boolean> {
	const [r] = await db<{ n: number }[]>`select count(*)::int as n from promise_reconciliations where source = 'daily' and run_on = ${day}`;
	return r.n > 0;
}

export interface RunRow {
	id: number;
	source: string;
	runOn: string;
	startedAt: Date;
	startedBy: string | null;
	importId: number | null;
	counts: Record<string, number>;
}

export async function recentRuns(db: Db, limit = 10): Promise<RunRow[]> {
	return db<RunRow[]>`
		select r.id, r.source, r.run_on::text as run_on, r.started_at, u.display_name as started_by, r.import_id, r.counts
		from promise_reconciliations r left join users u on u.id = r.started_by
		order by r.started_at desc, r.id desc limit ${limit}`;
}

// ─── the supervisor's view ─────────────────────────────────────────────────

export interface PromiseListRow {
	id: number;
	householdId: number;
	nhiNumber: string;
	amount: number;
	dueDate: string;
	madeAt: Date;
	status: PromiseState;
	paid: number;
	settledAt: Date | null;
	segment: string | null;
	queueState: string | null;
}

const listCols = (db: Db) => db`
	p.id, p.household_id, h.nhi_number, p.amount, p.due_date::text as due_date, p.created_at as made_at, p.status, p.paid_amount as paid,
	p.settled_at, s.name_ja as segment, q.state as queue_state`;

/** Promises falling due from `from` to `to` (inclusive) that are not cancelled, by due date. */
export async function dueBetween(db: Db, from: string, to: string, limit: number): Promise<PromiseListRow[]> {
	return db<PromiseListRow[]>`
		select ${listCols(db)}
		from promises p join households h on h.id = p.household_id
		left join call_queue q on q.household_id = p.household_id left join segments s on s.id = q.segment_id
		where p.due_date between ${from}::date and ${to}::date and p.status <> 'cancelled'
		order by p.due_date, p.id limit ${limit}`;
}

/** Promises judged broken or partly kept since `since` (settled_at), newest first. */
export async function brokenSince(db: Db, since: Date, limit: number): Promise<PromiseListRow[]> {
	return db<PromiseListRow[]>`
		select ${listCols(db)}
		from promises p join households h on h.id = p.household_id
		left join call_queue q on q.household_id = p.household_id left join segments s on s.id = q.segment_id
		where p.status in ('broken', 'partly_kept') and p.settled_at >= ${since}
		order by p.settled_at desc, p.id desc limit ${limit}`;
}
