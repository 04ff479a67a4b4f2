/** SQL of login_throttle: the lockout and rate-limit counters when Redis is not configured or not reachable. */
import type { Db } from '../db.ts';

export interface CounterRow {
	key: string;
	count: number;
	lastAt: Date;
	expiresAt: Date;
}

/** Count one attempt in the key's fixed window (a new window starts when the last one has expired). */
export async function hitWindow(db: Db, key: string, windowSeconds: number): Promise<CounterRow> {
	const [row] = await db<CounterRow[]>`
		insert into login_throttle as t (key, count, last_at, expires_at)
		values (${key}, 1, now(), now() + make_interval(secs => ${windowSeconds}))
		on conflict (key) do update set
			count = case when t.expires_at <= now() then 1 else t.count + 1 end,
			last_at = case when t.expires_at <= now() then now() else t.last_at end,
			expires_at = case when t.expires_at <= now() then now() + make_interval(secs => ${windowSeconds}) else t.expires_at end
		returning key, count, last_at, expires_at`;
	return row;
}

/**
 * Count first, then decide: one attempt on the key, atomically, unless the count so far holds a lock that has
 * not ended (then nothing changes and no row comes back). The row is locked by the upsert, so of parallel
 * attempts each sees the count the one before left: no more than maxFailures pass before the lock.
 */
export async function countAttempt(
	db: Db,
	key: string,
	memorySeconds: number,
	p: { maxFailures: number; baseSeconds: number; maxSeconds: number }
): Promise<CounterRow | undefined> {
	const [row] = await db<CounterRow[]>`
		insert into login_throttle as t (key, count, last_at, expires_at)
		values (${key}, 1, now(), now() + make_interval(secs => ${memorySeconds}))
		on conflict (key) do update set
			count = case when t.expires_at <= now() then 1 else t.count + 1 end,
			last_at = now(),
			expires_at = now() + make_interval(secs => ${memorySeconds})
		where not (
			t.expires_at > now() and t.count >= ${p.maxFailures}::int
			and t.last_at + make_interval(secs => least(${p.maxSeconds}::float8, ${p.baseSeconds}::float8 * power(2, least(t.count - ${p.maxFailures}::int, 40)))) > now()
		)
		returning key, count, last_at, expires_at`;
	return row;
}

/** Take one attempt back (it succeeded); never below zero. */
export async function uncountAttempt(db: Db, key: string): Promise<void> {
	await db`update login_throttle set count = greatest(count - 1, 0) where key = ${key} and expires_at > now()`;
}

export async function readCounters(db: Db, keys: string[]): Promise<CounterRow[]> {
	return db<CounterRow[]>`
		select key, count, last_at, expires_at from login_throttle where key = any(${keys}::text[]) and expires_at > now()`;
}

export async function deleteCounter(db: Db, key: string): Promise<void> {
	await db`delete from login_throttle where key = ${key}`;
}

export async function deleteExpiredCounters(db: Db): Promise<number> {
	const rows = await db`delete from login_throttle where expires_at <= now() returning key`;
	return rows.length;
}
