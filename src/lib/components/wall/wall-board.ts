/**
 * What the big wall shows, derived from the live wall snapshot (pure, unit-tested): today's figures, the queue in
 * total and per active segment, operators counted by state. No household data is in the snapshot to begin with
 * (domain/live-floor.ts WallSnapshot); this only sums and orders.
 */
import type { WallSnapshot } from '../../domain/live-floor.ts';
import type { OperatorState } from '../../realtime/events.ts';

export const operatorStateOrder: readonly OperatorState[] = ['on_household', 'available', 'wrap_up', 'break', 'offline'];
/** a shape for each state besides its colour (colour is never the only signal) */
export const stateIcon: Record<OperatorState, string> = { available: '○', on_household: '●', wrap_up: '◐', break: '◇', offline: '✕' };

export interface QueueTotals {
	callable: number;
	claimed: number;
	windowWaiting: number;
	waiting: number;
	doneToday: number;
}

export function queueTotals(snap: Pick<WallSnapshot, 'segments'>): QueueTotals {
	const t: QueueTotals = { callable: 0, claimed: 0, windowWaiting: 0, waiting: 0, doneToday: 0 };
	for (const s of snap.segments) {
		t.callable += s.callable ?? 0;
		t.claimed += s.claimed ?? 0;
		t.windowWaiting += s.windowWaiting ?? 0;
		t.waiting += s.waiting ?? 0;
		t.doneToday += s.doneToday ?? 0;
	}
	return t;
}

/** Operators per state, every state present (zero included), in the wall's order. */
export function operatorsByState(snap: Pick<WallSnapshot, 'operators'>): { state: OperatorState; count: number }[] {
	const n = new Map<OperatorState, number>(operatorStateOrder.map((s) => [s, 0]));
	for (const o of snap.operators) n.set(o.state, (n.get(o.state) ?? 0) + 1);
	return operatorStateOrder.map((state) => ({ state, count: n.get(state) ?? 0 }));
}

/** Operators for the names panel: working ones first (on a household, available, wrap-up, break), offline last. */
export function operatorsForWall<T extends { state: OperatorState; displayName: string }>(ops: readonly T[]): T[] {
	const rank = (s: OperatorState) => operatorStateOrder.indexOf(s);
	return [...ops].sort((a, b) => rank(a.state) - rank(b.state) || a.displayName.localeCompare(b.displayName, 'ja'));
}

/**
 * The freshness the wall states: live (connected and confirmed recently), stale (connected but nothing confirmed
 * for a while), reconnecting (no connection: the figures are the last ones seen), ended (refused: token revoked or
 * sign-in gone; the socket will not come back by itself).
 */
export type Freshness = 'connecting' | 'connected' | 'stale' | 'reconnecting' | 'ended';

export function freshness(status: string | undefined, stale: boolean, refused: string | null | undefined): Freshness {
	if (refused) return 'ended';
	if (status === 'connecting' || status === undefined) return 'connecting';
	if (status !== 'connected') return 'reconnecting';
	return stale ? 'stale' : 'connected';
}

/**
 * How wide a big figure is, in em of a bold font with tabular digits: an estimate on the wide side (DejaVu Sans
 * Bold's digits are 0.70 em; Yu Gothic's and Noto's narrower), so that the wall can size each figure to its tile
 * before any measuring: font-size = min(the tile's cap, tile width / this). Digits and ¥ 0.72, separators 0.42, % 1.05,
 * Japanese characters (人) 1.05, anything else 0.8; never less than 2 (a single 0 stays the tile's cap size).
 */
export function figureEms(text: string): number {
	let ems = 0;
	for (const ch of text) {
		if (/[0-9¥$]/.test(ch)) ems += 0.72;
		else if (/[,.:]/.test(ch)) ems += 0.42;
		else if (ch === '%') ems += 1.05;
		else if (ch === ' ') ems += 0.3;
		else if (/[\u3000-\u9fff\uff00-\uffef]/.test(ch)) ems += 1.05;
		else ems += 0.8;
	}
	return Math.max(2, Math.round(ems * 100) / 100);
}
