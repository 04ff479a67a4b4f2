/** Close what a CLI command opened: the pool, and the embedded PostgreSQL if this process started it. */
export async function finish(b: { embedded: { stop: () => Promise<void> } | null }): Promise<void> {
	const { closeDb } = await import('../src/lib/server/db.ts');
	await closeDb();
	if (b.embedded) await b.embedded.stop();
}

/** A use case refused the command's input: say so, each bad field with its problem (the command then exits 1). */
export function printRefusal(details: Record<string, string> | undefined, nothing: string): void {
	console.error(`kansho: refused, ${nothing}:`);
	for (const [field, problem] of Object.entries(details ?? {})) console.error(`  ${field}: ${problem}`);
}
