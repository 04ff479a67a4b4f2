/**
 * Placing a household again after something about it changed outside an outcome (a callback cancelled, a
 * do-not-call instruction lifted, a number marked or added by a supervisor). A household an operator holds is
 * left alone: their outcome places it. Otherwise the queue places it from its facts (queue/placement.ts).
 */
import type { Db } from '../db.ts';
import { placeHousehold } from '../queue/placement.ts';
import * as q from './calls.queries.ts';

export async function placeUnlessHeld(tx: Db, householdId: number, now = new Date()): Promise<{ state: string } | null> {
	const row = await q.lockQueueRow(tx, householdId);
	if (row?.state === 'claimed') return null;
	const placed = await placeHousehold(tx, householdId, { now });
	return placed ? { state: placed.state } : null;
}
