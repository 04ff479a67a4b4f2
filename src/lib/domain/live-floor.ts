/**
 * The floor's live views (supervisor console `floor`, wall display `wall`): their snapshot types and how one live
 * event becomes a patch of them. Pure: the server applies the patch to its snapshot and sends it to every viewer,
 * the browser applies the same patch to its copy (live-view.ts).
 *
 * What an event cannot say exactly (distinct households contacted, the segment of a household just claimed, the
 * reasons households wait) is left to the server's next recompute (`dirty`), which follows within ~250 ms.
 */
import type { HandoffSummary } from './handoffs.ts';
import type { FloorCharts } from './floor-charts.ts';
import type { DayTargets, FloorControls } from './floor-controls.ts';
import { rates, type CallCounts, type Rates } from './kpi.ts';
import { tokyoHour } from './format.ts';
import type { PatchOp } from './live-view.ts';
import type { LiveEvent, OperatorState } from '../realtime/events.ts';

/** One operator as the console shows them. */
export interface FloorOperator {
	id: number;
	displayName: string;
	state: OperatorState;
	/** since when in this state (ISO), null when never recorded */
	since: string | null;
	/** with state break: its reason (breakReasons code, or 'other: note') */
	breakReason: string | null;
	/** the household held (floor view only; always null on the wall) */
	householdId: number | null;
	/** the held household's segment (code), null when none */
	segmentCode: string | null;
	/** calls recorded today (架電件数) */
	callsToday: number;
	/** answered calls today (応答) */
	contactsToday: number;
	/** codes of the segments the operator works */
	segments: string[];
}

/**
 * Why households of a segment are not callable now: the queue's wait reasons (calling-rules.ts WaitReason, plus
 * shared_phone), its closing reasons (prefixed `closed:`: no_phone, handoff, do_not_call, manual …), and `paused`
 * (the segment is paused: nothing in it is handed out).
 */
export interface NotCallable {
	reason: string;
	count: number;
}

/** The queue of one segment. */
export interface QueueSegment {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	/** false: paused (claims skip it) */
	active: boolean;
	/** queue rows by state */
	ready: number;
	claimed: number;
	waiting: number;
	closed: number;
	/** callable now: ready rows of an active segment */
	callable: number;
	/** waiting only for a calling window or time slot */
	windowWaiting: number;
	/** waiting for any other reason (attempt limits, gap, promise, payment, callback not due …) or closed as not to be called (not resolved) */
	suppressed: number;
	/** distinct households called today */
	doneToday: number;
	/** why the rest are not callable, largest first */
	notCallable: NotCallable[];
}

export type HourFigures = CallCounts & Rates & { hour: number };
export type DayFigures = CallCounts & Rates;

export interface FloorThresholds {
	longCallMinutes: number;
	longBreakMinutes: number;
}

/** The supervisor console's view. H2 (controls) and H3 (charts) add their parts here. */
export interface FloorSnapshot {
	generatedAt: string;
	operators: FloorOperator[];
	segments: QueueSegment[];
	/** hours of the calling day (8–21) and any other hour with calls, in order */
	hourly: HourFigures[];
	today: DayFigures;
	thresholds: FloorThresholds;
	/** the live charts (floor-charts.ts; docs/kpis.md): recomputed each tick, not patched by events */
	charts: FloorCharts;
	/** the supervisor's controls (floor-controls.ts): targets, thresholds, today's changes, the board, held claims; recomputed on floor:changed */
	controls: FloorControls;
	/** open staff handoffs by reason: counts (open, untaken, overdue) and ages (handoffs.ts); recomputed on handoff:changed and each tick */
	handoffs: HandoffSummary;
}

/** The wall display's view: no personal data (no household ids). */
export interface WallSnapshot {
	generatedAt: string;
	operators: Omit<FloorOperator, 'householdId'>[];
	segments: QueueSegment[];
	hourly: HourFigures[];
	today: DayFigures;
	/** the day's targets set by supervisors (no personal data) */
	targets: DayTargets;
	/** 約束金額 today (yen, from the charts' whole-day figures): recomputed each tick, not patched by events */
	promisedAmount: number;
}

export const FLOOR_HOURS = Array.from({ length: 14 }, (_, i) => i + 8);

/** The wall's view of a floor snapshot (a copy: the two are patched independently). */
export function wallFromFloor(f: FloorSnapshot): WallSnapshot {
	return structuredClone({
		generatedAt: f.generatedAt,
		operators: f.operators.map(({ householdId: _h, ...o }) => o),
		segments: f.segments,
		hourly: f.hourly,
		today: f.today,
		targets: f.controls.targets,
		promisedAmount: f.charts.today.promisedAmount
	});
}

/** The parts of a snapshot an event patches (both views have them). */
type Patchable = Pick<WallSnapshot, 'segments' | 'hourly' | 'today'> & { operators: (Omit<FloorOperator, 'householdId'> & { householdId?: number | null })[] };

export interface EventPatch {
	patch: PatchOp[];
	/** the view needs a recompute for what the event cannot say exactly */
	dirty: boolean;
}

const queueStates = ['ready', 'claimed', 'waiting', 'closed'] as const;
type CountedState = (typeof queueStates)[number];
const counted = (s: string | null): CountedState | null => ((queueStates as readonly string[]).includes(s ?? '') ? (s as CountedState) : null);

/** The figures of one hour or the day after adding one call, with their rates. */
function withCall(c: CallCounts, call: { answered: boolean; promise: boolean }): CallCounts & Rates {
	const n: CallCounts = {
		attempts: c.attempts + 1,
		answeredAttempts: c.answeredAttempts + (call.answered ? 1 : 0),
		householdsAttempted: c.householdsAttempted,
		householdsContacted: c.householdsContacted,
		rightPartyContacts: c.rightPartyContacts,
		promises: c.promises + (call.promise ? 1 : 0)
	};
	return { ...n, ...rates(n) };
}

/**
 * The patch of a view for one live event. `view` decides what may appear (the wall never gets a household id).
 * Events the views do not show exactly mark them dirty; events they do not show at all give nothing.
 */
export function patchForEvent(snap: Patchable, event: LiveEvent, view: 'floor' | 'wall'): EventPatch {
	const patch: PatchOp[] = [];
	switch (event.type) {
		case 'operator:state': {
			const e = event.data;
			const i = snap.operators.findIndex((o) => o.id === e.operatorId);
			// an operator not shown (new, or enabled since the snapshot): the recompute brings them
			if (i < 0) return { patch, dirty: true };
			const since = e.since ?? e.at;
			const o = snap.operators[i];
			if (o.state !== e.state) patch.push({ path: ['operators', i, 'state'], value: e.state });
			if (o.since !== since) patch.push({ path: ['operators', i, 'since'], value: since });
			const reason = e.state === 'break' ? (e.breakReason ?? null) : null;
			if (o.breakReason !== reason) patch.push({ path: ['operators', i, 'breakReason'], value: reason });
			if (view === 'floor' && (o.householdId ?? null) !== e.householdId) patch.push({ path: ['operators', i, 'householdId'], value: e.householdId });
			// the held household's segment is not in the event: known now only when there is none
			if (e.state !== 'on_household' && o.segmentCode !== null) patch.push({ path: ['operators', i, 'segmentCode'], value: null });
			return { patch, dirty: e.state === 'on_household' };
		}
		case 'queue:changed': {
			const e = event.data;
			const i = snap.segments.findIndex((s) => s.id === e.segmentId);
			if (i < 0) return { patch, dirty: true };
			const seg = snap.segments[i];
			const from = counted(e.from);
			const to = counted(e.to);
			if (from === to) return { patch, dirty: true }; // a wait reason or priority changed: counts stay
			if (from && seg[from] > 0) patch.push({ path: ['segments', i, from], inc: -1 });
			if (to) patch.push({ path: ['segments', i, to], inc: 1 });
			if (seg.active) {
				if (from === 'ready' && seg.callable > 0) patch.push({ path: ['segments', i, 'callable'], inc: -1 });
				if (to === 'ready') patch.push({ path: ['segments', i, 'callable'], inc: 1 });
			}
			// the wait and closing reasons' breakdown needs the rows' reasons: recomputed
			return { patch, dirty: from === 'waiting' || from === 'closed' || to === 'waiting' || to === 'closed' || !seg.active };
		}
		case 'call:recorded': {
			const e = event.data;
			const i = snap.operators.findIndex((o) => o.id === e.operatorId);
			if (i >= 0) {
				patch.push({ path: ['operators', i, 'callsToday'], inc: 1 });
				if (e.answered) patch.push({ path: ['operators', i, 'contactsToday'], inc: 1 });
			}
			const hour = e.hour ?? tokyoHour(new Date(e.at));
			const h = snap.hourly.findIndex((x) => x.hour === hour);
			if (h >= 0) {
				const next = withCall(snap.hourly[h], e);
				for (const k of ['attempts', 'answeredAttempts', 'promises', 'answerRate', 'promiseRate'] as const)
					if (next[k] !== snap.hourly[h][k]) patch.push({ path: ['hourly', h, k], value: next[k] });
			}
			const day = withCall(snap.today, e);
			for (const k of ['attempts', 'answeredAttempts', 'promises', 'answerRate', 'promiseRate'] as const)
				if (day[k] !== snap.today[k]) patch.push({ path: ['today', k], value: day[k] });
			// distinct households (attempted, contacted, right party, done today) and a missing hour: recomputed
			return { patch, dirty: true };
		}
		case 'queue:bulk':
		case 'segment:changed':
		case 'rules:changed':
		case 'data:erased':
		case 'floor:changed':
		case 'handoff:changed':
			return { patch, dirty: true };
		default:
			return { patch, dirty: false };
	}
}

/** An operator's time in state is long (highlighted on the console): on a household or on a break past its threshold. */
export function longInState(o: Pick<FloorOperator, 'state' | 'since'>, t: FloorThresholds, now: Date): 'long_call' | 'long_break' | null {
	if (!o.since) return null;
	const minutes = (now.getTime() - new Date(o.since).getTime()) / 60_000;
	if (o.state === 'on_household' && minutes >= t.longCallMinutes) return 'long_call';
	if (o.state === 'break' && minutes >= t.longBreakMinutes) return 'long_break';
	return null;
}

/** Minutes and seconds (m:ss, or h:mm:ss) from `since` to `now`. */
export function elapsed(since: string | null, now: Date): string {
	if (!since) return '—';
	const s = Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / 1000));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const ss = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
