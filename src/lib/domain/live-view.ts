/**
 * The live views' protocol, pure and shared by the server (which keeps one snapshot per view per instance) and the
 * browser (which mirrors it): a snapshot at a version, then small patches applied in order, each one version up.
 * A client that sees a gap (a missed delta, another instance after a reconnect) subscribes again and gets a
 * snapshot; it never guesses.
 */

export const liveViews = ['floor', 'wall'] as const;
export type LiveViewName = (typeof liveViews)[number];

/** A path into a snapshot: object keys and array indexes. */
export type PatchPath = readonly (string | number)[];

/** One change: set a value, or add to a number (counts). */
export type PatchOp = { path: PatchPath; value: unknown } | { path: PatchPath; inc: number };

/** `live:delta`: the view's version after this patch (previous + 1), and when the server applied it. */
export interface LiveDelta {
	view: LiveViewName;
	version: number;
	at: string;
	patch: PatchOp[];
}

/** `live:snapshot` (and the `live:subscribe` ack's data): the whole view at a version. */
export interface LiveSnapshot<T = unknown> {
	view: LiveViewName;
	version: number;
	snapshot: T;
}

/**
 * Apply a patch in place (the server's snapshot, the browser's $state proxy). A path that does not resolve is
 * an error: the two sides disagree, and the caller resynchronizes.
 */
export function applyPatch(target: unknown, patch: readonly PatchOp[]): void {
	for (const op of patch) {
		if (op.path.length === 0) throw new PatchError('empty path');
		let node = target as Record<string | number, unknown>;
		for (const key of op.path.slice(0, -1)) {
			const next = node?.[key];
			if (next === null || typeof next !== 'object') throw new PatchError(`no ${op.path.join('.')}`);
			node = next as Record<string | number, unknown>;
		}
		const last = op.path[op.path.length - 1];
		if (node === null || typeof node !== 'object') throw new PatchError(`no ${op.path.join('.')}`);
		if ('inc' in op) {
			const cur = node[last];
			if (typeof cur !== 'number') throw new PatchError(`not a number: ${op.path.join('.')}`);
			node[last] = cur + op.inc;
		} else {
			node[last] = op.value;
		}
	}
}

export class PatchError extends Error {}

/** What a client does with a delta, given the version it holds (null: no snapshot yet). */
export function deltaStep(held: number | null, incoming: number): 'apply' | 'ignore' | 'resync' {
	if (held === null) return 'ignore'; // the subscribe's snapshot is on its way and will include it or follow it
	if (incoming <= held) return 'ignore'; // already included (a delta that raced the snapshot)
	if (incoming === held + 1) return 'apply';
	return 'resync';
}

/** A snapshot replaces what is held unless it is older (a late snapshot after a newer delta). */
export function snapshotStep(held: number | null, incoming: number): 'replace' | 'ignore' {
	return held === null || incoming >= held ? 'replace' : 'ignore';
}

/**
 * The patch that turns `prev` into `next` (JSON-shaped values: what a snapshot holds): the server computes it once
 * per recompute and sends it to every viewer as a `live:delta`, instead of the whole view. Values are set, never
 * incremented (a diff is exact, whatever the holder's copy had). An object whose keys differ, an array whose length
 * differs, or a value that changed type is set whole at its path; otherwise the diff descends. Neither input is
 * modified; values in the patch are `next`'s own (do not modify `next` afterwards while the patch is in use).
 */
export function diffView(prev: unknown, next: unknown): PatchOp[] {
	const out: PatchOp[] = [];
	diffInto(prev, next, [], out);
	return out;
}

function diffInto(a: unknown, b: unknown, path: (string | number)[], out: PatchOp[]): void {
	if (Object.is(a, b)) return;
	if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
		out.push({ path: [...path], value: b });
		return;
	}
	if (Array.isArray(a) || Array.isArray(b)) {
		if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
			out.push({ path: [...path], value: b });
			return;
		}
		for (let i = 0; i < a.length; i++) {
			path.push(i);
			diffInto(a[i], b[i], path, out);
			path.pop();
		}
		return;
	}
	const ao = a as Record<string, unknown>;
	const bo = b as Record<string, unknown>;
	const ak = Object.keys(ao);
	const bk = Object.keys(bo);
	if (ak.length !== bk.length || bk.some((k) => !Object.hasOwn(ao, k))) {
		out.push({ path: [...path], value: b });
		return;
	}
	for (const k of bk) {
		path.push(k);
		diffInto(ao[k], bo[k], path, out);
		path.pop();
	}
}

/** A snapshot's transaction snapshot (pg_current_snapshot()): what it sees of other transactions. */
export interface TxSnapshot {
	xmin: bigint;
	xmax: bigint;
	/** in progress when the snapshot was taken (xmin ≤ xid < xmax) */
	xip: ReadonlySet<bigint>;
}

/** Parse pg_current_snapshot()::text, `xmin:xmax:xip,xip,…`; null when it is not one. */
export function parseTxSnapshot(text: string): TxSnapshot | null {
	const m = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
	if (!m) return null;
	const xip = m[3] ? m[3].split(',').map((x) => BigInt(x)) : [];
	return { xmin: BigInt(m[1]), xmax: BigInt(m[2]), xip: new Set(xip) };
}

/**
 * Whether the work of committed transaction `xid` (pg_current_xact_id(), as text) is visible in `snap`
 * (pg_visible_in_snapshot's rule for a committed transaction): before xmin, or before xmax and not in progress.
 * An xid that is not a number counts as not visible (its event is re-applied: the safe side for a count).
 */
export function visibleInSnapshot(xid: string | null | undefined, snap: TxSnapshot): boolean {
	if (!xid || !/^\d+$/.test(xid)) return false;
	const x = BigInt(xid);
	if (x < snap.xmin) return true;
	if (x >= snap.xmax) return false;
	return !snap.xip.has(x);
}
