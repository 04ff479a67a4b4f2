/**
 * The wall display's snapshot: queue per segment, operators' states, and today's calls by hour with their rates.
 * Clients load it on every (re)connect and after live events, so nothing depends on not missing a message.
 */
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { rates, type Rates } from '../../domain/kpi.ts';
import * as q from './wall.queries.ts';

export interface WallSnapshot {
	generatedAt: string;
	segments: Awaited<ReturnType<typeof q.segmentCounts>>;
	operators: q.OperatorRow[];
	/** hours 8–21 (the hard calling limits), every hour present */
	hourly: (q.HourRow & Rates)[];
	today: Omit<q.HourRow, 'hour'> & Rates;
}

export const WALL_HOURS = Array.from({ length: 14 }, (_, i) => i + 8);

export async function wallSnapshot(actor: Actor): Promise<WallSnapshot> {
	requirePermission(actor, 'wall.view');
	const sql = db();
	const [segments, operators, hourly, totals] = await Promise.all([
		q.segmentCounts(sql),
		q.operators(sql, loadConfig().PRESENCE_TIMEOUT_SECONDS),
		q.hourlyToday(sql),
		q.totalsToday(sql)
	]);
	const byHour = new Map(hourly.map((h) => [h.hour, h]));
	const hours = [...new Set([...WALL_HOURS, ...hourly.map((h) => h.hour)])].sort((a, b) => a - b);
	return {
		generatedAt: new Date().toISOString(),
		segments,
		operators,
		hourly: hours.map((hour) => {
			const h = byHour.get(hour) ?? { hour, attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0 };
			return { ...h, ...rates(h) };
		}),
		today: { ...totals, ...rates(totals) }
	};
}
