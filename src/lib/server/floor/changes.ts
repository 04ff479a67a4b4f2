/**
 * A control action on the floor, recorded in the caller's transaction: a row of today's changes feed
 * (floor_changes) and the live event `floor:changed`, so every supervisor's console recomputes at once. The
 * access-log row is written by the use case itself (its action name and reason are the auditor's record).
 * Used by floor.ts and by the segments editor (segments.ts), so that every change of the floor is in the feed
 * whichever page made it.
 */
import type { Db } from '../db.ts';
import type { Actor } from '../auth/actor.ts';
import { publish } from '../publish.ts';
import type { ChangeKind } from '../../domain/floor-controls.ts';
import { insertChange, operatorSegmentList } from './floor.queries.ts';

export async function recordFloorChange(tx: Db, actor: Actor, what: ChangeKind, params: Record<string, string | number | null>, summary: string): Promise<void> {
	const at = await insertChange(tx, { userId: actor.id > 0 ? actor.id : null, userName: actor.displayName || actor.loginId, what, params });
	await publish(tx, { type: 'floor:changed', data: { what, by: actor.id, at: new Date(at).toISOString(), summary } });
}

/**
 * Tell an operator that a supervisor changed their segments (`assignment:changed`, to that operator's sockets only):
 * their whole set now, and who changed it. In the caller's transaction, after the change.
 */
export async function announceAssignment(tx: Db, actor: Actor, operatorId: number): Promise<void> {
	const segments = await operatorSegmentList(tx, operatorId);
	await publish(tx, { type: 'assignment:changed', data: { operatorId, segments, by: actor.displayName || actor.loginId, at: new Date().toISOString() } });
}
