/**
 * Whether users' live connections are up, kept in PostgreSQL so that every instance agrees. A socket connect
 * marks the user connected, heartbeats keep it fresh, the last disconnect (or silence past the timeout, e.g.
 * an instance that died) marks them offline. Changes are published as operator:state.
 */
import { db, type Db } from '../db.ts';
import { publish } from '../publish.ts';
import type { OperatorState } from '../../realtime/events.ts';

async function stateOf(tx: Db, userId: number): Promise<{ state: OperatorState; householdId: number | null; role: string }> {
	const [r] = await tx<{ connected: boolean; householdId: number | null; role: string }[]>`
		select coalesce(p.connected, false) as connected, q.household_id, u.role
		from users u left join user_presence p on p.user_id = u.id
		left join call_queue q on q.claimed_by = u.id and q.state = 'claimed'
		where u.id = ${userId}`;
	if (!r) return { state: 'offline', householdId: null, role: 'unknown' };
	return { state: !r.connected ? 'offline' : r.householdId ? 'on_household' : 'idle', householdId: r.householdId, role: r.role };
}

async function announce(tx: Db, userId: number) {
	const s = await stateOf(tx, userId);
	if (s.role !== 'operator') return;
	await publish(tx, { type: 'operator:state', data: { operatorId: userId, state: s.state, householdId: s.householdId, at: new Date().toISOString() } });
}

/** A socket of this user connected (or sent a heartbeat). Publishes only when the user was offline. */
export async function markSeen(userId: number): Promise<void> {
	await db().begin(async (tx) => {
		const [prev] = await tx<{ connected: boolean }[]>`select connected from user_presence where user_id = ${userId} for update`;
		await tx`
			insert into user_presence (user_id, connected, last_seen_at) values (${userId}, true, now())
			on conflict (user_id) do update set connected = true, last_seen_at = now()`;
		if (!prev?.connected) await announce(tx, userId);
	});
}

/** The user's last socket went away. */
export async function markGone(userId: number): Promise<void> {
	await db().begin(async (tx) => {
		const rows = await tx`update user_presence set connected = false where user_id = ${userId} and connected returning user_id`;
		if (rows.length) await announce(tx, userId);
	});
}

/** Users silent for longer than the timeout are offline (their instance may have died). */
export async function sweepPresence(timeoutSeconds: number): Promise<number> {
	return db().begin(async (tx) => {
		const rows = await tx<{ userId: number }[]>`
			update user_presence set connected = false
			where connected and last_seen_at < now() - make_interval(secs => ${timeoutSeconds})
			returning user_id`;
		for (const r of rows) await announce(tx, r.userId);
		return rows.length;
	});
}
