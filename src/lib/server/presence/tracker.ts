/**
 * Which users have a live connection, across instances. Connecting and going away end in presence.ts (markSeen,
 * markGone: PostgreSQL user_presence, the operator's state and its operator:state event); this decides *when*
 * a user is gone: their last socket anywhere closed, or the instance holding it died.
 *
 * With Redis (REDIS_URL), each instance keeps
 *   <prefix>presence:alive:<instance>     a key with a TTL (INSTANCE_TTL_MS), refreshed every BEAT_MS
 *   <prefix>presence:sockets:<instance>   a hash user id → number of sockets on that instance
 *   <prefix>presence:instances            the set of instances that registered
 * and every instance sweeps (one at a time, under a short lock): an instance whose alive key expired is dead;
 * its users who have no socket on a live instance are marked gone (offline within TTL + a beat: ~6.5 s).
 * Without Redis (one instance), the counts live in this process.
 */
import type { Redis } from 'ioredis';
import { markGone, markSeen } from './presence.ts';

export const INSTANCE_TTL_MS = 5000;
export const BEAT_MS = 1500;

export interface PresenceTracker {
	/** a socket of this user connected to this instance */
	connected(userId: number): Promise<void>;
	/** a socket of this user on this instance went away */
	disconnected(userId: number): Promise<void>;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/** One instance, no Redis: a count per user in this process. */
export function localPresence(): PresenceTracker {
	const sockets = new Map<number, number>();
	return {
		async connected(userId) {
			sockets.set(userId, (sockets.get(userId) ?? 0) + 1);
			await markSeen(userId);
		},
		async disconnected(userId) {
			const n = (sockets.get(userId) ?? 1) - 1;
			if (n > 0) return void sockets.set(userId, n);
			sockets.delete(userId);
			await markGone(userId);
		},
		async start() {},
		async stop() {}
	};
}

export function redisPresence(redis: Redis, opts: { prefix: string; instance: string; onError?: (e: unknown) => void; beatMs?: number; ttlMs?: number }): PresenceTracker {
	const beatMs = opts.beatMs ?? BEAT_MS;
	const ttlMs = opts.ttlMs ?? INSTANCE_TTL_MS;
	const k = {
		alive: (i: string) => `${opts.prefix}presence:alive:${i}`,
		sockets: (i: string) => `${opts.prefix}presence:sockets:${i}`,
		instances: `${opts.prefix}presence:instances`,
		lock: `${opts.prefix}presence:sweep-lock`
	};
	const self = opts.instance;
	let timer: ReturnType<typeof setInterval> | null = null;
	let beating: Promise<void> | null = null;

	/** Whether the user has a socket on a live instance other than `except`. */
	async function elsewhere(userId: number, except: string | null): Promise<boolean> {
		const instances = (await redis.smembers(k.instances)).filter((i) => i !== except);
		if (!instances.length) return false;
		const p = redis.pipeline();
		for (const i of instances) {
			p.exists(k.alive(i));
			p.hget(k.sockets(i), String(userId));
		}
		const res = (await p.exec()) ?? [];
		for (let j = 0; j < instances.length; j++) {
			const alive = Number(res[2 * j]?.[1] ?? 0) > 0;
			const n = Number(res[2 * j + 1]?.[1] ?? 0);
			if (alive && n > 0) return true;
		}
		return false;
	}

	/** An instance is gone (dead, or this one restarted under the same id): its users go offline unless seen elsewhere. */
	async function bury(instance: string): Promise<number> {
		const users = (await redis.hkeys(k.sockets(instance))).map(Number).filter((n) => Number.isInteger(n) && n > 0);
		await redis.multi().del(k.sockets(instance)).srem(k.instances, instance).exec();
		let gone = 0;
		for (const u of users) {
			if (await elsewhere(u, instance)) continue;
			await markGone(u);
			gone++;
		}
		return gone;
	}

	async function beat(): Promise<void> {
		await redis.multi().set(k.alive(self), '1', 'PX', ttlMs).sadd(k.instances, self).exec();
		// one sweeper at a time across instances (the lock lapses by itself if its holder dies)
		const got = await redis.set(k.lock, self, 'PX', beatMs, 'NX');
		if (got !== 'OK') return;
		const instances = (await redis.smembers(k.instances)).filter((i) => i !== self);
		if (!instances.length) return;
		const alive = await redis.mget(...instances.map(k.alive));
		for (let j = 0; j < instances.length; j++) if (alive[j] === null) await bury(instances[j]);
	}

	return {
		async connected(userId) {
			await redis.hincrby(k.sockets(self), String(userId), 1);
			await markSeen(userId);
		},
		async disconnected(userId) {
			const n = await redis.hincrby(k.sockets(self), String(userId), -1);
			if (n > 0) return;
			await redis.hdel(k.sockets(self), String(userId));
			if (await elsewhere(userId, self)) return;
			await markGone(userId);
		},
		async start() {
			// a previous process under this instance id left its sockets behind: they are gone
			await bury(self);
			await beat();
			timer = setInterval(() => {
				if (beating) return;
				beating = beat()
					.catch((e) => opts.onError?.(e))
					.finally(() => (beating = null));
			}, beatMs);
			timer.unref?.();
		},
		async stop() {
			if (timer) clearInterval(timer);
			timer = null;
			await beating;
			// the sockets' own disconnects have run (realtime.close closes them first); what remains is buried by the others
			await redis.del(k.alive(self)).catch(() => {});
		}
	};
}
