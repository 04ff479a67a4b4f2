/**
 * The outbox: no outcome is lost when the connection drops. Every save is first written to the browser's
 * IndexedDB with its idempotency key, then sent (`outcome:record`); it leaves the outbox only when the server
 * answered that it is stored (or that it already was: a duplicate of the same key). A send that gets no answer
 * stays and is sent again on reconnect and every few seconds; the server stores it once whatever happens, because
 * the key is the same. A refusal the operator must look at (the claim was not held, the key belongs to another
 * call) is kept in a "needs attention" list, never silently dropped.
 *
 * The rules (which answer does what to an item) are plain functions, unit-tested; `Outbox` runs them over a store
 * (IndexedDB in the browser via `idb`, memory in tests) and a send function (the socket in the browser).
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { TrainingFeedbackView } from '../realtime/events.ts';

/** What the server asked the operator to fix or look at. */
export interface OutboxProblem {
	code: string;
	message?: string;
	/** field → problem, for invalid input */
	details?: Record<string, string>;
	/** field → the values its code's message names (e.g. callback.at → { opensAt }) */
	params?: Record<string, Record<string, string | number>>;
}

export interface OutboxItem {
	/** the idempotency key of the outcome: the server stores an outcome sent twice once */
	key: string;
	/** whose outcome it is: a shared PC's outbox holds each operator's items apart */
	userId: number;
	householdId: number;
	/** what the operator recognizes the household by (name, NHI number) */
	label: string;
	/** the `outcome:record` input (with the same idempotency key) */
	payload: Record<string, unknown>;
	/** when the operator saved it (ISO) */
	savedAt: string;
	attempts: number;
	lastAttemptAt: string | null;
	/** pending: will be sent; attention: refused, kept for the operator to see */
	status: 'pending' | 'attention';
	problem: OutboxProblem | null;
}

/** What the server stored (the part of OutcomeSaved the outbox needs). */
export interface SavedAck {
	callId: number;
	householdId: number;
	duplicate: boolean;
	late: boolean;
	/** training mode (issue #9): the scenario's score, for the feedback panel */
	training?: TrainingFeedbackView | null;
}

/** One send's answer: the socket ack, or `network` when no answer came (offline, timeout). */
export type SendResult =
	| { ok: true; data?: Partial<SavedAck> }
	| { ok: false; code: string; message?: string; details?: Record<string, string>; params?: Record<string, Record<string, string | number>> };

export type Send = (payload: Record<string, unknown>) => Promise<SendResult>;

/** What one answer means for the item. */
export type Verdict =
	| { kind: 'saved'; callId: number | null; duplicate: boolean; late: boolean; training?: TrainingFeedbackView | null }
	/** invalid input while the form is still open: back to the form, not kept */
	| { kind: 'rejected'; problem: OutboxProblem }
	/** refused for good: kept in the needs-attention list */
	| { kind: 'attention'; problem: OutboxProblem }
	/** no answer or a passing failure: stays pending and is sent again */
	| { kind: 'retry'; code: string };

/** Failures that pass by themselves: the item is sent again later. */
export const RETRY_CODES: readonly string[] = ['network', 'timeout', 'internal', 'unauthenticated', 'rate_limited', 'unavailable'];

/**
 * The verdict of an answer. `interactive` is true for the send made while the operator's form is still open:
 * invalid input then goes back to the form (the operator fixes it and saves again with the same key); later, with
 * the form gone, the same refusal needs the operator's attention.
 */
export function verdictOf(res: SendResult, interactive: boolean): Verdict {
	if (res.ok) return { kind: 'saved', callId: res.data?.callId ?? null, duplicate: res.data?.duplicate ?? false, late: res.data?.late ?? false, ...(res.data?.training ? { training: res.data.training } : {}) };
	if (RETRY_CODES.includes(res.code)) return { kind: 'retry', code: res.code };
	const problem: OutboxProblem = { code: res.code, ...(res.message ? { message: res.message } : {}), ...(res.details ? { details: res.details } : {}), ...(res.params ? { params: res.params } : {}) };
	if (res.code === 'invalid_input' && interactive) return { kind: 'rejected', problem };
	return { kind: 'attention', problem };
}

/** The item after a verdict, or null when it leaves the outbox. */
export function afterVerdict(item: OutboxItem, v: Verdict, at: string): OutboxItem | null {
	switch (v.kind) {
		case 'saved':
		case 'rejected':
			return null;
		case 'attention':
			return { ...item, status: 'attention', problem: v.problem, attempts: item.attempts + 1, lastAttemptAt: at };
		case 'retry':
			return { ...item, attempts: item.attempts + 1, lastAttemptAt: at };
	}
}

/** Items with the same key are one outcome: a second save replaces the first (oldest first). */
export function upsert(items: OutboxItem[], item: OutboxItem): OutboxItem[] {
	const rest = items.filter((i) => i.key !== item.key);
	return [...rest, item].sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** The items to send now, oldest first: this user's pending items not already on their way. */
export function toSend(items: OutboxItem[], userId: number, inFlight: ReadonlySet<string>): OutboxItem[] {
	return items.filter((i) => i.userId === userId && i.status === 'pending' && !inFlight.has(i.key)).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** Where items are kept. */
export interface OutboxStore {
	all(): Promise<OutboxItem[]>;
	put(item: OutboxItem): Promise<void>;
	delete(key: string): Promise<void>;
}

const STORE = 'outcomes';

/** IndexedDB (survives a reload, a crash and a closed tab). */
export function idbStore(name = 'kansho-outbox'): OutboxStore {
	let db: Promise<IDBPDatabase> | null = null;
	const open = () =>
		(db ??= openDB(name, 1, {
			upgrade(d) {
				d.createObjectStore(STORE, { keyPath: 'key' });
			}
		}));
	return {
		all: async () => (await (await open()).getAll(STORE)) as OutboxItem[],
		put: async (item) => void (await (await open()).put(STORE, item)),
		delete: async (key) => void (await (await open()).delete(STORE, key))
	};
}

/** Memory (tests; a browser without IndexedDB keeps the outbox for the page's life only). */
export function memoryStore(): OutboxStore {
	const m = new Map<string, OutboxItem>();
	return {
		all: async () => [...m.values()].map((i) => structuredClone(i)),
		put: async (item) => void m.set(item.key, structuredClone(item)),
		delete: async (key) => void m.delete(key)
	};
}

/**
 * The outbox of one operator: items are written to the store before they are sent, and the listener sees every
 * change (the page shows "not yet saved: n"). Sends of one item never overlap within a page; across tabs, the
 * idempotency key makes a second send a harmless duplicate.
 */
export class Outbox {
	private items: OutboxItem[] = [];
	private inFlight = new Set<string>();
	private flushing: Promise<void> | null = null;

	constructor(
		private readonly store: OutboxStore,
		private readonly send: Send,
		private readonly userId: number,
		private readonly onChange: (items: OutboxItem[], event?: { item: OutboxItem; verdict: Verdict }) => void = () => {}
	) {}

	/** Reads what a previous page (or a crash) left. */
	async load(): Promise<OutboxItem[]> {
		this.items = (await this.store.all()).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
		this.onChange(this.mine());
		return this.mine();
	}

	/** This operator's items. */
	mine(): OutboxItem[] {
		return this.items.filter((i) => i.userId === this.userId);
	}

	/**
	 * Saves an outcome: into the store first, then sent at once. The verdict tells the form what happened: saved,
	 * rejected (fix and save again), attention, or retry (kept: it will be sent when the connection returns).
	 */
	async submit(input: { key: string; householdId: number; label: string; payload: Record<string, unknown> }, now = new Date()): Promise<Verdict> {
		const item: OutboxItem = {
			key: input.key,
			userId: this.userId,
			householdId: input.householdId,
			label: input.label,
			payload: { ...input.payload, idempotencyKey: input.key },
			savedAt: now.toISOString(),
			attempts: 0,
			lastAttemptAt: null,
			status: 'pending',
			problem: null
		};
		await this.store.put(item);
		this.items = upsert(this.items, item);
		this.onChange(this.mine());
		return this.attempt(item, true);
	}

	/** Sends every pending item once, oldest first (on reconnect and every few seconds while connected). */
	flush(): Promise<void> {
		if (this.flushing) return this.flushing;
		const run = async () => {
			for (const item of toSend(this.items, this.userId, this.inFlight)) {
				const v = await this.attempt(item, false);
				// no connection: the rest would fail the same way; try again on the next flush
				if (v.kind === 'retry') break;
			}
		};
		// cleared in a later microtask, after the assignment (a run with nothing to send finishes at once)
		this.flushing = run().finally(() => {
			this.flushing = null;
		});
		return this.flushing;
	}

	/** The operator has read a refused item (and told a supervisor): it leaves the outbox. */
	async dismiss(key: string): Promise<void> {
		await this.store.delete(key);
		this.items = this.items.filter((i) => i.key !== key);
		this.onChange(this.mine());
	}

	private async attempt(item: OutboxItem, interactive: boolean): Promise<Verdict> {
		if (this.inFlight.has(item.key)) return { kind: 'retry', code: 'in_flight' };
		this.inFlight.add(item.key);
		try {
			let res: SendResult;
			try {
				res = await this.send(item.payload);
			} catch {
				res = { ok: false, code: 'network' };
			}
			const verdict = verdictOf(res, interactive);
			const next = afterVerdict(item, verdict, new Date().toISOString());
			if (next) await this.store.put(next);
			else await this.store.delete(item.key);
			this.items = next ? upsert(this.items, next) : this.items.filter((i) => i.key !== item.key);
			this.onChange(this.mine(), { item, verdict });
			return verdict;
		} finally {
			this.inFlight.delete(item.key);
		}
	}
}
