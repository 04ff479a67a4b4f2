/**
 * Socket.IO on the HTTP server. Sockets are authenticated from the session cookie (the same lookup as pages);
 * unauthenticated sockets are refused. Live events come from PostgreSQL NOTIFY (published by use cases inside
 * their transactions, so only after commit); every instance LISTENs and emits to its own sockets (io.local), so
 * an event reaches clients on every instance exactly once. With REDIS_URL the Redis adapter connects the
 * instances for socket-level broadcasts and fetchSockets(); without it the in-memory adapter serves one instance.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { parse as parseCookie } from 'cookie';
import { actorForToken, SESSION_COOKIE, stillValid } from '../src/lib/server/auth/sessions.ts';
import { claimNextHousehold, releaseHousehold, renewClaim, type Claim } from '../src/lib/server/queue/claims.ts';
import { setOperatorState } from '../src/lib/server/queue/states.ts';
import { recordCallOutcome } from '../src/lib/server/calls/calls.ts';
import { addPhone, markPhone } from '../src/lib/server/phones/phones.ts';
import type { Actor } from '../src/lib/server/auth/actor.ts';
import type { Permission } from '../src/lib/domain/roles.ts';
import { markSeen } from '../src/lib/server/presence/presence.ts';
import { localPresence, redisPresence, type PresenceTracker } from '../src/lib/server/presence/tracker.ts';
import { LiveEngine } from '../src/lib/server/live/engine.ts';
import { registerLiveSource } from '../src/lib/server/live/registry.ts';
import { loadConfig } from '../src/lib/server/config.ts';
import { liveViews } from '../src/lib/domain/live-view.ts';
import { can } from '../src/lib/domain/roles.ts';
import { DomainError, invalidInput, isDomainError } from '../src/lib/server/errors.ts';
import { realDb } from '../src/lib/server/db.ts';
import { TRAINING_EVENTS_CHANNEL } from '../src/lib/server/publish.ts';
import { withActorMode } from '../src/lib/server/training/runs.ts';
import { logger } from '../src/lib/server/log.ts';
import {
	EVENTS_CHANNEL,
	type ClientToServerEvents,
	type LiveEvent,
	type ServerToClientEvents,
	type SocketData
} from '../src/lib/realtime/events.ts';
import { rooms } from '../src/lib/realtime/rooms.ts';
import { displayConnection, displayForHandshake } from './display-socket.ts';
import { liveDisplayTokens } from '../src/lib/server/display/display.ts';
import { handshakeOriginAllowed } from '../src/lib/server/security/headers.ts';

type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type KSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Realtime {
	io: Io;
	close: () => Promise<void>;
	redis: Redis | null;
	live: LiveEngine;
}

const subscribePayload = z.object({ view: z.enum(liveViews, { message: `must be one of ${liveViews.join(', ')}` }) }).strict();

const heartbeatPayload = z.object({ householdId: z.number().int().positive().nullable().optional() }).strict();

/** The largest message a client may send (a heartbeat is a few dozen bytes); a larger one closes the connection. */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024;

/**
 * Every event a client may send, and what it needs: the authorization matrix test (tests/authz-matrix.ts) checks
 * this list against the handlers below and walks each event for every role. A new handler needs an entry.
 */
export const clientEvents = {
	/** any signed-in user: renews presence; for operators also the lease on the household they hold */
	'presence:heartbeat': { permission: null },
	'claim:next': { permission: 'queue.claim' },
	'claim:release': { permission: 'queue.claim' },
	'outcome:record': { permission: 'call.record' },
	/** the operator's own state (available, wrap-up, break with a reason) */
	'operator:set-state': { permission: 'queue.claim' },
	/** the operator holding the household (call.record) or a supervisor of its segments (queue.manage): the use case decides */
	'phone:mark': { permission: null },
	'phone:add': { permission: null },
	/** a live view: wall needs wall.view, floor also floor.view (checked in the handler) */
	'live:subscribe': { permission: 'wall.view' }
} as const satisfies Record<keyof ClientToServerEvents, { permission: null | string }>;

function redisClient(url: string, name: string): Redis {
	const log = logger('redis');
	const client = new Redis(url, {
		// keep retrying forever with a ceiling; broadcasts sent while Redis is down are dropped, not queued
		retryStrategy: (n) => Math.min(n * 200, 2000),
		maxRetriesPerRequest: 2,
		connectionName: `kansho-${name}`
	});
	client.on('error', (e) => log.warn({ err: e.message, client: name }, 'redis error'));
	return client;
}

export async function attachRealtime(
	http: HttpServer,
	opts: {
		redisUrl?: string;
		/** security headers for the handshake and long-polling responses (server/index.ts) */
		headers?: Record<string, string>;
		/** ORIGIN, when configured: the only origin a browser's handshake may come from */
		origin?: string;
	}
): Promise<Realtime> {
	const log = logger('realtime');
	const config = loadConfig();
	const io: Io = new Server(http, {
		serveClient: false,
		transports: ['websocket', 'polling'],
		maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
		// a browser may connect only from our own pages (cross-site WebSocket hijacking); the session is checked next
		allowRequest: (req, cb) => {
			const ok = handshakeOriginAllowed(req.headers.origin, req.headers.host, opts.origin);
			if (!ok) log.warn({ origin: req.headers.origin }, 'socket handshake from another origin refused');
			cb(ok ? null : 'origin not allowed', ok);
		}
	});
	// Express never sees Socket.IO's own responses (it answers before Express): the same headers go on them here
	if (opts.headers) {
		const extra = opts.headers;
		io.engine.on('headers', (h: Record<string, string>) => Object.assign(h, extra));
	}
	let pub: Redis | null = null;
	let sub: Redis | null = null;
	if (opts.redisUrl) {
		pub = redisClient(opts.redisUrl, 'pub');
		sub = pub.duplicate();
		sub.on('error', (e) => log.warn({ err: e.message, client: 'sub' }, 'redis error'));
		// prefixed like every key kansho writes: instances of another deployment (or test run) on the same Redis stay apart
		io.adapter(createAdapter(pub, sub, { key: `${config.REDIS_KEY_PREFIX}socket.io` }));
	}
	const presence: PresenceTracker = pub
		? redisPresence(pub, { prefix: config.REDIS_KEY_PREFIX, instance: config.INSTANCE_ID, onError: (e) => log.warn({ err: e }, 'presence heartbeat') })
		: localPresence();
	await presence.start();

	// one snapshot per live view on this instance, pushed to its viewers (src/lib/server/live/engine.ts)
	const live = new LiveEngine({
		// the real floor, whatever context a request that asks for a snapshot runs in (a trainee's is the training set)
		db: realDb,
		periodMs: config.LIVE_RECOMPUTE_SECONDS * 1000,
		debounceMs: config.LIVE_DEBOUNCE_MS,
		presenceTimeoutSeconds: config.PRESENCE_TIMEOUT_SECONDS,
		thresholds: { longCallMinutes: config.LONG_CALL_MINUTES, longBreakMinutes: config.LONG_BREAK_MINUTES },
		emit: (view, event, payload) => io.local.to(rooms.live(view)).emit(event, payload as never),
		viewers: (view) => io.of('/').adapter.rooms.get(rooms.live(view))?.size ?? 0,
		onError: (e) => log.error({ err: e }, 'live views recompute failed')
	});
	live.start();
	registerLiveSource(live);

	io.use(async (socket, next) => {
		try {
			const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
			const actor = await actorForToken(cookies[SESSION_COOKIE], { touch: false });
			// who the client says it is (auth, query) counts for nothing; say so in the log when it tries
			const claimed = Object.keys(socket.handshake.auth ?? {}).filter((k) => /role|user|token|session/i.test(k));
			if (claimed.length) log.warn({ userId: actor?.id ?? null, claimed }, 'socket handshake claims ignored: the session decides');
			if (!actor) {
				// a wall PC: its display token (cookie) opens the wall view and nothing else (display-socket.ts)
				const display = await displayForHandshake(cookies, socket.handshake.address ?? null);
				if (display) {
					socket.data = { kind: 'display', tokenId: display.tokenId, label: display.label };
					return next();
				}
				return next(Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' } }));
			}
			socket.data = { kind: 'user', userId: actor.id, role: actor.role, sessionId: actor.sessionId };
			next();
		} catch (e) {
			log.error({ err: e }, 'socket auth failed');
			next(Object.assign(new Error('internal'), { data: { code: 'internal' } }));
		}
	});

	io.on('connection', (socket: KSocket) => {
		const data = socket.data;
		if (data.kind === 'display') {
			displayConnection(socket as never, {
				tokenId: data.tokenId,
				subscribeWall: async () => {
					await socket.join(rooms.live('wall'));
					return { ...(await live.current('wall', { settle: false })), periodMs: config.LIVE_RECOMPUTE_SECONDS * 1000 };
				},
				end: (reason) => endSession(socket, reason),
				onError: (e) => log.error({ err: e }, 'display subscribe failed')
			});
			return;
		}
		const { userId, role } = data;
		// only operators have a presence (their state on the console: available, offline …); a supervisor's console or
		// a wall sends no heartbeat and must not be counted online, then swept offline, nor cost a write per connect
		const tracksPresence = can(role, 'queue.claim');
		// handlers first, synchronously: an event sent right after connecting must find its handler

		socket.on('presence:heartbeat', async (payload, ack) => {
			const reply = typeof ack === 'function' ? ack : () => {};
			const parsed = heartbeatPayload.safeParse(payload ?? {});
			if (!parsed.success) return reply({ ok: false, code: 'invalid_input', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ') });
			try {
				// the session may have expired or been revoked since the socket connected
				const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
				// a heartbeat is not use: an open page alone does not keep a session from idling out
				const actor = await actorForToken(cookies[SESSION_COOKIE], { touch: false });
				if (!actor || actor.id !== userId) {
					reply({ ok: false, code: 'unauthenticated' });
					endSession(socket, 'expired');
					return;
				}
				// presence is the operators' (the console's states); other roles' sockets are not counted
				if (tracksPresence) await markSeen(userId);
				// a trainee's lease is on the training set's household (issue #9)
				const leaseExpiresAt = can(actor.role, 'queue.claim') ? await withActorMode(actor, () => renewClaim(actor)) : null;
				reply({ ok: true, data: { leaseExpiresAt: leaseExpiresAt?.toISOString() ?? null } });
			} catch (e) {
				if (isDomainError(e)) return reply({ ok: false, code: e.code, message: e.message });
				log.error({ err: e }, 'heartbeat failed');
				reply({ ok: false, code: 'internal' });
			}
		});

		/**
		 * A desk request: the session is looked up again (it may have ended since the socket connected), the role's
		 * permission checked, then one use case runs; its domain errors become `{ ok: false, code }` acks.
		 */
		const request = <T>(event: keyof typeof clientEvents, work: (actor: Actor, payload: unknown) => Promise<T>, opts: { desk?: boolean } = {}) =>
			async (payload: unknown, ack: unknown) => {
				const reply = (typeof ack === 'function' ? ack : () => {}) as (r: unknown) => void;
				try {
					const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
					const actor = await actorForToken(cookies[SESSION_COOKIE], { touch: true });
					if (!actor || actor.id !== userId) {
						reply({ ok: false, code: 'unauthenticated' });
						endSession(socket, 'expired');
						return;
					}
					const permission = clientEvents[event].permission as Permission | null;
					if (permission && !can(actor.role, permission)) return reply({ ok: false, code: 'forbidden' });
					// the desk's events of a trainee's session work the training set (issue #9); everything else is real
					reply({ ok: true, data: opts.desk ? await withActorMode(actor, () => work(actor, payload ?? {})) : await work(actor, payload ?? {}) });
				} catch (e) {
					if (isDomainError(e)) return reply({ ok: false, code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}), ...(e.params ? { params: e.params } : {}) });
					log.error({ err: e, event }, 'socket request failed');
					reply({ ok: false, code: 'internal' });
				}
			};
		const claimView = (c: Claim) => ({ ...c, claimExpiresAt: c.claimExpiresAt.toISOString(), kind: c.kind ?? 'outbound' });
		const desk = { desk: true };
		socket.on('claim:next', request('claim:next', async (actor) => claimView(await claimNextHousehold(actor)), desk));
		socket.on('claim:release', request('claim:release', async (actor, payload) => (await releaseHousehold(actor, payload), null), desk));
		socket.on(
			'outcome:record',
			request('outcome:record', async (actor, payload) => {
				// the browser's outbox resends with the same key: a socket save without one could be recorded twice
				const r = await recordCallOutcome(actor, payload, { requireKey: true });
				return { ...r, nextEligibleAt: r.nextEligibleAt?.toISOString() ?? null, late: r.late ?? false };
			}, desk)
		);
		socket.on(
			'operator:set-state',
			request('operator:set-state', async (actor, payload) => {
				const r = await setOperatorState(actor, payload);
				return { state: r.state, since: r.since.toISOString(), breakReason: r.breakReason };
			}, desk)
		);
		socket.on('phone:mark', request('phone:mark', async (actor, payload) => markPhone(actor, payload), desk));
		socket.on('phone:add', request('phone:add', async (actor, payload) => addPhone(actor, payload), desk));
		socket.on(
			'live:subscribe',
			request('live:subscribe', async (actor, payload) => {
				const parsed = subscribePayload.safeParse(payload);
				if (!parsed.success) throw invalidInput(parsed.error.issues);
				const { view } = parsed.data;
				if (view === 'floor' && !can(actor.role, 'floor.view')) throw new DomainError('forbidden', 'the floor view needs floor.view');
				// joined before the snapshot is read: a delta sent meanwhile is either in it (older version) or after it
				await socket.join(rooms.live(view));
				// the view brings everything the floor room's events say (call:recorded, queue:changed, operator:state …):
				// a socket following a view gets one message per change, not the view's delta and the raw events too
				await socket.leave(rooms.floor);
				return { ...(await live.current(view, { settle: false })), periodMs: config.LIVE_RECOMPUTE_SECONDS * 1000 };
			})
		);

		socket.on('disconnect', async (reason) => {
			// a message over MAX_SOCKET_MESSAGE_BYTES or one that does not parse closes the transport
			if (reason === 'transport error' || reason === 'parse error') log.warn({ userId, reason }, 'socket closed: oversized or malformed message');
			if (!tracksPresence) return;
			try {
				// other tabs or other instances may still hold a socket for this user (presence/tracker.ts)
				await presence.disconnected(userId);
			} catch (e) {
				log.warn({ err: e }, 'presence on disconnect');
			}
		});

		// rooms are joined at once (the adapter's join is synchronous); presence is written in the background
		void socket.join(rooms.user(userId));
		if (can(role, 'wall.view') || can(role, 'floor.view')) void socket.join(rooms.floor);
		if (can(role, 'handoff.view')) void socket.join(rooms.staff);
		if (tracksPresence) presence.connected(userId).catch((e) => log.error({ err: e }, 'presence'));
	});

	function endSession(s: KSocket, reason: 'logout' | 'revoked' | 'expired') {
		s.emit('session:ended', { reason });
		s.disconnect(true);
	}

	// Sessions expire and users are disabled while sockets stay open (wall displays send no heartbeats):
	// re-check this instance's sockets periodically and close those whose session is gone.
	const revalidate = setInterval(async () => {
		try {
			const all = [...io.of('/').sockets.values()];
			const local = all.filter((s) => s.data.kind !== 'display');
			const valid = await stillValid([...new Set(local.map((s) => s.data.sessionId!))]);
			for (const s of local) if (!valid.has(s.data.sessionId!)) endSession(s, 'expired');
			// walls: their display token may have been revoked while this instance missed the NOTIFY
			const walls = all.filter((s) => s.data.kind === 'display');
			const liveTokens = walls.length ? await liveDisplayTokens([...new Set(walls.map((s) => s.data.tokenId!))]) : new Set<number>();
			for (const s of walls) if (!liveTokens.has(s.data.tokenId!)) endSession(s, 'revoked');
		} catch (e) {
			log.warn({ err: e }, 'socket session check failed');
		}
	}, 30_000);
	revalidate.unref();

	// PostgreSQL → this instance's sockets
	const listener = await realDb().listen(EVENTS_CHANNEL, (payload) => {
		let event: LiveEvent;
		try {
			event = JSON.parse(payload);
		} catch {
			log.warn({ payload }, 'unparseable event');
			return;
		}
		switch (event.type) {
			case 'display:revoked':
				// the walls open with a revoked display token, on this instance
				for (const s of io.of('/').sockets.values()) {
					if (s.data.kind === 'display' && s.data.tokenId === event.data.tokenId) endSession(s, 'revoked');
				}
				break;
			case 'session:revoked':
				for (const s of io.of('/').sockets.values()) {
					if (s.data.sessionId === event.data.sessionId) endSession(s, event.data.reason ?? 'logout');
				}
				break;
			case 'operator:state':
				io.local.to(rooms.floor).to(rooms.user(event.data.operatorId)).emit(event.type, event.data);
				break;
			case 'claim:lost':
				// only the operator who held the household
				io.local.to(rooms.user(event.data.operatorId)).emit(event.type, event.data);
				break;
			case 'assignment:changed':
				// only that operator's own sockets, and only while their role may claim (the desk): not the floor room
				for (const s of io.of('/').sockets.values())
					if (s.data.kind !== 'display' && s.data.userId === event.data.operatorId && s.data.role && can(s.data.role, 'queue.claim')) s.emit(event.type, event.data);
				break;
			case 'import:progress':
				io.local.to(rooms.user(event.data.userId)).emit(event.type, event.data);
				break;
			case 'household:updated':
				// to the operator holding the household (a late outcome, a number changed by someone else), else the floor
				io.local.to(event.data.userId !== null ? rooms.user(event.data.userId) : rooms.floor).emit(event.type, event.data);
				break;
			case 'handoff:changed':
				// ward staff only (the floor view's counts recompute through live.onEvent below)
				io.local.to(rooms.staff).emit(event.type, event.data);
				break;
			case 'data:erased':
				// everyone: an operator's household, or a staff member's handoff, may be gone
				io.local.emit(event.type, event.data);
				break;
			case 'training:changed':
				// the trainee's desk reloads; supervisors' consoles may follow
				io.local.to(rooms.user(event.data.userId)).to(rooms.floor).emit(event.type, event.data);
				break;
			case 'training:attempt':
				// the trainers' consoles (supervisors): ids only; not the wall, not the live views
				for (const s of io.of('/').sockets.values()) if (s.data.role && can(s.data.role, 'training.run')) s.emit(event.type, event.data);
				break;
			case 'floor:message': {
				// a supervisor's message: only its recipients' sockets (every operator's with target 'all'), never the
				// floor room; the routing list stays on the server
				const { recipients, ...message } = event.data;
				if (message.target === 'all') {
					for (const s of io.of('/').sockets.values()) if (s.data.role === 'operator') s.emit('floor:message', message);
				} else if (recipients.length > 0) {
					io.local.to(recipients.map((id) => rooms.user(id))).emit('floor:message', message);
				}
				break;
			}
			default:
				io.local.to(rooms.floor).emit(event.type, event.data as never);
		}
		try {
			live.onEvent(event);
		} catch (e) {
			log.error({ err: e, type: event.type }, 'live views: event not applied');
			live.markDirty();
		}
	});

	// the training set's events (issue #9): to the trainee concerned and nobody else; never into the live views,
	// which are the real floor's
	const trainingListener = await realDb().listen(TRAINING_EVENTS_CHANNEL, (payload) => {
		let event: LiveEvent;
		try {
			event = JSON.parse(payload);
		} catch {
			return;
		}
		switch (event.type) {
			// marked, so that a desk of the same user on the other data set (another tab) ignores them
			case 'claim:lost':
			case 'operator:state':
				io.local.to(rooms.user(event.data.operatorId)).emit(event.type as 'claim:lost', { ...event.data, dataMode: 'training' } as never);
				break;
			case 'household:updated':
				if (event.data.userId !== null) io.local.to(rooms.user(event.data.userId)).emit(event.type, { ...event.data, dataMode: 'training' });
				break;
			default:
			// queue and call events of the training set: no real view follows them
		}
	});

	return {
		io,
		redis: pub,
		live,
		close: async () => {
			// no server-side disconnect: clients treat a closed transport as a network loss and reconnect
			// (to another instance, behind a load balancer); a disconnect packet would stop their reconnecting
			clearInterval(revalidate);
			await listener.unlisten().catch(() => {});
			await trainingListener.unlisten().catch(() => {});
			live.stop();
			registerLiveSource(null);
			await new Promise<void>((r) => io.close(() => r()));
			await presence.stop().catch(() => {});
			await Promise.allSettled([pub?.quit(), sub?.quit()]);
		}
	};
}
