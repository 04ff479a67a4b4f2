/**
 * The wall view for whoever opens /wall: a user with wall.view, or a wall PC's display token. Both get the same
 * live wall snapshot, which holds no household data (domain/live-floor.ts WallSnapshot: no household ids or names).
 */
import { requirePermission, type Actor } from '../auth/actor.ts';
import { liveView } from '../wall/wall.ts';
import type { WallSnapshot } from '../../domain/live-floor.ts';
import type { Display } from './display.ts';

export async function wallForViewer(user: Actor | null, display: Display | null): Promise<WallSnapshot> {
	// a signed-in user is judged by their role (a display cookie on the same browser grants them nothing more)
	if (user || !display) requirePermission(user, 'wall.view');
	return (await liveView('wall')).snapshot;
}
