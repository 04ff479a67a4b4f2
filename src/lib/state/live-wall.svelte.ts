/**
 * The wall's live state: a snapshot from the server, small deltas applied as events arrive (so a change shows
 * at once), and a fresh snapshot shortly after any burst of events and on every (re)connect, so the numbers
 * never drift even if a message was missed (the Redis adapter has no connection-state recovery).
 */
import type { WallSnapshot } from '$lib/server/wall/wall';
import type { QueueChanged, OperatorStateChanged } from '$lib/realtime/events';
import { onMount } from 'svelte';
import { LiveConnection } from './socket.svelte';
import { BACKGROUND_HEADER } from '$lib/domain/background-request';

const REFRESH_DELAY_MS = 250;
const PERIODIC_REFRESH_MS = 30_000;

export class LiveWall {
	snapshot = $state<WallSnapshot>() as WallSnapshot;
	/** when the figures were last confirmed by the server */
	updatedAt = $state<string>('');
	live: LiveConnection | null = $state(null);
	#timer: ReturnType<typeof setTimeout> | null = null;
	#periodic: ReturnType<typeof setInterval> | null = null;
	#inflight = false;

	constructor(initial: WallSnapshot, private readonly url = '/api/wall') {
		this.snapshot = initial;
		this.updatedAt = initial.generatedAt;
	}

	connect() {
		const live = new LiveConnection();
		this.live = live;
		const s = live.socket;
		s.on('connect', () => this.refresh());
		s.on('queue:changed', (e) => {
			this.applyQueue(e);
			this.soon();
		});
		s.on('operator:state', (e) => {
			this.applyOperator(e);
			this.soon();
		});
		s.on('call:recorded', () => this.soon());
		s.on('queue:bulk', () => this.soon());
		this.#periodic = setInterval(() => this.refresh(), PERIODIC_REFRESH_MS);
	}

	close() {
		if (this.#timer) clearTimeout(this.#timer);
		if (this.#periodic) clearInterval(this.#periodic);
		this.live?.close();
	}

	applyQueue(e: QueueChanged) {
		const seg = this.snapshot.segments.find((s) => s.id === e.segmentId);
		if (!seg) return;
		const key = (st: string | null) => (st === 'ready' || st === 'claimed' || st === 'waiting' || st === 'closed' ? st : null);
		const from = key(e.from);
		const to = key(e.to);
		if (from && seg[from] > 0) seg[from] -= 1;
		if (to) seg[to] += 1;
	}

	applyOperator(e: OperatorStateChanged) {
		const op = this.snapshot.operators.find((o) => o.id === e.operatorId);
		if (!op) return;
		op.state = e.state;
		op.householdId = e.householdId;
	}

	/** A snapshot shortly after the last event of a burst. */
	soon() {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
	}

	async refresh() {
		if (this.#inflight) return this.soon();
		this.#inflight = true;
		try {
			// made by the page, not the person: it must not keep the session from idling out
			const res = await fetch(this.url, { headers: { accept: 'application/json', [BACKGROUND_HEADER]: '1' } });
			if (res.ok) {
				const snap = (await res.json()) as WallSnapshot;
				this.snapshot = snap;
				this.updatedAt = snap.generatedAt;
			}
		} catch {
			// offline: the status shows it; the next (re)connect refreshes
		} finally {
			this.#inflight = false;
		}
	}
}

/** A live wall for the component being initialised: connects on mount, closes on destroy. */
export function useLiveWall(initial: WallSnapshot): LiveWall {
	const wall = new LiveWall(initial);
	onMount(() => {
		wall.connect();
		return () => wall.close();
	});
	return wall;
}
