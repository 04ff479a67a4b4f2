/** The live events a test sees (PostgreSQL NOTIFY, after commit), and waiting for them. */
import { afterEach, beforeEach } from 'vitest';
import type { Sql } from '../../src/lib/server/db.ts';
import { EVENTS_CHANNEL, type LiveEvent } from '../../src/lib/realtime/events.ts';

/**
 * Every event published while each test runs, in order, without the `xid` publish() adds: registers a beforeEach that empties the list and listens,
 * and an afterEach that stops listening. Call it after the file's own beforeEach (its reset publishes nothing
 * then that a test could mistake for its own).
 */
export function liveEvents(sql: Sql): LiveEvent[] {
	const events: LiveEvent[] = [];
	let stop: (() => Promise<void>) | null = null;
	beforeEach(async () => {
		events.length = 0;
		const l = await sql.listen(EVENTS_CHANNEL, (p) => {
			// the publishing transaction's id (publish.ts) is the live engine's concern: tests compare the event itself
			const { xid, ...event } = JSON.parse(p) as LiveEvent;
			if (xid !== undefined && !/^\d+$/.test(xid)) throw new Error(`event ${event.type}: xid ${xid} is not a transaction id`);
			events.push(event as LiveEvent);
		});
		stop = () => l.unlisten();
	});
	afterEach(async () => {
		await stop?.();
		stop = null;
	});
	return events;
}

/** NOTIFY arrives asynchronously after commit: wait until a predicate holds, or a deadline passes. */
export async function eventually(pred: () => boolean, ms = 2000): Promise<boolean> {
	const end = Date.now() + ms;
	while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
	return pred();
}
