/** Room names, built only here. */
export const rooms = {
	/** every wall display and supervisor console */
	floor: 'floor',
	/** one user's sockets (all tabs, all instances) */
	user: (id: number) => `user:${id}`
} as const;
