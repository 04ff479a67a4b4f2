/**
 * The supervisor's floor controls (issue #6), as the console shows them: the day's targets, the long-call and
 * long-break thresholds, today's changes, the assignment board (operators × segments, each operator's set with
 * its version), and the claims held now (a stuck one can be released). Pure: types, limits and the board's
 * arithmetic; the server builds `FloorControls` (src/lib/server/floor/floor.queries.ts) and the live engine puts
 * it in the floor snapshot (JSON: dates are ISO strings).
 *
 * "A team" is the operators assigned to a segment (kansho has no teams table: see access-scope.ts).
 */

export interface DayTargets {
	/** Tokyo date, YYYY-MM-DD */
	day: string;
	attempts: number;
	contacts: number;
	promises: number;
	/** yen */
	promisedAmount: number;
	/** 0 while no target was set for the day */
	version: number;
	updatedAt: string | null;
	updatedBy: string | null;
}

export interface FloorThresholds {
	longCallMinutes: number;
	longBreakMinutes: number;
	version: number;
	updatedAt: string | null;
	updatedBy: string | null;
}

export const defaultThresholds = { longCallMinutes: 10, longBreakMinutes: 20 } as const;

/** Limits of the inputs (the migration's checks say the same). */
export const limits = {
	targetCount: 1_000_000,
	promisedAmount: 100_000_000_000,
	longCallMinutes: [1, 240],
	longBreakMinutes: [1, 480],
	messageLength: 500
} as const;

/** What a change in the feed was (its i18n key is floor.changes.<what>). */
export const changeKinds = [
	'assign',
	'pause',
	'resume',
	'reorder',
	'release',
	'message',
	'targets',
	'thresholds',
	'segment_create',
	'segment_update',
	'rules'
] as const;
export type ChangeKind = (typeof changeKinds)[number];

export interface FloorChange {
	id: number;
	at: string;
	by: { id: number | null; name: string };
	what: ChangeKind;
	/** names and numbers for the sentence (segment, operator, target, counts): never a resident's data */
	params: Record<string, string | number | null>;
}

export interface BoardSegment {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	active: boolean;
	sortOrder: number;
	version: number;
	/** households callable now / held now */
	ready: number;
	claimed: number;
}

export interface BoardOperator {
	id: number;
	loginId: string;
	displayName: string;
	/** the version of this operator's set of segments (optimistic check of the board's saves) */
	version: number;
	segmentIds: number[];
}

export interface HeldClaim {
	householdId: number;
	segmentId: number;
	operatorId: number;
	operatorName: string;
	claimedAt: string | null;
	claimExpiresAt: string;
	version: number;
}

export interface FloorControls {
	/** Tokyo date the targets and the feed are for */
	day: string;
	targets: DayTargets;
	thresholds: FloorThresholds;
	/** today's changes, newest first (at most FEED_LIMIT) */
	changes: FloorChange[];
	/** segments in claim order (sort order, id) and the assignable operators */
	board: { segments: BoardSegment[]; operators: BoardOperator[] };
	/** claims held now, oldest first */
	claims: HeldClaim[];
}

export const FEED_LIMIT = 50;

/** Controls with nothing set (tests, a snapshot before the first recompute). */
export function emptyFloorControls(day: string): FloorControls {
	return {
		day,
		targets: { day, attempts: 0, contacts: 0, promises: 0, promisedAmount: 0, version: 0, updatedAt: null, updatedBy: null },
		thresholds: { ...defaultThresholds, version: 1, updatedAt: null, updatedBy: null },
		changes: [],
		board: { segments: [], operators: [] },
		claims: []
	};
}

/** A refused control: the current value travels with it (shown next to a clear message). */
export type StaleSubject = 'assignment' | 'segment' | 'order' | 'claim' | 'targets' | 'thresholds';

/**
 * The operator's segments after a card is dragged from one column to another: `from` null = from "unassigned"
 * (added), `to` null = to "unassigned" (removed from `from`). Order kept, no duplicates.
 */
export function movedSegments(current: readonly number[], from: number | null, to: number | null): number[] {
	const out = current.filter((s) => s !== from);
	if (to !== null && !out.includes(to)) out.push(to);
	return out;
}

/** The segment a "move up/down" would pass over, in claim order (sort order, then id); null at either end. */
export function neighbour<S extends { id: number; sortOrder: number }>(segments: readonly S[], id: number, direction: 'up' | 'down'): S | null {
	const ordered = [...segments].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
	const i = ordered.findIndex((s) => s.id === id);
	if (i < 0) return null;
	return ordered[direction === 'up' ? i - 1 : i + 1] ?? null;
}

/**
 * New sort orders after swapping `id` with its neighbour in `direction`: only the rows whose value changes.
 * Distinct values are swapped (two rows change); equal ones (ties broken by id) renumber the whole list in
 * steps of 10, so the order stays exactly the one asked for.
 */
export function reorder(segments: readonly { id: number; sortOrder: number }[], id: number, direction: 'up' | 'down'): Map<number, number> | null {
	const ordered = [...segments].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
	const i = ordered.findIndex((s) => s.id === id);
	const j = direction === 'up' ? i - 1 : i + 1;
	if (i < 0 || j < 0 || j >= ordered.length) return null;
	const a = ordered[i];
	const b = ordered[j];
	if (a.sortOrder !== b.sortOrder) return new Map([[a.id, b.sortOrder], [b.id, a.sortOrder]]);
	const swapped = [...ordered];
	swapped[i] = b;
	swapped[j] = a;
	const out = new Map<number, number>();
	swapped.forEach((s, k) => {
		if (s.sortOrder !== (k + 1) * 10) out.set(s.id, (k + 1) * 10);
	});
	return out;
}

/** Whether a state that began at `since` has lasted longer than `minutes` at `now`. */
export function isLong(since: Date | string | null, minutes: number, now: Date = new Date()): boolean {
	if (!since) return false;
	return now.getTime() - new Date(since).getTime() > minutes * 60_000;
}
