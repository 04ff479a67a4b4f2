import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Outbox, afterVerdict, idbStore, memoryStore, toSend, upsert, verdictOf, type OutboxItem, type SendResult } from './outbox.ts';

const item = (over: Partial<OutboxItem> = {}): OutboxItem => ({
	key: 'k-00000001',
	userId: 1,
	householdId: 10,
	label: '山田 太郎',
	payload: { householdId: 10, outcomeCode: '20', idempotencyKey: 'k-00000001' },
	savedAt: '2026-05-01T01:00:00.000Z',
	attempts: 0,
	lastAttemptAt: null,
	status: 'pending',
	problem: null,
	...over
});

describe('verdictOf', () => {
	it('a training save carries its score to the desk (issue #9)', () => {
		const training = { attemptId: 3, scenario: 'promise', score: { score: 90, max: 100, percent: 90, passed: true, fatal: false, checks: [] } };
		expect(verdictOf({ ok: true, data: { callId: 5, duplicate: false, late: false, training } }, true)).toEqual({ kind: 'saved', callId: 5, duplicate: false, late: false, training });
	});
	it('an ok answer is saved, with the late and duplicate flags', () => {
		expect(verdictOf({ ok: true, data: { callId: 5, duplicate: true, late: true } }, false)).toEqual({ kind: 'saved', callId: 5, duplicate: true, late: true });
		expect(verdictOf({ ok: true }, true)).toEqual({ kind: 'saved', callId: null, duplicate: false, late: false });
	});
	it('no answer and passing failures are retried', () => {
		for (const code of ['network', 'timeout', 'internal', 'unauthenticated']) expect(verdictOf({ ok: false, code }, true)).toEqual({ kind: 'retry', code });
	});
	it('invalid input goes back to an open form, else needs attention', () => {
		const res: SendResult = { ok: false, code: 'invalid_input', message: 'x', details: { 'promise.amount': 'too much' } };
		expect(verdictOf(res, true)).toEqual({ kind: 'rejected', problem: { code: 'invalid_input', message: 'x', details: { 'promise.amount': 'too much' } } });
		expect(verdictOf(res, false).kind).toBe('attention');
	});
	it('a claim no longer held or a key of another call needs attention, even from the open form', () => {
		expect(verdictOf({ ok: false, code: 'claim_not_held' }, true)).toEqual({ kind: 'attention', problem: { code: 'claim_not_held' } });
		expect(verdictOf({ ok: false, code: 'conflict' }, false).kind).toBe('attention');
	});
});

describe('afterVerdict / upsert / toSend', () => {
	it('saved and rejected leave the outbox; retry counts the attempt; attention keeps the problem', () => {
		const at = '2026-05-01T01:01:00.000Z';
		expect(afterVerdict(item(), { kind: 'saved', callId: 1, duplicate: false, late: false }, at)).toBeNull();
		expect(afterVerdict(item(), { kind: 'rejected', problem: { code: 'invalid_input' } }, at)).toBeNull();
		expect(afterVerdict(item(), { kind: 'retry', code: 'network' }, at)).toMatchObject({ status: 'pending', attempts: 1, lastAttemptAt: at });
		expect(afterVerdict(item(), { kind: 'attention', problem: { code: 'claim_not_held' } }, at)).toMatchObject({ status: 'attention', attempts: 1, problem: { code: 'claim_not_held' } });
	});
	it('one key is one item; items stay oldest first', () => {
		const a = item({ key: 'a', savedAt: '2026-05-01T02:00:00.000Z' });
		const b = item({ key: 'b', savedAt: '2026-05-01T01:00:00.000Z' });
		const a2 = { ...a, payload: { note: 'fixed' } };
		const list = upsert(upsert(upsert([], a), b), a2);
		expect(list.map((i) => i.key)).toEqual(['b', 'a']);
		expect(list[1].payload).toEqual({ note: 'fixed' });
	});
	it('sends only this user’s pending items that are not already on their way', () => {
		const list = [item({ key: 'a' }), item({ key: 'b', userId: 2 }), item({ key: 'c', status: 'attention' }), item({ key: 'd' })];
		expect(toSend(list, 1, new Set(['d'])).map((i) => i.key)).toEqual(['a']);
	});
});

/** A server that stores each key once, like recordCallOutcome, and can be taken offline. */
function fakeServer() {
	const stored = new Map<string, number>();
	let online = true;
	let calls = 0;
	const send = async (payload: Record<string, unknown>): Promise<SendResult> => {
		calls++;
		if (!online) return { ok: false, code: 'network' };
		const key = String(payload.idempotencyKey);
		if (payload.outcomeCode === 'bad') return { ok: false, code: 'invalid_input', details: { outcomeCode: 'unknown code' } };
		if (payload.householdId === 99) return { ok: false, code: 'claim_not_held' };
		const duplicate = stored.has(key);
		if (!duplicate) stored.set(key, stored.size + 1);
		return { ok: true, data: { callId: stored.get(key)!, householdId: Number(payload.householdId), duplicate, late: false } };
	};
	return { send, stored, setOnline: (v: boolean) => (online = v), calls: () => calls };
}

describe('Outbox', () => {
	it('stores before sending and removes on the ok answer', async () => {
		const server = fakeServer();
		const store = memoryStore();
		const seen: number[] = [];
		const box = new Outbox(store, server.send, 1, (items) => seen.push(items.length));
		await box.load();
		const v = await box.submit({ key: 'key-0001', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } });
		expect(v.kind).toBe('saved');
		expect(server.stored.has('key-0001')).toBe(true);
		expect(await store.all()).toEqual([]);
		// in the outbox while on its way, gone after
		expect(seen).toEqual([0, 1, 0]);
	});

	it('keeps an outcome while offline and sends it once when the connection returns', async () => {
		const server = fakeServer();
		const store = memoryStore();
		const box = new Outbox(store, server.send, 1);
		server.setOnline(false);
		expect((await box.submit({ key: 'key-0002', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } })).kind).toBe('retry');
		await box.flush();
		expect(box.mine()).toHaveLength(1);
		expect(box.mine()[0].attempts).toBe(2);
		server.setOnline(true);
		await Promise.all([box.flush(), box.flush()]);
		expect(box.mine()).toHaveLength(0);
		expect([...server.stored.keys()]).toEqual(['key-0002']);
	});

	it('a flush with nothing to send does not stop later flushes', async () => {
		const server = fakeServer();
		const box = new Outbox(memoryStore(), server.send, 1);
		await box.flush();
		server.setOnline(false);
		await box.submit({ key: 'key-0009', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } });
		server.setOnline(true);
		await box.flush();
		expect(box.mine()).toEqual([]);
		expect([...server.stored.keys()]).toEqual(['key-0009']);
	});

	it('the same outcome sent twice (two tabs) is stored once', async () => {
		const server = fakeServer();
		const store = memoryStore();
		server.setOnline(false);
		const tab1 = new Outbox(store, server.send, 1);
		await tab1.submit({ key: 'key-0003', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } });
		server.setOnline(true);
		const tab2 = new Outbox(store, server.send, 1);
		await tab2.load();
		await tab1.load();
		await Promise.all([tab1.flush(), tab2.flush()]);
		expect(server.stored.size).toBe(1);
		expect(await store.all()).toEqual([]);
	});

	it('invalid input from the open form goes back to the form and is not kept', async () => {
		const server = fakeServer();
		const box = new Outbox(memoryStore(), server.send, 1);
		const v = await box.submit({ key: 'key-0004', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: 'bad' } });
		expect(v).toMatchObject({ kind: 'rejected', problem: { details: { outcomeCode: 'unknown code' } } });
		expect(box.mine()).toEqual([]);
	});

	it('a refused outcome is kept for the operator, not sent again, and leaves only when dismissed', async () => {
		const server = fakeServer();
		const store = memoryStore();
		const box = new Outbox(store, server.send, 1);
		expect((await box.submit({ key: 'key-0005', householdId: 99, label: 'B', payload: { householdId: 99, outcomeCode: '20' } })).kind).toBe('attention');
		const before = server.calls();
		await box.flush();
		expect(server.calls()).toBe(before);
		expect(box.mine()).toMatchObject([{ status: 'attention', problem: { code: 'claim_not_held' } }]);
		await box.dismiss('key-0005');
		expect(await store.all()).toEqual([]);
	});

	it('a later invalid-input refusal (form gone) needs attention', async () => {
		const server = fakeServer();
		server.setOnline(false);
		const box = new Outbox(memoryStore(), server.send, 1);
		await box.submit({ key: 'key-0006', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: 'bad' } });
		server.setOnline(true);
		await box.flush();
		expect(box.mine()).toMatchObject([{ status: 'attention', problem: { code: 'invalid_input' } }]);
	});

	it('another operator’s items on a shared PC are kept and not sent', async () => {
		const server = fakeServer();
		const store = memoryStore();
		server.setOnline(false);
		await new Outbox(store, server.send, 2).submit({ key: 'key-0007', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } });
		server.setOnline(true);
		const mine = new Outbox(store, server.send, 1);
		expect(await mine.load()).toEqual([]);
		await mine.flush();
		expect(server.stored.size).toBe(0);
		expect(await store.all()).toHaveLength(1);
	});

	it('survives a reload: IndexedDB keeps the item for the next page', async () => {
		const server = fakeServer();
		server.setOnline(false);
		const name = `outbox-test-${Math.random()}`;
		await new Outbox(idbStore(name), server.send, 1).submit({ key: 'key-0008', householdId: 10, label: 'A', payload: { householdId: 10, outcomeCode: '20' } });
		server.setOnline(true);
		const next = new Outbox(idbStore(name), server.send, 1);
		expect((await next.load()).map((i) => i.key)).toEqual(['key-0008']);
		await next.flush();
		expect(await idbStore(name).all()).toEqual([]);
		expect([...server.stored.keys()]).toEqual(['key-0008']);
	});
});
