/**
 * The outbox as the page sees it (runes): the items not yet saved and those needing attention, sent over the live
 * socket now, on every reconnect and every few seconds while connected. The rules are in outbox.ts.
 */
import { Outbox, idbStore, memoryStore, type OutboxItem, type OutboxStore, type SendResult, type Verdict } from './outbox';
import type { LiveSocket } from './socket.svelte';

/** How long one send waits for the server's answer before it counts as "no answer" (it is sent again later). */
const ACK_TIMEOUT_MS = 15_000;
/** How often pending items are retried while connected (a reconnect retries at once). */
const RETRY_EVERY_MS = 5_000;

export class OutboxState {
	items = $state<OutboxItem[]>([]);
	/** false when IndexedDB could not be opened: the outbox lives only as long as the page */
	persistent = $state(true);
	/** loaded from the store (until then the page cannot know whether an outcome is waiting) */
	ready = $state(false);
	readonly pending = $derived(this.items.filter((i) => i.status === 'pending'));
	readonly attention = $derived(this.items.filter((i) => i.status === 'attention'));

	private box: Outbox | null = null;
	private timer: ReturnType<typeof setInterval> | null = null;
	private readonly onConnect = () => void this.flush();

	constructor(
		private readonly socket: LiveSocket,
		private readonly userId: number,
		/** every answer of a send made by a flush (not by submit, whose caller gets the verdict) */
		private readonly onFlushed: (item: OutboxItem, verdict: Verdict) => void = () => {},
		/**
		 * The IndexedDB database: a training session's outcomes (issue #9) are kept apart from real ones, so that an
		 * outcome left unsent in training can never be sent against a real household with the same id.
		 */
		private readonly storeName: string = 'kansho-outbox'
	) {}

	private send = (payload: Record<string, unknown>): Promise<SendResult> =>
		new Promise((resolve) => {
			// a disconnected socket would buffer the emit and send it on reconnect besides the flush: answer "no
			// connection" instead and let the flush send it (the idempotency key would make a double harmless anyway)
			if (!this.socket.connected) return resolve({ ok: false, code: 'network' });
			this.socket.timeout(ACK_TIMEOUT_MS).emit('outcome:record', payload, (err, res) => resolve(err ? { ok: false, code: 'timeout' } : res));
		});

	/** Opens the store (IndexedDB, else memory), loads what is left, and starts sending. */
	async start(): Promise<void> {
		let store: OutboxStore = idbStore(this.storeName);
		try {
			await store.all();
		} catch {
			store = memoryStore();
			this.persistent = false;
		}
		this.box = new Outbox(store, this.send, this.userId, (items, event) => {
			this.items = items;
			if (event && !this.submitting.has(event.item.key)) this.onFlushed(event.item, event.verdict);
		});
		await this.box.load();
		this.ready = true;
		this.socket.on('connect', this.onConnect);
		this.timer = setInterval(() => {
			if (this.socket.connected && this.pending.length) void this.flush();
		}, RETRY_EVERY_MS);
		if (this.socket.connected) void this.flush();
	}

	private submitting = new Set<string>();

	/** Keeps the outcome in the browser, then sends it; the verdict says what became of it. */
	async submit(input: { key: string; householdId: number; label: string; payload: Record<string, unknown> }): Promise<Verdict> {
		if (!this.box) throw new Error('outbox not started');
		this.submitting.add(input.key);
		try {
			return await this.box.submit(input);
		} finally {
			this.submitting.delete(input.key);
		}
	}

	flush(): Promise<void> {
		return this.box?.flush() ?? Promise.resolve();
	}

	dismiss(key: string): Promise<void> {
		return this.box?.dismiss(key) ?? Promise.resolve();
	}

	/** Whether an outcome for this household is waiting to be sent. */
	waitingFor(householdId: number): boolean {
		return this.pending.some((i) => i.householdId === householdId);
	}

	stop() {
		if (this.timer) clearInterval(this.timer);
		this.socket.off('connect', this.onConnect);
	}
}
