/**
 * The live views engine: one snapshot per view (floor, wall) per instance, pushed to all of its viewers.
 *
 * - Fast path: a live event (PostgreSQL NOTIFY, every instance LISTENs) becomes a small patch at once
 *   (live-floor.ts patchForEvent), applied here and sent as `live:delta` with the view's version + 1. The events
 *   heard in one turn of the event loop (one transaction's NOTIFYs arrive together: an outcome's call:recorded,
 *   queue:changed and operator:state) go out as one delta: one message per viewer per transaction.
 * - What an event cannot say exactly marks the views dirty: one recompute follows within DEBOUNCE_MS (single
 *   flight, once per instance, never per viewer), and a periodic recompute (LIVE_RECOMPUTE_SECONDS) corrects any
 *   drift while someone watches. A recompute is sent as a `live:delta` too: the diff between the view the viewers
 *   hold and the new one (diffView, computed once per view per recompute, encoded once per emit); a full
 *   `live:snapshot` only when the diff would be larger than the view. Subscribes are answered with the snapshot.
 * - A recompute never counts backwards: its reads run in one REPEATABLE READ transaction whose snapshot
 *   (pg_current_snapshot()) is kept; every event heard while it ran carries its transaction's id (publish.ts), and
 *   the events whose transaction that snapshot does not see are patched again onto the recomputed view before it
 *   is diffed and published (the viewers already have them).
 * - Database load depends on the number of instances and the event rate, not on the number of viewers: the
 *   subscribe answers the current snapshot (recomputed only when it is older than the periodic interval).
 */
import type { Db } from '../db.ts';
import { applyPatch, diffView, parseTxSnapshot, visibleInSnapshot, type LiveDelta, type LiveSnapshot, type LiveViewName, type PatchOp } from '../../domain/live-view.ts';
import { noteCall, patchForEvent, type CallMarks, type CallNews } from '../../domain/live-floor.ts';
import { tokyoDate, tokyoHour } from '../../domain/format.ts';
import type { LiveEvent } from '../../realtime/events.ts';
import { composeViewsAtSnapshot, type ComposeOptions, type ComposedViews } from './compose.ts';
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
	/** every live:delta emitted (event patches and recompute diffs) */
	deltas: number;
	/** live:delta emitted for a recompute (its diff) */
	diffs: number;
	/** live:snapshot emitted (a recompute whose diff was larger than the view) */
	snapshots: number;
	/** events heard during a recompute that its reads did not see, patched again onto its result */
	reapplied: number;
	/** events that marked the views dirty (asked for a recompute: what they could not say exactly) */
	dirtyEvents: number;
	/** the same by event type */
	dirtyBy: Record<string, number>;
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
	/** patches applied to the views but not yet sent (sent together at the end of this turn of the event loop) */
	#pending: Record<LiveViewName, { patch: PatchOp[]; at: string } | null> = { floor: null, wall: null };
	#flushing: ReturnType<typeof setImmediate> | null = null;
	/** events heard while a recompute runs (null when none runs) */
	#heard: LiveEvent[] | null = null;
	/** the households called today, as the last recompute read them and the calls heard since marked them */
	#marks: CallMarks | null = null;
	readonly stats: LiveStats = { recomputes: 0, deltas: 0, diffs: 0, snapshots: 0, reapplied: 0, dirtyEvents: 0, dirtyBy: {}, versions: this.#versions };

	constructor(private readonly opts: LiveEngineOptions) {}

	start(): void {
		this.#periodic = setInterval(() => {
			if (VIEWS.some((v) => this.opts.viewers(v) > 0)) void this.recompute().catch((e) => this.opts.onError?.(e));
		}, this.opts.periodMs);
		this.#periodic.unref?.();
	}

	stop(): void {
		this.#flush();
		if (this.#periodic) clearInterval(this.#periodic);
		if (this.#timer) clearTimeout(this.#timer);
		this.#periodic = this.#timer = null;
	}

	/**
	 * The view now, at its version: recomputed first when there is none, when it is older than the periodic
	 * interval, or (`settle`, the default: a page's load, GET /api/wall) when a recompute is pending for events it
	 * does not show exactly (a GET right after an outcome sees it counted in 本日対応済). A subscribing socket passes
	 * `settle: false`: the pending recompute reaches it as a delta like every other viewer, so a connect storm
	 * under a busy floor neither waits for recomputes nor brings them forward (single flight either way).
	 */
	async current<V extends LiveViewName>(view: V, opts: { settle?: boolean } = {}): Promise<{ view: V; version: number; snapshot: LiveViews[V] }> {
		const settle = opts.settle ?? true;
		// none yet: the first recompute, or the one already running (a storm of first subscribes waits for one)
		if (!this.#views[view]) await (this.#running ?? this.recompute());
		else if (!this.#timer && !this.#running && Date.now() - this.#computedAt > this.opts.periodMs) await this.recompute();
		// events are known that the view does not show exactly yet: answer after the recompute they asked for
		// (a few rounds at most: under a steady stream of events there is always another one pending)
		for (let round = 0; settle && round < 3 && (this.#timer || this.#running); round++) {
			if (this.#timer) {
				clearTimeout(this.#timer);
				this.#timer = null;
				await this.recompute();
			} else await this.#running;
		}
		// read after the await: every delta sent before this answer is included in it (patches not sent yet go now,
		// so that the version answered counts them)
		this.#flush();
		return { view, version: this.#versions[view], snapshot: this.#views[view] as LiveViews[V] };
	}

	/** A live event from NOTIFY: patch the views now, recompute soon when the patch is not the whole story. */
	onEvent(event: LiveEvent): void {
		let dirty = false;
		const at = new Date().toISOString();
		// a call: what it adds to the distinct counts, marked once (not once per view)
		const news = this.#views.floor ? callNews(this.#marks, event) : null;
		for (const view of VIEWS) {
			const snap = this.#views[view];
			if (!snap) continue; // nothing computed yet: the first subscribe computes
			const r = patchForEvent(snap, event, view, news);
			dirty ||= r.dirty;
			if (r.patch.length) this.#push(view, r.patch, at);
		}
		if (dirty) {
			this.stats.dirtyEvents++;
			this.stats.dirtyBy[event.type] = (this.stats.dirtyBy[event.type] ?? 0) + 1;
		}
		// a recompute in flight may or may not have read this event's work: it tells by the event's xid when it ends
		if (this.#heard) this.#heard.push(event);
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
			this.#heard = [];
			try {
				this.#again = false;
				this.stats.recomputes++;
				const next = await composeViewsAtSnapshot(this.opts.db(), this.opts);
				this.#computedAt = Date.now();
				this.#reapply(next, this.#heard);
				this.#heard = null;
				this.#marks = next.marks;
				for (const view of VIEWS) this.#replace(view, next[view]);
			} finally {
				// a recompute that failed: the events heard meanwhile are only patched in; read again soon
				if (this.#heard?.length) this.#again = true;
				this.#heard = null;
				this.#running = null;
				// what the events heard meanwhile could not say exactly: read once more, soon
				if (this.#again) this.markDirty();
			}
		})();
		return this.#running;
	}

	/**
	 * The events heard while the recompute read: those its snapshot saw are in what it read; the others are patched
	 * onto the result (the viewers have them already: without this the view would count backwards until the next
	 * recompute). An event that is not the whole story, or whose transaction is unknown, asks for one more recompute.
	 */
	#reapply(next: ComposedViews, heard: LiveEvent[]): void {
		const snap = parseTxSnapshot(next.txSnapshot);
		for (const event of heard) {
			if (snap && event.xid && visibleInSnapshot(event.xid, snap)) continue;
			// a call its reads did not see is not in the marks they gave either
			const news = snap && event.xid ? callNews(next.marks, event) : null;
			for (const view of VIEWS) {
				const r = patchForEvent(next[view], event, view, news);
				if (r.dirty) this.#again = true;
				if (!r.patch.length) continue;
				if (!snap || !event.xid) {
					// cannot tell whether the reads saw it: a recompute follows instead of guessing
					this.#again = true;
					continue;
				}
				applyPatch(next[view], r.patch);
				this.stats.reapplied++;
			}
		}
	}

	#replace<V extends LiveViewName>(view: V, next: LiveViews[V]): void {
		this.#flush();
		const prev = this.#views[view];
		this.#views[view] = next;
		if (!prev) {
			this.#snapshot(view, next);
			return;
		}
		// the viewers hold `prev` (every delta so far applied): send them the difference, once for all of them
		const patch = diffView(prev, next);
		if (!patch.length) return;
		const size = JSON.stringify(patch).length;
		if (size > 4096 && size >= JSON.stringify(next).length) {
			this.#snapshot(view, next);
			return;
		}
		const version = ++this.#versions[view];
		this.stats.deltas++;
		this.stats.diffs++;
		this.opts.emit(view, 'live:delta', { view, version, at: next.generatedAt, patch });
	}

	#snapshot<V extends LiveViewName>(view: V, next: LiveViews[V]): void {
		const version = ++this.#versions[view];
		this.stats.snapshots++;
		this.opts.emit(view, 'live:snapshot', { view, version, snapshot: next });
	}

	#push(view: LiveViewName, patch: PatchOp[], at: string): void {
		applyPatch(this.#views[view], patch);
		const pending = this.#pending[view];
		if (pending) {
			pending.patch.push(...patch);
			pending.at = at;
		} else this.#pending[view] = { patch: [...patch], at };
		this.#flushing ??= setImmediate(() => this.#flush());
	}

	/** Send the patches applied this turn: one delta per view, one version up. */
	#flush(): void {
		if (this.#flushing) clearImmediate(this.#flushing);
		this.#flushing = null;
		for (const view of VIEWS) {
			const pending = this.#pending[view];
			if (!pending) continue;
			this.#pending[view] = null;
			const version = ++this.#versions[view];
			this.stats.deltas++;
			this.opts.emit(view, 'live:delta', { view, version, at: pending.at, patch: pending.patch });
		}
	}
}

/** What a call:recorded adds to the distinct counts (marking it), null for other events or without marks. */
function callNews(marks: CallMarks | null, event: LiveEvent): CallNews | null {
	if (event.type !== 'call:recorded' || !marks) return null;
	const e = event.data;
	const hour = e.hour ?? tokyoHour(new Date(e.at));
	return noteCall(marks, { householdId: e.householdId, hour, segmentId: e.segmentId, answered: e.answered, rightParty: e.rightParty }, tokyoDate(new Date(e.at)));
}
