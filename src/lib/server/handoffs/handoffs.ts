/** Handoffs to ward staff (the full workflow comes with the handoff issue): the open list. */
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { openHandoffs } from '../calls/calls.queries.ts';

/** Open handoffs to the staff pool or to this staff member, oldest first. Each household shown is written to the access log. */
export async function listOpenHandoffs(actor: Actor) {
	requirePermission(actor, 'handoff.view');
	return db().begin(async (tx) => {
		const rows = await openHandoffs(tx, actor.id);
		for (const r of rows) await writeAccessLog(tx, actor, { action: 'household.view', householdId: r.householdId, fields: ['identity', 'handoffs'], reason: 'handoff' });
		return rows;
	});
}
