/**
 * Promise reconciliation (納付約束の消込) and the supervisor's promises view. The rules are pure
 * (src/lib/domain/promises.ts); this module loads a household's promises and payments, applies them, writes what
 * changed and re-places the households whose promises changed state.
 *
 * When it runs:
 * - at the end of every import, in the import's transaction, after the payments are merged and before the queue is
 *   rebuilt (a failed or refused import rolls it back with everything else): `reconcileInTx` with the import's
 *   基準日 as "today";
 * - once a day (server/sweeper.ts → `runDailyReconciliation`): the first sweep of each Tokyo day that gets both
 *   locks; recorded once per day (unique index), so several instances never run it twice;
 * - on a supervisor's demand (`reconcileNow`, /supervisor/promises).
 * All three hold PROMISE_LOCK (transaction-scoped advisory lock) so that two never interleave; the daily and manual
 * runs also need the import lock free (an import in progress reconciles itself at its end).
 */
import { z } from 'zod';
import { db, type Tx } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { loadCallingRules } from '../queue/rules.ts';
import { placeHouseholds } from '../queue/placement.ts';
import { changed, reconcile, addDays, type PromiseResult } from '../../domain/promises.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './promises.queries.ts';

/** The import's transaction-scoped lock (imports.ts): daily and manual runs skip while an import holds it. */
export const IMPORT_LOCK = 4_213_003;

export interface ReconcileCounts {
	/** households looked at */
	households: number;
	/** promises looked at (not cancelled) */
	checked: number;
	/** promises whose state, money counted or payments changed */
	changed: number;
	/** of those that changed: the state they are in now */
	kept: number;
	partlyKept: number;
	broken: number;
	pending: number;
}

/**
 * Reconcile in the caller's transaction (which must hold no other reconciliation: takes PROMISE_LOCK, waiting).
 * `today`: the Tokyo day to judge by. `importId`: also look at households that import brought payments for.
 * Returns the counts and the households whose promises changed state.
 */
export async function reconcileInTx(
	tx: Tx,
	opts: { today: string; importId?: number | null; source: 'import' | 'daily' | 'manual'; startedBy?: number | null; runId?: number | null }
): Promise<ReconcileCounts & { stateChanged: number[]; runId: number | null }> {
	await tx`select pg_advisory_xact_lock(${q.PROMISE_LOCK})`;
	const rules = await loadCallingRules(tx);
	const runId =
		opts.runId !== undefined
			? opts.runId
			: await q.insertRun(tx, { source: opts.source, runOn: opts.today, startedBy: opts.startedBy ?? null, importId: opts.importId ?? null });
	const households = await q.scopeHouseholds(tx, { importId: opts.importId ?? null });
	const counts: ReconcileCounts = { households: households.length, checked: 0, changed: 0, kept: 0, partlyKept: 0, broken: 0, pending: 0 };
	const stateChanged = new Set<number>();
	const BATCH = 2000;
	for (let i = 0; i < households.length; i += BATCH) {
		const ids = households.slice(i, i + BATCH);
		const [promises, payments] = await Promise.all([q.promisesOf(tx, ids), q.paymentsOf(tx, ids)]);
		const promisesBy = groupBy(promises, (p) => p.householdId);
		const paymentsBy = groupBy(payments, (p) => p.householdId);
		const writes: (PromiseResult & { householdId: number })[] = [];
		const same: number[] = [];
		for (const [householdId, ps] of promisesBy) {
			const results = reconcile(ps, paymentsBy.get(householdId) ?? [], rules.promiseGraceDays, opts.today);
			ps.forEach((stored, k) => {
				if (stored.status === 'cancelled') return;
				counts.checked++;
				const r = results[k];
				if (!changed(stored, r)) {
					same.push(r.id);
					return;
				}
				counts.changed++;
				if (r.status === 'kept') counts.kept++;
				else if (r.status === 'partly_kept') counts.partlyKept++;
				else if (r.status === 'broken') counts.broken++;
				else if (r.status === 'pending') counts.pending++;
				if (r.status !== stored.status) stateChanged.add(householdId);
				writes.push({ ...r, householdId });
			});
		}
		await q.writeResults(tx, writes);
		await q.touch(tx, same);
	}
	if (runId !== null) await q.finishRun(tx, runId, { ...counts });
	return { ...counts, stateChanged: [...stateChanged], runId };
}

function groupBy<T, K>(rows: readonly T[], key: (r: T) => K): Map<K, T[]> {
	const m = new Map<K, T[]>();
	for (const r of rows) {
		const k = key(r);
		const list = m.get(k);
		if (list) list.push(r);
		else m.set(k, [r]);
	}
	return m;
}

/** Re-place the households whose promises changed state (outside an import, which rebuilds the whole queue). */
async function placeChanged(tx: Tx, householdIds: number[], now: Date): Promise<void> {
	if (householdIds.length > 0) await placeHouseholds(tx, householdIds, { now });
}

export type DailyResult = { ran: true; counts: ReconcileCounts } | { ran: false; why: 'done' | 'busy' };

/**
 * The daily run: once per Tokyo day, whichever instance gets there first. Skips (`busy`) while another
 * reconciliation or an import holds its lock (the sweeper tries again on its next tick), and (`done`) when today's
 * run is recorded already. The households whose promises changed state are placed again in the same transaction.
 */
export async function runDailyReconciliation(opts: { now?: Date } = {}): Promise<DailyResult> {
	const now = opts.now ?? new Date();
	const today = tokyoDate(now);
	const sql = db();
	if (await q.dailyRunDone(sql, today)) return { ran: false, why: 'done' };
	return sql.begin(async (tx): Promise<DailyResult> => {
		const [locks] = await tx<{ promise: boolean; import: boolean }[]>`
			select pg_try_advisory_xact_lock(${q.PROMISE_LOCK}) as promise, pg_try_advisory_xact_lock(${IMPORT_LOCK}) as import`;
		if (!locks.promise || !locks.import) return { ran: false, why: 'busy' };
		const runId = await q.insertRun(tx, { source: 'daily', runOn: today, startedBy: null, importId: null });
		if (runId === null) return { ran: false, why: 'done' };
		const r = await reconcileInTx(tx, { today, source: 'daily', runId });
		await placeChanged(tx, r.stateChanged, now);
		const { stateChanged: _s, runId: _r, ...counts } = r;
		return { ran: true, counts };
	});
}

/** A supervisor runs the reconciliation now (e.g. after correcting a payment). Policy: queue.manage. */
export async function reconcileNow(actor: Actor, opts: { now?: Date } = {}): Promise<ReconcileCounts> {
	requirePermission(actor, 'queue.manage');
	const now = opts.now ?? new Date();
	const today = tokyoDate(now);
	return db().begin(async (tx) => {
		const [locks] = await tx<{ promise: boolean; import: boolean }[]>`
			select pg_try_advisory_xact_lock(${q.PROMISE_LOCK}) as promise, pg_try_advisory_xact_lock(${IMPORT_LOCK}) as import`;
		if (!locks.promise || !locks.import)
			throw new DomainError('conflict', 'an import or another reconciliation is running: try again in a minute', {
				reconcile: '取込または別の消込を実行中です。少し待ってからもう一度実行してください'
			});
		const r = await reconcileInTx(tx, { today, source: 'manual', startedBy: actor.id > 0 ? actor.id : null });
		await placeChanged(tx, r.stateChanged, now);
		const { stateChanged: _s, runId, ...counts } = r;
		await writeAccessLog(tx, actor, {
			action: 'promises.reconcile',
			reason: `run #${runId}: ${counts.checked} checked, ${counts.changed} changed (kept ${counts.kept}, partly kept ${counts.partlyKept}, broken ${counts.broken})`
		});
		return counts;
	});
}

// ─── the supervisor's view ─────────────────────────────────────────────────

export interface PromisesView {
	today: string;
	/** the last day of "this week" (today + 6) */
	weekEnd: string;
	dueToday: q.PromiseListRow[];
	/** due tomorrow … today + 6 */
	dueThisWeek: q.PromiseListRow[];
	/** judged broken or partly kept since yesterday 00:00 Tokyo */
	brokenSinceYesterday: q.PromiseListRow[];
	runs: q.RunRow[];
	limit: number;
	/** the calling rules' promiseGraceDays */
	graceDays: number;
}

const viewInput = z.object({
	limit: z.coerce
		.number({ error: 'limit: must be a number / 件数は数値で指定してください' })
		.int('limit: must be a whole number / 件数は整数で指定してください')
		.min(1, 'limit: at least 1 / 1以上で指定してください')
		.max(500, 'limit: at most 500 / 500以下で指定してください')
		.default(200)
});

/**
 * Promises due today, due this week, and broken since yesterday, with each household's segment and queue state.
 * Policy: queue.manage and household.read. Each household listed is written to the access log (household.view,
 * reason `promises`, fields ['identity', 'promises']).
 */
export async function promisesView(actor: Actor, raw: { limit?: unknown } = {}, opts: { now?: Date } = {}): Promise<PromisesView> {
	requirePermission(actor, 'queue.manage');
	requirePermission(actor, 'household.read');
	const parsed = viewInput.safeParse({ limit: raw.limit ?? undefined });
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const limit = parsed.data.limit;
	const now = opts.now ?? new Date();
	const today = tokyoDate(now);
	const weekEnd = addDays(today, 6);
	const yesterday = new Date(Date.parse(`${addDays(today, -1)}T00:00:00+09:00`));
	return db().begin(async (tx) => {
		const [dueToday, dueThisWeek, brokenSinceYesterday, runs, rules] = await Promise.all([
			q.dueBetween(tx, today, today, limit),
			q.dueBetween(tx, addDays(today, 1), weekEnd, limit),
			q.brokenSince(tx, yesterday, limit),
			q.recentRuns(tx, 5),
			loadCallingRules(tx)
		]);
		const shown = new Set([...dueToday, ...dueThisWeek, ...brokenSinceYesterday].map((r) => r.householdId));
		for (const householdId of shown) await writeAccessLog(tx, actor, { action: 'household.view', householdId, fields: ['identity', 'promises'], reason: 'promises' });
		const num = (rows: q.PromiseListRow[]) => rows.map((r) => ({ ...r, amount: Number(r.amount), paid: Number(r.paid) }));
		return { today, weekEnd, dueToday: num(dueToday), dueThisWeek: num(dueThisWeek), brokenSinceYesterday: num(brokenSinceYesterday), runs, limit, graceDays: rules.promiseGraceDays };
	});
}

