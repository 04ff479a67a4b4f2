import { describe, expect, it } from 'vitest';
import { buildOutcome, emptyDraft, parseYenInput, tokyoLocalToIso, type OutcomeDraft } from './outcome-input.ts';

const ctx = { householdId: 7, today: '2026-05-01', owed: 50_000, now: new Date('2026-05-01T01:00:00Z') };
const draft = (over: Partial<OutcomeDraft>): OutcomeDraft => ({ ...emptyDraft(), ...over });

describe('parseYenInput', () => {
	it('accepts the ways operators type amounts', () => {
		for (const s of ['12000', '12,000', '１２０００', '１２，０００', '12000円', '¥12,000', ' 12 000 ']) expect(parseYenInput(s), s).toBe(12000);
	});
	it('refuses what is not whole yen', () => {
		for (const s of ['', '12.5', 'abc', '-100', '1e4']) expect(parseYenInput(s), s).toBeNull();
	});
});

describe('tokyoLocalToIso', () => {
	it('reads the input as Tokyo time', () => {
		expect(tokyoLocalToIso('2026-05-01T18:30')).toBe('2026-05-01T09:30:00.000Z');
		expect(tokyoLocalToIso('tomorrow')).toBeNull();
	});
});

describe('buildOutcome', () => {
	it('an outcome is required', () => {
		expect(buildOutcome(draft({}), { ...ctx, kind: null }).problems).toEqual({ outcomeCode: 'required' });
	});
	it('a promise: amount typed any way, date not past, within the horizon, not above the arrears', () => {
		const ok = buildOutcome(draft({ outcomeCode: '40', party: 'self', promiseAmount: '１２，０００円', promiseDate: '2026-05-10' }), { ...ctx, kind: 'promise' });
		expect(ok.problems).toEqual({});
		expect(ok.payload).toMatchObject({ householdId: 7, outcomeCode: '40', party: 'self', promise: { amount: 12000, dueDate: '2026-05-10' }, handoff: null });
		expect(buildOutcome(draft({ outcomeCode: '40', promiseAmount: '60,000', promiseDate: '2026-04-30' }), { ...ctx, kind: 'promise' }).problems).toEqual({
			'promise.amount': 'overOwed',
			'promise.dueDate': 'past'
		});
		expect(buildOutcome(draft({ outcomeCode: '40', promiseAmount: '1000', promiseDate: '2026-08-01' }), { ...ctx, kind: 'promise' }).problems).toEqual({ 'promise.dueDate': 'horizon' });
		expect(buildOutcome(draft({ outcomeCode: '40', promiseAmount: '1000', promiseDate: '2026-05-20' }), { ...ctx, kind: 'promise', horizonDays: 14 }).problems).toEqual({ 'promise.dueDate': 'horizon' });
		expect(buildOutcome(draft({ outcomeCode: '40' }), { ...ctx, kind: 'promise' }).problems).toEqual({ 'promise.amount': 'required', 'promise.dueDate': 'required' });
		// unknown arrears (the role may not read them): the server checks
		expect(buildOutcome(draft({ outcomeCode: '40', promiseAmount: '999999', promiseDate: '2026-05-10' }), { ...ctx, owed: null, kind: 'promise' }).problems).toEqual({});
	});
	it('a handoff needs a reason', () => {
		expect(buildOutcome(draft({ outcomeCode: '50' }), { ...ctx, kind: 'handoff' }).problems).toEqual({ 'handoff.reason': 'required' });
		expect(buildOutcome(draft({ outcomeCode: '50', handoffReason: 'installment', handoffNote: ' 月5千円希望 ' }), { ...ctx, kind: 'handoff' }).payload).toMatchObject({
			handoff: { reason: 'installment', note: '月5千円希望' },
			promise: null
		});
	});
	it('a callback in the future, for me or anyone', () => {
		const p = buildOutcome(draft({ outcomeCode: '21', callbackAt: '2026-05-01T18:00', callbackOnlyMe: true }), { ...ctx, kind: 'contact' }).payload;
		expect(p).toMatchObject({ callback: { at: '2026-05-01T09:00:00.000Z', onlyMe: true, note: null } });
		expect(buildOutcome(draft({ outcomeCode: '21', callbackAt: '2026-05-01T09:00' }), { ...ctx, kind: 'contact' }).problems).toEqual({ 'callback.at': 'pastTime' });
		// not offered with a promise: ignored
		expect(buildOutcome(draft({ outcomeCode: '40', promiseAmount: '1', promiseDate: '2026-05-02', callbackAt: '2026-05-02T10:00' }), { ...ctx, kind: 'promise' }).payload).toMatchObject({ callback: null });
	});
	it('do not call needs a reason; its end date is after today', () => {
		expect(buildOutcome(draft({ outcomeCode: '90' }), { ...ctx, kind: 'stop' }).problems).toEqual({ 'doNotCall.reason': 'required' });
		expect(buildOutcome(draft({ outcomeCode: '90', dncReason: '入院中', dncUntil: '2026-05-01' }), { ...ctx, kind: 'stop' }).problems).toEqual({ 'doNotCall.until': 'notFuture' });
		expect(buildOutcome(draft({ outcomeCode: '90', dncReason: '入院中', dncUntil: '2026-06-01' }), { ...ctx, kind: 'stop' }).payload).toMatchObject({ doNotCall: { reason: '入院中', until: '2026-06-01' } });
		expect(buildOutcome(draft({ outcomeCode: '10' }), { ...ctx, kind: 'retry' }).payload).not.toHaveProperty('doNotCall');
	});
});

describe('the handoff’s callback window', () => {
	const now = new Date('2026-11-27T01:00:00Z'); // 10:00 Tokyo
	it('is a date and optional times in Tokyo; none without a date', async () => {
		const { handoffWindow } = await import('./outcome-input.ts');
		expect(handoffWindow('', '', '', now)).toEqual({ from: null, until: null, problems: {} });
		expect(handoffWindow('2026-11-30', '10:00', '12:00', now)).toEqual({ from: '2026-11-30T01:00:00.000Z', until: '2026-11-30T03:00:00.000Z', problems: {} });
		expect(handoffWindow('2026-11-30', '', '', now)).toMatchObject({ from: '2026-11-29T15:00:00.000Z', until: '2026-11-30T14:59:00.000Z' });
	});
	it('refuses times without a date, an end before the start, and a window in the past', async () => {
		const { handoffWindow } = await import('./outcome-input.ts');
		expect(handoffWindow('', '10:00', '', now).problems).toEqual({ 'handoff.callbackFrom': 'date' });
		expect(handoffWindow('2026-11-30', '12:00', '10:00', now).problems).toEqual({ 'handoff.callbackUntil': 'order' });
		expect(handoffWindow('2026-11-26', '', '', now).problems).toEqual({ 'handoff.callbackUntil': 'pastTime' });
	});
});
