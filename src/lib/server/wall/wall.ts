/**
 * The live views' snapshots for page loads and GET /api/wall (a first paint; the page then subscribes to the
 * view over the socket). The live engine's current snapshot when this process runs one (server/realtime.ts),
 * else computed here (vite dev without the realtime server, tests).
 */
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { composeViews } from '../live/compose.ts';
import { liveSource, type LiveViews } from '../live/registry.ts';
import type { LiveViewName } from '../../domain/live-view.ts';
export type { WallSnapshot, FloorSnapshot } from '../../domain/live-floor.ts';
export { FLOOR_HOURS as WALL_HOURS } from '../../domain/live-floor.ts';

/** A view's snapshot and version (version 0: computed here, not the engine's). */
export async function liveView<V extends LiveViewName>(view: V): Promise<{ version: number; snapshot: LiveViews[V] }> {
	const source = liveSource();
	if (source) {
		const cur = await source.current(view);
		// a copy: the engine patches its own in place while this one is serialized
		return { version: cur.version, snapshot: structuredClone(cur.snapshot) };
	}
	const cfg = loadConfig();
	const views = await composeViews(db(), {
		presenceTimeoutSeconds: cfg.PRESENCE_TIMEOUT_SECONDS,
		thresholds: { longCallMinutes: cfg.LONG_CALL_MINUTES, longBreakMinutes: cfg.LONG_BREAK_MINUTES }
	});
	return { version: 0, snapshot: views[view] };
}

export async function wallSnapshot(actor: Actor): Promise<LiveViews['wall']> {
	requirePermission(actor, 'wall.view');
	return (await liveView('wall')).snapshot;
}

export async function floorSnapshot(actor: Actor): Promise<LiveViews['floor']> {
	requirePermission(actor, 'floor.view');
	return (await liveView('floor')).snapshot;
}
