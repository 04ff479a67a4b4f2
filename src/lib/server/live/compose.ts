/**
 * One recompute of the live views: the queries run once (per instance, per tick, whatever the number of viewers)
 * and both views are built from them. Other parts of the console plug in here as plain async functions of a Db
 * (H2's controls, H3's charts: see /tmp/briefs/contract6.md), so they too run once per tick.
 */
import type { Db, Sql } from '../db.ts';
import { rates } from '../../domain/kpi.ts';
import { FLOOR_HOURS, callMarks, wallFromFloor, type CallMarks, type FloorSnapshot, type FloorThresholds, type WallSnapshot } from '../../domain/live-floor.ts';
import * as q from './live.queries.ts';
import { floorCharts } from './charts.queries.ts';
import { floorControls } from '../floor/floor.queries.ts';
import { handoffSummary } from '../handoffs/handoffs.ts';

export interface ComposeOptions {
	presenceTimeoutSeconds: number;
	thresholds: FloorThresholds;
}

export async function composeViews(db: Db, opts: ComposeOptions): Promise<{ floor: FloorSnapshot; wall: WallSnapshot }> {
	const [operators, segments, hourly, totals, charts, controls, handoffs] = await Promise.all([
		q.floorOperators(db, opts.presenceTimeoutSeconds),
		q.queueSegments(db),
		q.hourlyToday(db),
		q.totalsToday(db),
		floorCharts(db),
		// the thresholds a supervisor set (floor_thresholds, /supervisor/controls); until one does, the configured ones
		floorControls(db, { configured: opts.thresholds }),
		// open staff handoffs by reason (counts and ages, no personal data)
		handoffSummary(db)
	]);
	const thresholds: FloorThresholds = { longCallMinutes: controls.thresholds.longCallMinutes, longBreakMinutes: controls.thresholds.longBreakMinutes };
	const byHour = new Map(hourly.map((h) => [h.hour, h]));
	const hours = [...new Set([...FLOOR_HOURS, ...hourly.map((h) => h.hour)])].sort((a, b) => a - b);
	const floor: FloorSnapshot = {
		generatedAt: new Date().toISOString(),
		operators,
		segments,
		hourly: hours.map((hour) => {
			const h = byHour.get(hour) ?? { hour, attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0 };
			return { ...h, ...rates(h) };
		}),
		today: { ...totals, ...rates(totals) },
		thresholds,
		charts,
		controls,
		handoffs
	};
	return { floor, wall: wallFromFloor(floor) };
}

export interface ComposedViews {
	floor: FloorSnapshot;
	wall: WallSnapshot;
	/** the transaction snapshot the reads saw (pg_current_snapshot()) */
	txSnapshot: string;
	/** today's calls as read in the same snapshot: the households already called (distinct counts) */
	marks: CallMarks;
}

/**
 * composeViews in one REPEATABLE READ read-only transaction, with the transaction snapshot its reads saw
 * (pg_current_snapshot(), taken first): the engine re-applies the events of transactions not visible in it. The
 * marks of today's calls are read in the same snapshot, so they agree with the distinct counts of the views.
 */
export async function composeViewsAtSnapshot(db: Db, opts: ComposeOptions): Promise<ComposedViews> {
	return (db as Sql).begin('isolation level repeatable read read only', async (tx) => {
		const txSnapshot = await q.txSnapshot(tx);
		const [views, day, rows] = await Promise.all([composeViews(tx, opts), q.tokyoToday(tx), q.callMarkRows(tx)]);
		return { ...views, txSnapshot, marks: callMarks(day, rows) };
	}) as Promise<ComposedViews>;
}
