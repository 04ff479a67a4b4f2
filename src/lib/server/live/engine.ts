/**
 * The live views engine: one snapshot per view (floor, wall) per instance, pushed to all of its viewers.
 *
 * - Fast path: a live event (PostgreSQL NOTIFY, every instance LISTENs) becomes a small patch at once
 *   (live-floor.ts patchForEvent), applied here and sent as `live:delta` with the view's version + 1.
 * - What an event cannot say exactly marks the views dirty: one recompute follows within DEBOUNCE_MS (single
 *   flight, once per instance, never per viewer), and a periodic recompute (LIVE_RECOMPUTE_SECONDS) corrects any
 *   drift while someone watches. A recompute that changed the view is sent as `live:snapshot`; one that did not
 *   confirms the view with a delta of its time only (viewers know their figures are current).
 * - Database load depends on the number of instances and the event rate, not on the number of viewers: the
 *   subscribe answers the current snapshot (recomputed only when it is older than the periodic interval).
 */
import type { Db } from '../db.ts';
import { applyPatch, type LiveDelta, type LiveSnapshot, type LiveViewName, type PatchOp } from '../../domain/live-view.ts';
import { patchForEvent } from '../../domain/live-floor.ts';
import type { LiveEvent } from '../../realtime/events.ts';
import { composeViews, type ComposeOptions } from './compose.ts';
import type { LiveSource, LiveViews } from './registry.ts';

export const DEBOUNCE_MS = 250;

export interface LiveEngineOptions extends ComposeOptions {
	db: () => Db;
	periodMs: number;
	/** send to the view's viewers on this instance */
	emit: (view: LiveViewName, event: 'live:delta' | 'live:snapshot', payload: LiveDelta | LiveSnapshot) => void;
	/** viewers of the view on this instance (periodic recomputes only while someone watches) */
	viewers: (view: LiveViewName) => number;
	onError?: (e: unknown) => void;
	debounceMs?: number;
}

export interface LiveStats {
	recomputes: number;
	deltas: number;
	snapshots: number;
	versions: Record<LiveViewName, number>;
}

const VIEWS: readonly LiveViewName[] = ['floor', 'wall'];

export class LiveEngine implements LiveSource {
	#views: Partial<LiveViews> = {};
	#versions: Record<LiveViewName, number> = { floor: 0, wall: 0 };
	#computedAt = 0;
	#running: Promise<void> | null = null;
	#again = false;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#periodic: ReturnType<typeof setInterval> | null = null;
	readonly stats: LiveStats = { recomputes: 0, deltas: 0, snapshots: 0, versions: this.#versions };

	constructor(private readonly opts: LiveEngineOptions) {}

	start(): void {
		this.#periodic = setInterval(() => {
			if (VIEWS.some((v) => this.opts.viewers(v) > 0)) void this.recompute().catch((e) => this.opts.onError?.(e));
		}, this.opts.periodMs);
		this.#periodic.unref?.();
	}

	stop(): void {
		if (this.#periodic) clearInterval(this.#periodic);
		if (this.#timer) clearTimeout(this.#timer);
		this.#periodic = this.#timer = null;
	}

	/**
	 * The view now, at its version: recomputed first when there is none, when it is older than the periodic
	 * interval, or when a recompute is pending for events it does not show exactly (a GET right after an outcome
	 * sees it counted in 本日対応済).
	 */
	async current<V extends LiveViewName>(view: V): Promise<{ view: V; version: number; snapshot: LiveViews[V] }> {
		if (!this.#timer && !this.#running && (!this.#views[view] || Date.now() - this.#computedAt > this.opts.periodMs)) await this.recompute();
		// events are known that the view does not show exactly yet: answer after the recompute they asked for
		// (a few rounds at most: under a steady stream of events there is always another one pending)
		for (let round = 0; round < 3 && (this.#timer || this.#running); round++) {
			if (this.#timer) {
				clearTimeout(this.#timer);
				this.#timer = null;
				await this.recompute();
			} else await this.#running;
		}
		// read after the await: every delta sent before this answer is included in it
		return { view, version: this.#versions[view], snapshot: this.#views[view] as LiveViews[V] };
	}

	/** A live event from NOTIFY: patch the views now, recompute soon when the patch is not the whole story. */
	onEvent(event: LiveEvent): void {
		let dirty = false;
		const at = new Date().toISOString();
		for (const view of VIEWS) {
			const snap = this.#views[view];
			if (!snap) continue; // nothing computed yet: the first subscribe computes
			const r = patchForEvent(snap, event, view);
			dirty ||= r.dirty;
			if (r.patch.length) this.#push(view, r.patch, at);
		}
		// a recompute in flight may have read before this event: it is followed by another
		if (this.#running) this.#again = true;
		else if (dirty) this.markDirty();
	}

	/** Recompute within the debounce interval (once, however many events or viewers). */
	markDirty(): void {
		if (this.#timer || !this.#views.floor) return;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.recompute().catch((e) => this.opts.onError?.(e));
		}, this.opts.debounceMs ?? DEBOUNCE_MS);
		this.#timer.unref?.();
	}

	/** Recompute both views (single flight: a call during a recompute runs one more after it). */
	recompute(): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			try {
				this.#again = false;
				this.stats.recomputes++;
				const next = await composeViews(this.opts.db(), this.opts);
				this.#computedAt = Date.now();
				for (const view of VIEWS) this.#replace(view, next[view]);
			} finally {
				this.#running = null;
				// events that arrived meanwhile may or may not be in what was read: read once more, soon
				if (this.#again) this.markDirty();
			}
		})();
		return this.#running;
	}

	#replace<V extends LiveViewName>(view: V, next: LiveViews[V]): void {
		const prev = this.#views[view];
		if (prev && sameFigures(prev, next)) {
			// unchanged: confirm it (its time) rather than resend it
			this.#push(view, [{ path: ['generatedAt'], value: next.generatedAt }], next.generatedAt);
			return;
		}
		this.#views[view] = next;
		const version = ++this.#versions[view];
		this.stats.snapshots++;
		this.opts.emit(view, 'live:snapshot', { view, version, snapshot: next });
	}

	#push(view: LiveViewName, patch: PatchOp[], at: string): void {
		applyPatch(this.#views[view], patch);
		const version = ++this.#versions[view];
		this.stats.deltas++;
		this.opts.emit(view, 'live:delta', { view, version, at, patch });
	}
}

function sameFigures(a: { generatedAt: string }, b: { generatedAt: string }): boolean {
	return JSON.stringify({ ...a, generatedAt: '' }) === JSON.stringify({ ...b, generatedAt: '' });
}
