/**
 * A live view in the browser (docs/api.md "Live views"): `live:subscribe` answers the server's snapshot at a
 * version; `live:delta` patches follow, each one version up, applied in order; `live:snapshot` replaces the view
 * after a server recompute. A gap in versions, or a reconnect (perhaps to another instance), subscribes again.
 * The page never fetches per event: the server computes once for all viewers.
 *
 * `stale` is true when the figures may no longer be current: not connected, or nothing confirmed by the server for
 * more than two of its recompute periods (it confirms at least once a period while someone watches).
 */
import { onMount } from 'svelte';
import { LiveConnection } from './socket.svelte';
import { applyPatch, deltaStep, snapshotStep, type LiveDelta, type LiveSnapshot, type LiveViewName } from '$lib/domain/live-view';
import type { FloorSnapshot, WallSnapshot } from '$lib/domain/live-floor';

export type { FloorSnapshot, WallSnapshot };
type Views = { floor: FloorSnapshot; wall: WallSnapshot };

const DEFAULT_PERIOD_MS = 5_000;
const TICK_MS = 1_000;

export class LiveView<T extends { generatedAt: string }> {
	snapshot = $state<T>() as T;
	/** server time of the last confirmed state */
	updatedAt = $state<string>('');
	live: LiveConnection | null = $state(null);
	/** the browser's clock, ticking each second (time in state, staleness) */
	now = $state(new Date());
	/** when the server last confirmed the view (browser time, ms) */
	#confirmedAt = $state(0);
	#periodMs = $state(DEFAULT_PERIOD_MS);
	/** the version held; null while a (re)subscribe is on its way */
	version: number | null = null;
	#tick: ReturnType<typeof setInterval> | null = null;
	#subscribing = false;

	constructor(
		readonly view: LiveViewName,
		initial: T
	) {
		this.snapshot = initial;
		this.updatedAt = initial.generatedAt;
	}

	get stale(): boolean {
		return this.live?.status !== 'connected' || this.now.getTime() - this.#confirmedAt > 2 * this.#periodMs;
	}

	connect(connection: LiveConnection = new LiveConnection()) {
		this.live = connection;
		const s = connection.socket;
		s.on('connect', () => void this.subscribe());
		s.on('disconnect', () => (this.version = null));
		s.on('live:delta', (d) => this.onDelta(d));
		s.on('live:snapshot', (m) => this.onSnapshot(m));
		if (s.connected) void this.subscribe();
		this.#tick = setInterval(() => (this.now = new Date()), TICK_MS);
	}

	close() {
		if (this.#tick) clearInterval(this.#tick);
		this.live?.close();
	}

	/** (Re)join the view: the answer is the whole snapshot at its version. */
	async subscribe() {
		const s = this.live?.socket;
		if (!s || this.#subscribing) return;
		this.#subscribing = true;
		this.version = null;
		try {
			const res = await s.timeout(10_000).emitWithAck('live:subscribe', { view: this.view });
			if (res.ok && res.data) {
				const d = res.data as LiveSnapshot<T> & { periodMs?: number };
				if (d.periodMs) this.#periodMs = d.periodMs;
				this.#take(d.snapshot, d.version);
			}
		} catch {
			// no answer (a network loss): the next connect subscribes again
		} finally {
			this.#subscribing = false;
		}
	}

	onDelta(d: LiveDelta) {
		if (d.view !== this.view) return;
		const step = deltaStep(this.version, d.version);
		if (step === 'resync') return void this.subscribe();
		if (step === 'ignore') return;
		try {
			applyPatch(this.snapshot, d.patch);
		} catch {
			return void this.subscribe();
		}
		this.version = d.version;
		this.updatedAt = d.at;
		this.#confirmedAt = Date.now();
	}

	onSnapshot(m: LiveSnapshot) {
		if (m.view !== this.view || this.version === null) return;
		if (snapshotStep(this.version, m.version) === 'replace') this.#take(m.snapshot as T, m.version);
	}

	#take(snapshot: T, version: number) {
		this.snapshot = snapshot;
		this.version = version;
		this.updatedAt = snapshot.generatedAt;
		this.#confirmedAt = Date.now();
		this.now = new Date();
	}
}

/** A live view for the component being initialised: connects on mount, closes on destroy. */
export function useLiveView<V extends LiveViewName>(view: V, initial: Views[V]): LiveView<Views[V]> {
	const lv = new LiveView<Views[V]>(view, initial);
	onMount(() => {
		lv.connect();
		return () => lv.close();
	});
	return lv;
}

/** The wall display's view (kept for the pages that used the old store). */
export type LiveWall = LiveView<WallSnapshot>;
export function useLiveWall(initial: WallSnapshot): LiveWall {
	return useLiveView('wall', initial);
}
