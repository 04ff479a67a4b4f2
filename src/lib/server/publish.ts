/**
 * Publishing live events. A use case calls publish(tx, event) inside its transaction: PostgreSQL delivers the
 * NOTIFY only when (and if) the transaction commits, to every instance LISTENing (server/realtime.ts), which
 * emits it to its own sockets. So an event is never seen for work that was rolled back, in embedded mode too.
 *
 * The payload carries the publishing transaction's id (`xid`, pg_current_xact_id() in the same statement): the live
 * engine tells by it whether a recompute's reads already saw the event (src/lib/server/live/engine.ts). It is not
 * sent to browsers (the instances emit `data` only).
 */
import { db, type Db } from './db.ts';
import { EVENTS_CHANNEL, type LiveEvent } from '../realtime/events.ts';
import { dataMode } from './mode.ts';

/**
 * Training work's events go on a channel of their own (NOTIFY is per database, not per schema): the real floor's
 * live views must never be patched by a trainee's calls (server/realtime.ts routes them to the trainee alone).
 */
export const TRAINING_EVENTS_CHANNEL = 'kansho_training_events';

/** The channel of the work in progress (./mode.ts). */
export function eventsChannel(): string {
	return dataMode() === 'training' ? TRAINING_EVENTS_CHANNEL : EVENTS_CHANNEL;
}

export async function publish(tx: Db, event: LiveEvent, channel = eventsChannel()): Promise<void> {
	// the event's JSON without its closing brace, then `,"xid":"…"}` from the transaction itself
	const open = JSON.stringify(event).slice(0, -1);
	await tx`select pg_notify(${channel}, ${open}::text || ',"xid":"' || pg_current_xact_id()::text || '"}')`;
}

/**
 * Publish on the real floor's channel whatever the mode: the facts about a training run itself (its attempts and
 * scores, kept in the real schema) are for the trainers' consoles, which follow the real channel.
 */
export function publishReal(tx: Db, event: LiveEvent): Promise<void> {
	return publish(tx, event, EVENTS_CHANNEL);
}

/**
 * For facts that belong to no transaction (progress of a long import): sent at once on a pooled connection,
 * not held back until a commit.
 */
export async function publishNow(event: LiveEvent): Promise<void> {
	await db()`select pg_notify(${eventsChannel()}, ${JSON.stringify(event)})`;
}
