/**
 * Whether users' live connections are up, kept in PostgreSQL so that every instance agrees. A socket connect
 * marks the user connected, heartbeats keep it fresh, the last disconnect (or silence past the timeout, e.g.
 * an instance that died) marks them offline. An operator's state follows (queue/states.ts: offline, and back to
 * available or on a household), published as operator:state.
 */
import { db } from '../db.ts';
import { syncPresenceState } from '../queue/states.ts';

/** A socket of this user connected (or sent a heartbeat). Publishes only when the user was offline. */
export async function markSeen(userId: number): Promise<void> {
	await db().begin(async (tx) => {
		const [prev] = await tx<{ connected: boolean }[]>`select connected from user_presence where user_id = ${userId} for update`;
		await tx`
			insert into user_presence (user_id, connected, last_seen_at) values (${userId}, true, now())
			on conflict (user_id) do update set connected = true, last_seen_at = now()`;
		if (!prev?.connected) await syncPresenceState(tx, userId, true);
	});
}

/** The user's last socket went away. */
export async function markGone(userId: number): Promise<void> {
	await db().begin(async (tx) => {
		const rows = await tx`update user_presence set connected = false where user_id = ${userId} and connected returning user_id`;
		if (rows.length) await syncPresenceState(tx, userId, false);
	});
}

/** Users silent for longer than the timeout are offline (their instance may have died). */
export async function sweepPresence(timeoutSeconds: number): Promise<number> {
	return db().begin(async (tx) => {
		const rows = await tx<{ userId: number }[]>`
			update user_presence set connected = false
			where connected and last_seen_at < now() - make_interval(secs => ${timeoutSeconds})
			returning user_id`;
		for (const r of rows) await syncPresenceState(tx, r.userId, false);
		return rows.length;
	});
}
