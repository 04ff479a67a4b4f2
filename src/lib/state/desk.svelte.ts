/**
 * The operator's desk (runes): what the operator is doing (available, on a household, wrap-up, break), the
 * wrap-up countdown after a save, the call timer, and 次の世帯 over the socket (the page's form action when the
 * socket is down). The server is told of wrap-up and breaks (`operator:set-state`) so that supervisors see them;
 * "on a household" and "available" follow from the claim and the outcome on the server.
 */
import type { LiveSocket } from './socket.svelte';
import type { ClaimView } from '$lib/realtime/events';

/** the reasons an operator may give for a break (休憩, 昼食, 研修, ミーティング, その他), as operator:set-state takes them */
export const deskBreakReasons = ['rest', 'lunch', 'training', 'meeting', 'other'] as const;
export type BreakReason = (typeof deskBreakReasons)[number];

export type DeskMode = 'available' | 'on_household' | 'wrap_up' | 'break';

export interface DeskMessage {
	kind: 'error' | 'info' | 'ok';
	/** i18n key */
	key: string;
	vars?: Record<string, unknown>;
	/** the server's error code, when it was one */
	code?: string;
}

const ACK_TIMEOUT_MS = 10_000;

export class DeskState {
	mode = $state<DeskMode>('available');
	breakReason = $state<BreakReason>('rest');
	/** when this desk's break began (for its mm:ss on the state bar); null when not on a break */
	breakSince = $state<number | null>(null);
	/** take a break instead of the next household when the wrap-up ends (key B during wrap-up) */
	breakAfterWrapUp = $state(false);
	wrapUntil = $state<number | null>(null);
	now = $state(Date.now());
	/** when the operator dialled (click-to-call), for the call timer and the outcome's startedAt */
	callStartedAt = $state<number | null>(null);
	dialledPhoneId = $state<number | null>(null);
	claiming = $state(false);
	/** 次の世帯 was asked for while outcomes waited in the outbox (or it was still loading): claimed once it is clear */
	nextWanted = false;
	message = $state<DeskMessage | null>(null);
	/** the claim's kind as the last claim:next answered it (callback, outbound) */
	lastClaim = $state<ClaimView | null>(null);

	readonly wrapLeft = $derived(this.wrapUntil === null ? 0 : Math.max(0, Math.ceil((this.wrapUntil - this.now) / 1000)));
	readonly breakSeconds = $derived(this.breakSince === null ? null : Math.max(0, Math.floor((this.now - this.breakSince) / 1000)));
	readonly callSeconds = $derived(this.callStartedAt === null ? null : Math.max(0, Math.floor((this.now - this.callStartedAt) / 1000)));

	constructor(
		private readonly opts: {
			socket: LiveSocket;
			wrapUpSeconds: number;
			/** reload the page's claim and card (invalidate 'kansho:claim') */
			reload: () => Promise<void>;
			/** 次の世帯 through the page's form action (no socket) */
			fallbackNext: () => void;
			/** false while outcomes wait in the outbox: the next household waits for them */
			mayClaim: () => boolean;
		}
	) {}

	/** Called every second: the clock, and the end of the wrap-up. */
	tick() {
		this.now = Date.now();
		// 次の世帯 pressed while the outbox was not clear (still loading, or sending): go on as soon as it is
		if (this.nextWanted && this.mode !== 'on_household' && !this.claiming && this.opts.mayClaim()) {
			this.nextWanted = false;
			void this.next();
			return;
		}
		if (this.mode === 'wrap_up' && this.wrapUntil !== null && this.now >= this.wrapUntil && !this.claiming) {
			if (this.breakAfterWrapUp) return void this.takeBreak(this.breakReason);
			if (this.opts.mayClaim()) void this.next();
			else if (this.message?.key !== 'operator.desk.waitOutbox') this.message = { kind: 'info', key: 'operator.desk.waitOutbox' };
		}
	}

	/** The page's claim changed (load, reload): on a household, or back to available when it went away. */
	claimChanged(holding: boolean, householdChanged: boolean) {
		if (holding) {
			this.nextWanted = false;
			this.mode = 'on_household';
			this.wrapUntil = null;
			if (householdChanged) {
				this.callStartedAt = null;
				this.dialledPhoneId = null;
			}
		} else if (this.mode === 'on_household') {
			this.mode = 'available';
			this.callStartedAt = null;
		}
	}

	/** 次の世帯. */
	async next(): Promise<void> {
		if (this.claiming) return;
		if (!this.opts.mayClaim()) {
			this.message = { kind: 'info', key: 'operator.desk.waitOutbox' };
			this.nextWanted = true;
			return;
		}
		this.wrapUntil = null;
		this.breakAfterWrapUp = false;
		const { socket } = this.opts;
		if (!socket.connected) {
			this.message = null;
			this.mode = 'available';
			this.opts.fallbackNext();
			return;
		}
		this.claiming = true;
		try {
			const r = await new Promise<{ ok: true; data: ClaimView } | { ok: false; code: string }>((resolve) =>
				socket.timeout(ACK_TIMEOUT_MS).emit('claim:next', {}, (err, res) =>
					resolve(err ? { ok: false, code: 'timeout' } : res.ok ? { ok: true, data: res.data as ClaimView } : res)
				)
			);
			if (r.ok) {
				this.lastClaim = r.data;
				this.message = null;
				this.mode = 'on_household';
				await this.opts.reload();
			} else if (r.code === 'timeout') {
				this.mode = 'available';
				this.opts.fallbackNext();
			} else {
				this.mode = 'available';
				this.message = { kind: r.code === 'queue_empty' || r.code === 'outside_window' ? 'info' : 'error', key: `errors.${r.code}`, code: r.code };
			}
		} finally {
			this.claiming = false;
		}
	}

	/** After a save: the wrap-up countdown, then the next household (or the break the operator asked for). */
	startWrapUp() {
		this.callStartedAt = null;
		this.dialledPhoneId = null;
		if (this.opts.wrapUpSeconds <= 0) {
			this.mode = 'wrap_up';
			this.wrapUntil = Date.now();
			this.tick();
			return;
		}
		this.mode = 'wrap_up';
		this.wrapUntil = Date.now() + this.opts.wrapUpSeconds * 1000;
		this.setState('wrap_up');
	}

	/** Space / N during the wrap-up. */
	skipWrapUp() {
		if (this.mode !== 'wrap_up') return;
		this.wrapUntil = Date.now();
		this.tick();
	}

	takeBreak(reason: BreakReason) {
		this.nextWanted = false;
		this.breakReason = reason;
		this.breakAfterWrapUp = false;
		this.wrapUntil = null;
		this.mode = 'break';
		this.breakSince = Date.now();
		this.now = this.breakSince;
		this.setState('break', reason);
	}

	/** Back from a break (or available): the next household at once. */
	resume() {
		this.breakSince = null;
		this.mode = 'available';
		this.setState('available');
		void this.next();
	}

	/** The operator dialled a number (tel: link or Alt+digit): the call timer starts. */
	dialled(phoneId: number) {
		this.dialledPhoneId = phoneId;
		this.callStartedAt ??= Date.now();
	}

	private setState(state: 'available' | 'wrap_up' | 'break', breakReason?: BreakReason) {
		const { socket } = this.opts;
		if (!socket.connected) return;
		// best effort: the floor's view of this operator; the desk works the same if the server does not answer
		// (typed loosely: the event is newer than some servers this page may meet during a rolling update)
		const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit: (event: string, payload: unknown, ack: (err: Error | null) => void) => void };
		timed.emit('operator:set-state', { state, ...(breakReason ? { breakReason } : {}) }, () => {});
	}
}
