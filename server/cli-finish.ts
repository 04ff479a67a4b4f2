/** Close what a CLI command opened: the pool, and the embedded PostgreSQL if this process started it. */
export async function finish(b: { embedded: { stop: () => Promise<void> } | null }): Promise<void> {
	const { closeDb } = await import('../src/lib/server/db.ts');
	await closeDb();
	if (b.embedded) await b.embedded.stop();
}
