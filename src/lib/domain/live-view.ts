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
