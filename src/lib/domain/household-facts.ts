/**
 * What the queue knows of a household when it places it: the facts that segment filters (segments.ts), the
 * calling rules (calling-rules.ts) and the priority score (priority.ts) read. Computed in SQL by the queue
 * (src/lib/server/queue/facts.queries.ts) for one household after each call, and page by page after an import;
 * the pure functions that read them never do I/O. Dates are ISO 'YYYY-MM-DD' (Asia/Tokyo), instants ISO strings.
 */
export type PhoneKind = 'mobile' | 'landline' | 'ip' | 'freedial' | 'other';
export type TimeSlot = 'morning' | 'afternoon' | 'evening';
/** The latest promise's state (domain/promises.ts PromiseState without cancelled), or none. */
export type PromiseStatus = 'none' | 'pending' | 'kept' | 'partly_kept' | 'broken';

export interface HouseholdFacts {
	householdId: number;
	/** talk-script language (ja, en, vi, zh, ko, ne …) */
	language: string;
	/** nationality of the head of household, ISO 3166 alpha-2 (JP for Japanese), null when unknown */
	nationality: string | null;
	/** 町名, derived from the address */
	district: string | null;
	/** overdue unpaid arrears in yen (due date before today) */
	owed: number;
	/** of which in the current fiscal year (現年分; the fiscal year starts on 1 April) */
	owedCurrentYear: number;
	/** of which in earlier fiscal years (滞納繰越分) */
	owedCarriedOver: number;
	/** number of overdue unpaid instalment periods, all years */
	unpaidPeriods: number;
	/** the instalment periods (期別 1–14) of the current fiscal year that are overdue and unpaid */
	currentYearUnpaidPeriods: number[];
	/** due date of the oldest overdue unpaid period (premiums lapse two years after it: 時効), null when none */
	oldestDueDate: string | null;
	/** kinds of the numbers that may be dialled (valid and not marked wrong or dead) */
	phoneKinds: PhoneKind[];
	/** some number of the household is invalid or marked wrong / not in service */
	hasInvalidPhone: boolean;
	/** another household has one of this household's callable numbers (two records, one phone) */
	sharesPhone: boolean;
	/** 口座振替 enabled */
	bankTransfer: boolean;
	/** 保険証交付区分 of the latest assessment year, null when unknown */
	cardClass: string | null;
	/** last call in which someone answered (instant), null when never */
	lastContactAt: string | null;
	/** last call attempt (instant), null when never */
	lastAttemptAt: string | null;
	/** calls made to this household so far */
	attempts: number;
	/** instants of the attempts in the last 7 days, newest first (per-day and per-week limits, minimum gap) */
	recentAttempts: string[];
	/** this household's attempts and answered calls per time slot (morning < 12:00 ≤ afternoon < 17:00 ≤ evening, Tokyo) */
	slotStats: Record<TimeSlot, { attempts: number; answered: number }>;
	/**
	 * the answer rate to expect per slot for households of this one's language group this season (best time to call,
	 * src/lib/domain/best-time.ts slotPriors); absent: ½ everywhere
	 */
	slotPrior?: Record<TimeSlot, number>;
	/** state of the latest promise */
	promiseStatus: PromiseStatus;
	/** the latest due date of a pending promise, null when none */
	openPromiseDueDate: string | null;
	/** promises not kept so far: broken or partly kept */
	brokenPromises: number;
	/** due time of the household's open callback (instant), null when none */
	callbackDueAt: string | null;
	/** last payment date seen in the ward's receipts, null when none */
	lastPaidOn: string | null;
	/** an open handoff to ward staff: not called while it is open */
	openHandoff: boolean;
	/**
	 * the "call again, but not before" day of the latest handoff returned to the center (再架電は次の日以降,
	 * 'YYYY-MM-DD' Tokyo), null when it has none; absent in facts built before it existed: none
	 */
	recallNotBefore?: string | null;
	/** an active do-not-call instruction: its end date, or 'indefinite'; null when none */
	doNotCallUntil: string | 'indefinite' | null;
}

/**
 * Facts of a household of which nothing is known yet (owes nothing, no numbers, never called), with `over`
 * applied: the starting point of every test and of any place that builds facts by hand.
 */
export function householdFacts(over: Partial<HouseholdFacts> = {}): HouseholdFacts {
	return {
		householdId: 1,
		language: 'ja',
		nationality: null,
		district: null,
		owed: 0,
		owedCurrentYear: 0,
		owedCarriedOver: 0,
		unpaidPeriods: 0,
		currentYearUnpaidPeriods: [],
		oldestDueDate: null,
		phoneKinds: [],
		hasInvalidPhone: false,
		sharesPhone: false,
		bankTransfer: false,
		cardClass: null,
		lastContactAt: null,
		lastAttemptAt: null,
		attempts: 0,
		recentAttempts: [],
		slotStats: { morning: { attempts: 0, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 0, answered: 0 } },
		promiseStatus: 'none',
		openPromiseDueDate: null,
		brokenPromises: 0,
		callbackDueAt: null,
		lastPaidOn: null,
		openHandoff: false,
		recallNotBefore: null,
		doNotCallUntil: null,
		...over
	};
}
