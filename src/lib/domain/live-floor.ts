/**
 * The floor's live views (supervisor console `floor`, wall display `wall`): their snapshot types and how one live
 * event becomes a patch of them. Pure: the server applies the patch to its snapshot and sends it to every viewer,
 * the browser applies the same patch to its copy (live-view.ts).
 *
 * An event says exactly what it changes when it carries enough: a queue move with the rows' not-callable reasons
 * (`fromReason`/`toReason`), an operator's claim with its segment, a call together with the server's marks of the
 * households already called today (`CallMarks`: distinct households attempted, contacted, reached, per hour and per
 * segment). What an event cannot say exactly (an older publisher, a segment or operator the view does not show yet,
 * another day) is left to the server's next recompute (`dirty`), which follows within ~250 ms.
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

/** Wait reasons that are only a matter of the calling window or the time slot (windowWaiting, not suppressed). */
export const WINDOW_WAITS: readonly string[] = ['window', 'slot'];
/** Closing reasons that mean the case is done: such rows are finished, not "not callable". */
export const DONE_CLOSURES: readonly string[] = ['resolved'];

/**
 * The key a queue row counts under in its segment's `notCallable` breakdown (the same as live.queries.ts
 * queueSegments groups by): a waiting row's wait reason ('retry' when none is stored), 'closed:' and a closed row's
 * reason ('manual' when none) unless the case is done; null for ready and claimed rows and done cases.
 */
export function notCallableReason(row: { state: string; waitReason: string | null; closedReason: string | null }): string | null {
	if (row.state === 'waiting') return row.waitReason ?? 'retry';
	if (row.state === 'closed') {
		const reason = row.closedReason ?? 'manual';
		return DONE_CLOSURES.includes(reason) ? null : `closed:${reason}`;
	}
	return null;
}

/**
 * The not-callable keys the console names (i18n `live.queue.reasons.<key>`, the `closed:` prefix written `closed_`);
 * any other reason is shown as "other (reason)". `closed:holdout` is the randomized holdout (holdout.ts): households
 * of a segment set aside, not called from it, to measure what the calls add.
 */
export const NOT_CALLABLE_KEYS: readonly string[] = [
	'retry', 'gap', 'daily_limit', 'weekly_limit', 'slot', 'payment', 'promise', 'callback', 'handoff', 'not_before', 'do_not_call', 'window', 'shared_phone', 'paused',
	'closed_no_phone', 'closed_handoff', 'closed_do_not_call', 'closed_manual', 'closed_holdout'
];

/** Supervisor-facing text for a queue row's closed reason (the "why" page); an unknown reason is returned as it is. */
export function describeClosedReason(reason: string | null, locale: 'ja' | 'en'): string {
	const text: Record<string, [string, string]> = {
		resolved: ['完納・対象外', 'Paid up or out of scope'],
		no_phone: ['有効な電話番号なし（催告書の対象）', 'No callable number (letter candidate)'],
		handoff: ['職員へ引継ぎ済', 'Handed off to ward staff'],
		do_not_call: ['架電停止', 'Do not call'],
		manual: ['手動で終了', 'Closed by hand'],
		holdout: [
			'効果測定の対照群（この区分からは架電しません。催告書・受電・区の業務は通常どおり）',
			'Effect measurement holdout (not called from this segment; letters, inbound calls and the ward’s work continue)'
		]
	};
	const r = reason ?? 'manual';
	return text[r]?.[locale === 'ja' ? 0 : 1] ?? r;
}

/** A segment's not-callable breakdown in the order shown: largest first, then by reason. */
export function sortNotCallable(list: NotCallable[]): NotCallable[] {
	return list.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * The households called today as the server knows them (one per instance, beside its views; never sent): which
 * household was attempted, contacted and reached by the payer (本人接触) today, in which hour and in which segment.
 * Built from the recompute's reads (callMarks) and kept up to date by each call:recorded (noteCall), so that a call
 * patches the distinct-household counts exactly instead of asking for a recompute. Erased households' kept figures
 * (stats_calls) have no ids; they are disjoint from the live ones and stay in the counts as they are.
 */
export interface CallMarks {
	/** the Tokyo day (YYYY-MM-DD) the marks are of */
	day: string;
	seen: Set<string>;
}

export interface CallMarkRow {
	householdId: number;
	hour: number;
	segmentId: number | null;
	answered: boolean;
	rightParty: boolean;
}

/** What one call adds to the distinct counts (true: the first such call of the day for its household). */
export interface CallNews {
	attempted: boolean;
	contacted: boolean;
	rightParty: boolean;
	hourAttempted: boolean;
	hourContacted: boolean;
	hourRightParty: boolean;
	/** the first call today of this household in the call's segment (doneToday) */
	segment: boolean;
}

function mark(m: CallMarks, c: CallMarkRow): CallNews {
	const add = (k: string) => !m.seen.has(k) && !!m.seen.add(k);
	const h = c.householdId;
	return {
		attempted: add(`a:${h}`),
		contacted: c.answered ? add(`c:${h}`) : false,
		rightParty: c.rightParty ? add(`r:${h}`) : false,
		hourAttempted: add(`a${c.hour}:${h}`),
		hourContacted: c.answered ? add(`c${c.hour}:${h}`) : false,
		hourRightParty: c.rightParty ? add(`r${c.hour}:${h}`) : false,
		segment: c.segmentId === null ? false : add(`s${c.segmentId}:${h}`)
	};
}

/** The marks of a day from its calls (one row per call, or per distinct household, hour, segment and answer). */
export function callMarks(day: string, rows: Iterable<CallMarkRow>): CallMarks {
	const m: CallMarks = { day, seen: new Set() };
	for (const r of rows) mark(m, r);
	return m;
}

/**
 * Mark one recorded call (`day`: its Tokyo day). Returns what it adds to the distinct counts, or null when it is
 * of another day than the marks (the day turned: the views are recomputed).
 */
export function noteCall(m: CallMarks, call: CallMarkRow, day: string): CallNews | null {
	if (day !== m.day) return null;
	return mark(m, call);
}

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

/** The figures of one hour or the day after adding one call (and what it adds to the distinct counts), with their rates. */
function withCall(c: CallCounts, call: { answered: boolean; promise: boolean }, distinct: { attempted: boolean; contacted: boolean; rightParty: boolean } | null): CallCounts & Rates {
	const n: CallCounts = {
		attempts: c.attempts + 1,
		answeredAttempts: c.answeredAttempts + (call.answered ? 1 : 0),
		householdsAttempted: c.householdsAttempted + (distinct?.attempted ? 1 : 0),
		householdsContacted: c.householdsContacted + (distinct?.contacted ? 1 : 0),
		rightPartyContacts: c.rightPartyContacts + (distinct?.rightParty ? 1 : 0),
		promises: c.promises + (call.promise ? 1 : 0)
	};
	return { ...n, ...rates(n) };
}

const PATCHED_FIGURES = ['attempts', 'answeredAttempts', 'householdsAttempted', 'householdsContacted', 'rightPartyContacts', 'promises', 'answerRate', 'contactRate', 'rightPartyRate', 'promiseRate'] as const;

/**
 * The patch of a view for one live event. `view` decides what may appear (the wall never gets a household id).
 * Events the views do not show exactly mark them dirty; events they do not show at all give nothing. `news`: for a
 * call:recorded, what noteCall said it adds to the distinct counts (one noteCall per event, whatever the number of
 * views); without it (unknown, another day) the distinct counts are left to a recompute.
 */
export function patchForEvent(snap: Patchable, event: LiveEvent, view: 'floor' | 'wall', news?: CallNews | null): EventPatch {
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
			// the held household's segment: none off a household; on one, from the event's segment id (older
			// publishers and a segment the view does not show yet: from the recompute)
			let segmentCode: string | null | undefined = null;
			if (e.state === 'on_household') segmentCode = e.segmentId == null ? undefined : snap.segments.find((s) => s.id === e.segmentId)?.code;
			if (segmentCode !== undefined && o.segmentCode !== segmentCode) patch.push({ path: ['operators', i, 'segmentCode'], value: segmentCode });
			return { patch, dirty: segmentCode === undefined };
		}
		case 'queue:changed': {
			const e = event.data;
			// a household placed into another segment leaves one and enters the other (fromSegmentId: where it was)
			const i = snap.segments.findIndex((s) => s.id === e.segmentId);
			const j = e.fromSegmentId == null || e.fromSegmentId === e.segmentId ? i : snap.segments.findIndex((s) => s.id === e.fromSegmentId);
			if (i < 0 || j < 0) return { patch, dirty: true };
			const into = snap.segments[i];
			const outOf = snap.segments[j];
			const from = counted(e.from);
			const to = counted(e.to);
			// the rows' not-callable reasons, when the publisher sent them (undefined: an older publisher)
			const reasonsKnown = e.fromReason !== undefined && e.toReason !== undefined;
			if (i === j && from === to && !reasonsKnown) return { patch, dirty: true }; // a wait reason or priority changed
			if (i !== j || from !== to) {
				if (from && outOf[from] > 0) patch.push({ path: ['segments', j, from], inc: -1 });
				if (to) patch.push({ path: ['segments', i, to], inc: 1 });
				if (from === 'ready' && outOf.active && outOf.callable > 0) patch.push({ path: ['segments', j, 'callable'], inc: -1 });
				if (to === 'ready' && into.active) patch.push({ path: ['segments', i, 'callable'], inc: 1 });
			}
			// a paused segment's breakdown counts its ready rows too ('paused'): recomputed
			if (!into.active || !outOf.active) return { patch, dirty: true };
			// without the reasons, a move into or out of waiting or closed changes the breakdown in a way not known here
			if (!reasonsKnown) return { patch, dirty: from === 'waiting' || from === 'closed' || to === 'waiting' || to === 'closed' };
			const fromKey = from === 'waiting' || from === 'closed' ? (e.fromReason ?? null) : null;
			const toKey = to === 'waiting' || to === 'closed' ? (e.toReason ?? null) : null;
			if (i === j && fromKey === toKey) return { patch, dirty: false };
			const lists = new Map<number, NotCallable[]>();
			const listOf = (k: number) => lists.get(k) ?? lists.set(k, snap.segments[k].notCallable.map((r) => ({ ...r }))).get(k)!;
			if (fromKey !== null) {
				const r = listOf(j).find((x) => x.reason === fromKey);
				// the view does not count the row where the event says it was: the view and the rows disagree
				if (!r || r.count <= 0) return { patch, dirty: true };
				r.count--;
				patch.push({ path: ['segments', j, WINDOW_WAITS.includes(fromKey) ? 'windowWaiting' : 'suppressed'], inc: -1 });
			}
			if (toKey !== null) {
				const list = listOf(i);
				const r = list.find((x) => x.reason === toKey);
				if (r) r.count++;
				else list.push({ reason: toKey, count: 1 });
				patch.push({ path: ['segments', i, WINDOW_WAITS.includes(toKey) ? 'windowWaiting' : 'suppressed'], inc: 1 });
			}
			for (const [k, list] of lists) patch.push({ path: ['segments', k, 'notCallable'], value: sortNotCallable(list.filter((r) => r.count > 0)) });
			return { patch, dirty: false };
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
			const hourNews = news ? { attempted: news.hourAttempted, contacted: news.hourContacted, rightParty: news.hourRightParty } : null;
			if (h >= 0) {
				const next = withCall(snap.hourly[h], e, hourNews);
				for (const k of PATCHED_FIGURES) if (next[k] !== snap.hourly[h][k]) patch.push({ path: ['hourly', h, k], value: next[k] });
			} else if (hourNews) {
				// the first call in an hour outside the calling day's (an early or late call): the hours with it, in order
				const zero: CallCounts = { attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0 };
				const hourly = [...snap.hourly, { hour, ...withCall(zero, e, hourNews) }].sort((a, b) => a.hour - b.hour);
				patch.push({ path: ['hourly'], value: hourly });
			}
			const day = withCall(snap.today, e, news ?? null);
			for (const k of PATCHED_FIGURES) if (day[k] !== snap.today[k]) patch.push({ path: ['today', k], value: day[k] });
			let segmentKnown = e.segmentId === null;
			if (news && e.segmentId !== null) {
				const s = snap.segments.findIndex((x) => x.id === e.segmentId);
				segmentKnown = s >= 0;
				if (s >= 0 && news.segment) patch.push({ path: ['segments', s, 'doneToday'], inc: 1 });
			}
			// without the marks (distinct households), an hour the view does not show, a segment it does not know: recomputed
			return { patch, dirty: !news || !segmentKnown };
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
