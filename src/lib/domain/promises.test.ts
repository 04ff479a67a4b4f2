import { describe, expect, it } from 'vitest';
import { addDays, changed, isJudged, netPayments, reconcile, type PaymentInput, type PromiseInput } from './promises.ts';
import { keptRate, KEPT_RATE_DEF } from './kpi.ts';

const promise = (over: Partial<PromiseInput> = {}): PromiseInput => ({ id: 1, amount: 10_000, dueDate: '2026-12-10', madeOn: '2026-12-01', status: 'pending', ...over });
let nextId = 100;
const pay = (amount: number, paidOn: string, id = nextId++): PaymentInput => ({ id, amount, paidOn });
const GRACE = 3;
const one = (ps: PromiseInput[], pays: PaymentInput[], today: string, grace = GRACE) => reconcile(ps, pays, grace, today)[0];

describe('dates', () => {
	it('adds days across months and years', () => {
		expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
		expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
	});
	it('judges a promise only the day after due + grace', () => {
		expect(isJudged('2026-12-10', 3, '2026-12-13')).toBe(false);
		expect(isJudged('2026-12-10', 3, '2026-12-14')).toBe(true);
		expect(isJudged('2026-12-10', 0, '2026-12-11')).toBe(true);
	});
});

describe('reconcile: which payments count', () => {
	it('no payment: pending until due + grace, broken the day after', () => {
		expect(one([promise()], [], '2026-12-10').status).toBe('pending');
		expect(one([promise()], [], '2026-12-13').status).toBe('pending');
		const r = one([promise()], [], '2026-12-14');
		expect(r).toEqual({ id: 1, status: 'broken', paid: 0, payments: [] });
	});
	it('full payment before the due date: kept at once, even before the date', () => {
		const p = pay(10_000, '2026-12-05', 7);
		expect(one([promise()], [p], '2026-12-06')).toEqual({ id: 1, status: 'kept', paid: 10_000, payments: [{ paymentId: 7, amount: 10_000 }] });
	});
	it('a payment made before the promise was made does not count', () => {
		const r = one([promise()], [pay(10_000, '2026-11-30')], '2026-12-20');
		expect(r.status).toBe('broken');
		expect(r.paid).toBe(0);
	});
	it('a payment made on the day the promise was made counts', () => {
		expect(one([promise()], [pay(10_000, '2026-12-01')], '2026-12-20').status).toBe('kept');
	});
	it('a payment dated on the due date counts', () => {
		expect(one([promise()], [pay(10_000, '2026-12-10')], '2026-12-20').status).toBe('kept');
	});
	it('a payment dated after the due date does not count, even within the grace days', () => {
		const r = one([promise()], [pay(10_000, '2026-12-11')], '2026-12-20');
		expect(r.status).toBe('broken');
	});
	it('zero payments are ignored', () => {
		expect(one([promise()], [pay(0, '2026-12-05')], '2026-12-20')).toMatchObject({ status: 'broken', paid: 0, payments: [] });
	});
});

describe('reconcile: posting lag', () => {
	it('within the grace days an unpaid promise is still pending, not broken', () => {
		expect(one([promise()], [], '2026-12-11').status).toBe('pending');
		expect(one([promise()], [], '2026-12-13').status).toBe('pending');
	});
	it('a payment dated by the due date that arrives within the grace: kept, never judged broken', () => {
		// on 12-12 the ward's file brings a payment made on 12-10
		expect(one([promise()], [pay(10_000, '2026-12-10')], '2026-12-12').status).toBe('kept');
	});
	it('a payment dated on time that arrives after the grace turns the broken promise into kept', () => {
		// judged on 12-14 with no money seen: broken
		expect(one([promise()], [], '2026-12-14').status).toBe('broken');
		// on 12-24 an import brings a payment made on 12-09: the promise was kept after all
		expect(one([promise({ status: 'broken' })], [pay(10_000, '2026-12-09')], '2026-12-24')).toMatchObject({ status: 'kept', paid: 10_000 });
	});
	it('the grace is configurable: with 0 days the promise is judged the day after its date', () => {
		expect(one([promise()], [], '2026-12-11', 0).status).toBe('broken');
		expect(one([promise()], [], '2026-12-11', 1).status).toBe('pending');
	});
});

describe('reconcile: partial payments', () => {
	it('some money by due + grace, not all: partly kept, with what was paid', () => {
		const a = pay(3_000, '2026-12-02', 1);
		const b = pay(4_000, '2026-12-09', 2);
		expect(one([promise()], [a, b], '2026-12-14')).toEqual({
			id: 1,
			status: 'partly_kept',
			paid: 7_000,
			payments: [
				{ paymentId: 1, amount: 3_000 },
				{ paymentId: 2, amount: 4_000 }
			]
		});
	});
	it('partial before judgement: still pending (more may come)', () => {
		expect(one([promise()], [pay(3_000, '2026-12-02')], '2026-12-13')).toMatchObject({ status: 'pending', paid: 3_000 });
	});
	it('several instalments that together cover it: kept', () => {
		expect(one([promise()], [pay(5_000, '2026-12-02'), pay(5_000, '2026-12-08')], '2026-12-09').status).toBe('kept');
	});
});

describe('reconcile: overpayment', () => {
	it('more than promised: kept, counting only the amount', () => {
		const r = one([promise()], [pay(15_000, '2026-12-05', 9)], '2026-12-20');
		expect(r).toEqual({ id: 1, status: 'kept', paid: 10_000, payments: [{ paymentId: 9, amount: 10_000 }] });
	});
	it('the excess serves another promise whose window contains the payment', () => {
		const a = promise({ id: 1, amount: 10_000, dueDate: '2026-12-10' });
		const b = promise({ id: 2, amount: 5_000, dueDate: '2026-12-20' });
		const r = reconcile([a, b], [pay(15_000, '2026-12-05')], GRACE, '2026-12-30');
		expect(r.map((x) => [x.status, x.paid])).toEqual([
			['kept', 10_000],
			['kept', 5_000]
		]);
	});
	it('the excess is not carried to a promise made after the payment', () => {
		const a = promise({ id: 1, amount: 10_000, dueDate: '2026-12-10', madeOn: '2026-12-01' });
		const b = promise({ id: 2, amount: 5_000, dueDate: '2026-12-31', madeOn: '2026-12-15' });
		const r = reconcile([a, b], [pay(15_000, '2026-12-05')], GRACE, '2027-01-10');
		expect(r.map((x) => x.status)).toEqual(['kept', 'broken']);
	});
});

describe('reconcile: several promises of one household', () => {
	it('are served in due-date order whatever order they come in; a payment is used once', () => {
		const later = promise({ id: 2, amount: 10_000, dueDate: '2026-12-20' });
		const earlier = promise({ id: 1, amount: 10_000, dueDate: '2026-12-10' });
		const r = reconcile([later, earlier], [pay(10_000, '2026-12-05')], GRACE, '2026-12-30');
		expect(r.map((x) => [x.id, x.status, x.paid])).toEqual([
			[2, 'broken', 0],
			[1, 'kept', 10_000]
		]);
	});
	it('a second payment serves the second promise', () => {
		const a = promise({ id: 1, dueDate: '2026-12-10' });
		const b = promise({ id: 2, dueDate: '2026-12-20', madeOn: '2026-12-11' });
		const r = reconcile([a, b], [pay(10_000, '2026-12-05'), pay(6_000, '2026-12-15')], GRACE, '2026-12-30');
		expect(r.map((x) => [x.status, x.paid])).toEqual([
			['kept', 10_000],
			['partly_kept', 6_000]
		]);
	});
	it('cancelled promises take no money and keep their state', () => {
		const c = promise({ id: 1, status: 'cancelled' });
		const b = promise({ id: 2 });
		const r = reconcile([c, b], [pay(10_000, '2026-12-05')], GRACE, '2026-12-30');
		expect(r).toEqual([
			{ id: 1, status: 'cancelled', paid: 0, payments: [] },
			{ id: 2, status: 'kept', paid: 10_000, payments: [expect.objectContaining({ amount: 10_000 })] }
		]);
	});
});

describe('reconcile: refunds and corrections (negative payments)', () => {
	it('a reversal cancels the payment before it: the promise is no longer kept', () => {
		const r = one([promise()], [pay(10_000, '2026-12-05'), pay(-10_000, '2026-12-07')], '2026-12-20');
		expect(r).toMatchObject({ status: 'broken', paid: 0 });
	});
	it('a partial correction leaves the rest counting: partly kept', () => {
		const r = one([promise()], [pay(10_000, '2026-12-05'), pay(-4_000, '2026-12-06')], '2026-12-20');
		expect(r).toMatchObject({ status: 'partly_kept', paid: 6_000 });
	});
	it('cancels the most recent earlier payments first', () => {
		const left = netPayments([pay(5_000, '2026-12-01', 1), pay(5_000, '2026-12-03', 2), pay(-7_000, '2026-12-04', 3)]);
		expect([left.get(1), left.get(2)]).toEqual([3_000, 0]);
	});
	it('a correction with nothing before it is ignored', () => {
		expect(one([promise()], [pay(-5_000, '2026-12-02'), pay(10_000, '2026-12-05')], '2026-12-20').status).toBe('kept');
	});
});

describe('reconcile is idempotent', () => {
	it('reconciling its own result again changes nothing', () => {
		const ps = [promise({ id: 1 }), promise({ id: 2, dueDate: '2026-12-20' })];
		const pays = [pay(12_000, '2026-12-05')];
		const first = reconcile(ps, pays, GRACE, '2026-12-30');
		const again = reconcile(
			ps.map((p, i) => ({ ...p, status: first[i].status })),
			pays,
			GRACE,
			'2026-12-30'
		);
		expect(again).toEqual(first);
		expect(first.some((r, i) => changed({ status: again[i].status, paid: again[i].paid, payments: again[i].payments }, r))).toBe(false);
	});
	it('changed() notices a different state, amount or payment', () => {
		const r = { id: 1, status: 'kept' as const, paid: 10, payments: [{ paymentId: 1, amount: 10 }] };
		expect(changed({ status: 'pending', paid: 10, payments: r.payments }, r)).toBe(true);
		expect(changed({ status: 'kept', paid: 10, payments: [{ paymentId: 2, amount: 10 }] }, r)).toBe(true);
		expect(changed({ status: 'kept', paid: 10, payments: [{ paymentId: 1, amount: 10 }] }, r)).toBe(false);
	});
});

describe('kept rate', () => {
	it('is kept ÷ promises falling due; partly kept is not kept', () => {
		expect(KEPT_RATE_DEF).toEqual({ numerator: 'kept', denominator: 'due' });
		expect(keptRate({ due: 4, kept: 1 })).toBe(0.25);
		expect(keptRate({ due: 0, kept: 0 })).toBeNull();
	});
});
