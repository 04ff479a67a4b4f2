/**
 * Real or training data (issue #9, training mode). A trainee's desk works the same screens against a separate
 * synthetic data set: the PostgreSQL schema `training`, migrated by the same migrations. Which one a query reads is
 * decided here, per request and per socket event, by the context the caller opened (hooks.server.ts and the socket
 * request wrapper in server/realtime.ts, from the session's training run); db() (./db.ts) and publish() follow it.
 *
 * Code that must reach the real data whatever the context (the session lookup, the training records, the live
 * views) uses realDb() explicitly. server/ and the SvelteKit handler are bundled apart: each has its own store,
 * and each opens its own context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export type DataMode = 'real' | 'training';

/** The schema of the training data set. */
export const TRAINING_SCHEMA = 'training';

const store = new AsyncLocalStorage<DataMode>();

/** The mode of the work in progress: 'real' unless a caller opened a training context. */
export function dataMode(): DataMode {
	return store.getStore() ?? 'real';
}

/** Run fn (and everything it awaits) in a mode. */
export function inMode<T>(mode: DataMode, fn: () => T): T {
	return store.run(mode, fn);
}

/** Run fn against the training data set. */
export function inTraining<T>(fn: () => T): T {
	return store.run('training', fn);
}

/** Run fn against the real data, whatever the caller's context (timers and caches started from a training request). */
export function inReal<T>(fn: () => T): T {
	return store.run('real', fn);
}
