/**
 * Promise reconciliation (納付約束の消込): which payments count towards which promise, and the state that follows.
 * Pure, no I/O: the server loads a household's promises and payments, calls `reconcile`, and writes back what
 * changed (src/lib/server/promises). The same inputs always give the same result, so running it again (after
 * each import, once a day, on a supervisor's demand) changes nothing unless the data did: it is idempotent.
 *
 * The rules (docs/queue.md "Promises"):
 * 1. **Which payments count.** A payment counts towards a promise when it is dated (paid_on) from the day the
 *    promise was made up to and including its due date. A payment made **before** the promise's day does not count
 *    (the payer promised money beyond what they had already paid); one made **on the same day** does (they may have
 *    paid that morning, or right after the call).
 * 2. **Posting lag.** Payments reach kansho with the ward's files, days (up to two weeks) after they were made. So a
 *    promise is judged only after due date + graceDays: until then it stays `pending` (unless already covered, then
 *    `kept` at once), and a payment dated on or before the due date that arrives within the grace counts as if it
 *    had been there on the day. A payment dated on time that arrives **after** the grace still counts when it
 *    arrives: the promise was judged broken (or partly kept) on the information of the day, and the next
 *    reconciliation turns it into `kept` (or partly kept) — the payer did keep it; the household leaves the
 *    broken-promises segment. A payment dated after the due date never counts (late money is not a kept promise;
 *    it still lowers arrears and suppresses calls for a while).
 * 3. **States.** `kept` when the money counted covers the amount (also before the due date); after due + grace:
 *    `partly_kept` when some but not all of it arrived, `broken` when none did; otherwise `pending`. `cancelled`
 *    promises are left as they are and take no money.
 * 4. **Several promises of one household** are served in due-date order (then the day made, then id). A payment is
 *    used once: what one promise takes is not available to the next.
 * 5. **Overpayment.** A promise takes only its amount; the rest of the payment stays available to the household's
 *    other promises whose window (rule 1) contains the payment's date — e.g. one payment covering two promises
 *    made on the same call. It is never carried to a promise made after the payment (rule 1).
 * 6. **Zero and negative payments.** Zero is ignored. A negative payment is a refund or correction (a reversed
 *    bank transfer, a posting moved to another period): it first cancels the household's most recent earlier
 *    positive payments (dated on or before it), newest first, and only what is left of those counts. A kept
 *    promise whose money is reversed is reconsidered (back to pending, or partly kept / broken once judged).
 *    A correction with nothing before it to cancel is ignored.
 */

export type PromiseState = 'pending' | 'kept' | 'partly_kept' | 'broken' | 'cancelled';
export const promiseStates: readonly PromiseState[] = ['pending', 'kept', 'partly_kept', 'broken', 'cancelled'];

export interface PromiseInput {
	id: number;
	/** yen, > 0 */
	amount: number;
	/** the promised date, ISO YYYY-MM-DD (Tokyo) */
	dueDate: string;
	/** the Tokyo calendar day the promise was made */
	madeOn: string;
	status: PromiseState;
}

export interface PaymentInput {
	id: number;
	/** yen; negative = refund / correction */
	amount: number;
	/** the day the money was paid (Tokyo; the day it was recorded when the ward gave no date) */
	paidOn: string;
}

export interface PromiseAllocation {
	paymentId: number;
	amount: number;
}

export interface PromiseResult {
	id: number;
	status: PromiseState;
	/** yen counted towards the promise (never more than its amount) */
	paid: number;
	/** which payments counted, and how much of each */
	payments: PromiseAllocation[];
}

const DAY = 86_400_000;

/** date + n days (ISO dates). */
export function addDays(isoDate: string, n: number): string {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** The last day of the grace for posting lag: an unpaid promise is judged the day after it. */
export function lastGraceDay(dueDate: string, graceDays: number): string {
	return addDays(dueDate, Math.max(0, graceDays));
}

/** Whether the promise can be judged (partly kept / broken) on `today`: from the day after due + grace. */
export function isJudged(dueDate: string, graceDays: number, today: string): boolean {
	return today > lastGraceDay(dueDate, graceDays);
}

const byPayment = (a: PaymentInput, b: PaymentInput) => (a.paidOn < b.paidOn ? -1 : a.paidOn > b.paidOn ? 1 : a.id - b.id);

/**
 * What is left of each positive payment once corrections (negative payments) have cancelled the most recent
 * earlier ones (rule 6). Zero payments are dropped.
 */
export function netPayments(payments: readonly PaymentInput[]): Map<number, number> {
	const sorted = payments.filter((p) => Number.isFinite(p.amount) && p.amount !== 0).sort(byPayment);
	const left = new Map<number, number>();
	const positives: PaymentInput[] = [];
	for (const p of sorted) {
		if (p.amount > 0) {
			positives.push(p);
			left.set(p.id, p.amount);
			continue;
		}
		let owe = -p.amount;
		for (let i = positives.length - 1; i >= 0 && owe > 0; i--) {
			const have = left.get(positives[i].id)!;
			const take = Math.min(have, owe);
			left.set(positives[i].id, have - take);
			owe -= take;
		}
	}
	return left;
}

/**
 * Reconcile one household's promises with its payments on `today` (Tokyo): each promise's state, the yen counted
 * and the payments that counted. `graceDays`: the calling rules' promiseGraceDays. Results are in the order of the
 * `promises` given; cancelled promises come back unchanged with nothing counted.
 */
export function reconcile(promises: readonly PromiseInput[], payments: readonly PaymentInput[], graceDays: number, today: string): PromiseResult[] {
	const left = netPayments(payments);
	const usable = payments.filter((p) => (left.get(p.id) ?? 0) > 0).sort(byPayment);
	const order = promises
		.filter((p) => p.status !== 'cancelled')
		.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.madeOn < b.madeOn ? -1 : a.madeOn > b.madeOn ? 1 : a.id - b.id));
	const results = new Map<number, PromiseResult>();
	for (const pr of order) {
		const allocations: PromiseAllocation[] = [];
		let need = pr.amount;
		for (const pay of usable) {
			if (need <= 0) break;
			if (pay.paidOn < pr.madeOn || pay.paidOn > pr.dueDate) continue;
			const have = left.get(pay.id)!;
			if (have <= 0) continue;
			const take = Math.min(have, need);
			left.set(pay.id, have - take);
			need -= take;
			allocations.push({ paymentId: pay.id, amount: take });
		}
		const paid = pr.amount - need;
		let status: PromiseState;
		if (paid >= pr.amount) status = 'kept';
		else if (isJudged(pr.dueDate, graceDays, today)) status = paid > 0 ? 'partly_kept' : 'broken';
		else status = 'pending';
		results.set(pr.id, { id: pr.id, status, paid, payments: allocations });
	}
	return promises.map((p) => results.get(p.id) ?? { id: p.id, status: p.status, paid: 0, payments: [] });
}

/** Whether a result differs from what is stored (state, yen counted, or the payments that counted). */
export function changed(stored: { status: PromiseState; paid: number; payments: readonly PromiseAllocation[] }, next: PromiseResult): boolean {
	if (stored.status !== next.status || stored.paid !== next.paid || stored.payments.length !== next.payments.length) return true;
	const key = (a: PromiseAllocation) => `${a.paymentId}:${a.amount}`;
	const s = new Set(stored.payments.map(key));
	return next.payments.some((a) => !s.has(key(a)));
}

/** Promise states in Japanese and English (operator card, supervisor view). */
export const promiseStateText: Record<PromiseState, { ja: string; en: string }> = {
	pending: { ja: '約束中', en: 'pending' },
	kept: { ja: '履行', en: 'kept' },
	partly_kept: { ja: '一部履行', en: 'partly kept' },
	broken: { ja: '不履行', en: 'broken' },
	cancelled: { ja: '取消', en: 'cancelled' }
};
