/**
 * The live engine of this process, for the SvelteKit handler's loads (/supervisor, /api/wall, /wall). server/
 * and the SvelteKit build are bundled apart (two copies of every module), so the engine that server/realtime.ts
 * creates is found through a global, not a module variable. Null in `vite dev` without the realtime server and
 * in unit tests: the loads then compute the snapshot themselves.
 */
import type { LiveViewName } from '../../domain/live-view.ts';
import type { FloorSnapshot, WallSnapshot } from '../../domain/live-floor.ts';

export interface LiveViews {
	floor: FloorSnapshot;
	wall: WallSnapshot;
}

/** What a load may ask the engine (a structural type: the two bundles' classes are not the same class). */
export interface LiveSource {
	current<V extends LiveViewName>(view: V): Promise<{ view: V; version: number; snapshot: LiveViews[V] }>;
}

const KEY = Symbol.for('kansho.live.engine');

export function registerLiveSource(source: LiveSource | null): void {
	(globalThis as Record<symbol, unknown>)[KEY] = source;
}

export function liveSource(): LiveSource | null {
	return ((globalThis as Record<symbol, unknown>)[KEY] as LiveSource | undefined) ?? null;
}
