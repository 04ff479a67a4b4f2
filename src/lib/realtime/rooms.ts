/** Room names, built only here. */
export const rooms = {
	/** every wall display and supervisor console */
	floor: 'floor',
	/** ward staff (handoff.view): handoff changes */
	staff: 'staff',
	/** the viewers of a live view (live:subscribe): its deltas and snapshots */
	live: (view: 'floor' | 'wall') => `live:${view}`,
	/** one user's sockets (all tabs, all instances) */
	user: (id: number) => `user:${id}`
} as const;
