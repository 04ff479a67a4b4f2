/**
 * Reminder letters (催告書, issue #7 part 3), pure: who is a letter candidate and why (or why not), the reference
 * number printed on each letter (with a check digit, so a number typed from a returned envelope is checked), and
 * the letter's content (address block, arrears by fiscal year and period with due dates in both calendars, totals,
 * the template's text), with 外字 marked as 〓 instead of printed as a wrong character. The PDF
 * (src/lib/server/letters/pdf.ts) and the administrator's live preview (/admin/letters) both draw this model.
 */
import { wareki, yen } from './format.ts';

// ─── candidates ─────────────────────────────────────────────────────────────

/** What the candidate rules read about one household (computed in SQL: letters.queries.ts, `letterFacts`). */
export interface LetterFacts {
	householdId: number;
	/** overdue unpaid arrears in yen */
	owed: number;
	resolved: boolean;
	/** an address to write on the envelope */
	hasAddress: boolean;
	/** numbers that may be dialled (valid and active) */
	callablePhones: number;
	/** outbound calls since the last answered call (all of them when nobody ever answered) */
	attemptsSinceContact: number;
	/** distinct time slots (morning / afternoon / evening) of those calls */
	slotsSinceContact: number;
	/** suppressions: an active do-not-call, an open handoff to ward staff, an open promise, a payment within the payment window */
	doNotCall: boolean;
	openHandoff: boolean;
	openPromise: boolean;
	paidRecently: boolean;
	/** returned mail not yet resolved by staff: the address is flagged */
	addressFlagged: boolean;
	/** in a batch that is not mailed yet (nor failed) */
	inPendingBatch: boolean;
	/** the Tokyo date of the latest letter sent (mailed) to the household, null when none */
	lastLetterOn: string | null;
}

export interface LetterRules {
	attemptsThreshold: number;
	distinctSlots: number;
	resendIntervalDays: number;
}

export const DEFAULT_LETTER_RULES: LetterRules = { attemptsThreshold: 6, distinctSlots: 2, resendIntervalDays: 90 };

export const candidateReasons = ['no_phone', 'unreached'] as const;
export type CandidateReason = (typeof candidateReasons)[number];

/** Why a household that would be a candidate is not one, checked in this order. */
export const exclusionReasons = [
	'resolved',
	'nothing_owed',
	'no_address',
	'address_flagged',
	'do_not_call',
	'handoff',
	'promise',
	'payment',
	'pending_batch',
	'recent_letter'
] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

export type CandidateDecision = { candidate: true; reason: CandidateReason } | { candidate: false; reason: CandidateReason | null; excludedBy: ExclusionReason | null };

/** Days from ISO date a to ISO date b (b − a). */
function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether a household gets a letter. Reasons: no callable number at all (missing or all invalid / wrong / dead), or
 * not reached after `attemptsThreshold` calls since the last answered one, spread over at least `distinctSlots`
 * time slots. Exclusions (the first that applies is given): resolved, owes nothing overdue, no address, returned mail
 * not resolved, do-not-call, an open handoff, an open promise, a recent payment, already in a batch not yet mailed,
 * a letter mailed within `resendIntervalDays` days. `reason` is null when the household is simply not a candidate.
 */
export function letterCandidate(f: LetterFacts, rules: LetterRules, today: string): CandidateDecision {
	let reason: CandidateReason | null = null;
	if (f.callablePhones === 0) reason = 'no_phone';
	else if (f.attemptsSinceContact >= rules.attemptsThreshold && f.slotsSinceContact >= rules.distinctSlots) reason = 'unreached';
	const excludedBy = exclusionOf(f, rules, today);
	if (reason && !excludedBy) return { candidate: true, reason };
	return { candidate: false, reason, excludedBy: reason ? excludedBy : null };
}

function exclusionOf(f: LetterFacts, rules: LetterRules, today: string): ExclusionReason | null {
	if (f.resolved) return 'resolved';
	if (f.owed <= 0) return 'nothing_owed';
	if (!f.hasAddress) return 'no_address';
	if (f.addressFlagged) return 'address_flagged';
	if (f.doNotCall) return 'do_not_call';
	if (f.openHandoff) return 'handoff';
	if (f.openPromise) return 'promise';
	if (f.paidRecently) return 'payment';
	if (f.inPendingBatch) return 'pending_batch';
	if (f.lastLetterOn && daysBetween(f.lastLetterOn, today) < rules.resendIntervalDays) return 'recent_letter';
	return null;
}

export interface CandidateSummary {
	/** candidates by reason */
	candidates: Record<CandidateReason, number>;
	total: number;
	/** households that have a reason but are excluded, by the exclusion */
	excluded: Record<ExclusionReason, number>;
	/** the candidates, in the order given */
	ids: { householdId: number; reason: CandidateReason }[];
}

/** Apply the rules to many households: counts for the preview and the ids for a batch. */
export function summarizeCandidates(facts: readonly LetterFacts[], rules: LetterRules, today: string): CandidateSummary {
	const out: CandidateSummary = {
		candidates: { no_phone: 0, unreached: 0 },
		total: 0,
		excluded: Object.fromEntries(exclusionReasons.map((r) => [r, 0])) as Record<ExclusionReason, number>,
		ids: []
	};
	for (const f of facts) {
		const d = letterCandidate(f, rules, today);
		if (d.candidate) {
			out.candidates[d.reason]++;
			out.total++;
			out.ids.push({ householdId: f.householdId, reason: d.reason });
		} else if (d.excludedBy) out.excluded[d.excludedBy]++;
	}
	return out;
}

// ─── reference numbers ──────────────────────────────────────────────────────

/** The Luhn check digit of a string of digits. */
export function luhnDigit(digits: string): number {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 0) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return (10 - (sum % 10)) % 10;
}

/** The letter's reference number: L-BBBBBB-SSSSS-C (batch, page, Luhn check digit over the 11 digits). */
export function referenceNumber(batchId: number, seq: number): string {
	if (!Number.isInteger(batchId) || batchId < 1 || batchId > 999_999) throw new RangeError(`batch id out of range: ${batchId}`);
	if (!Number.isInteger(seq) || seq < 1 || seq > 99_999) throw new RangeError(`page out of range: ${seq}`);
	const b = String(batchId).padStart(6, '0');
	const s = String(seq).padStart(5, '0');
	return `L-${b}-${s}-${luhnDigit(b + s)}`;
}

/**
 * What may stand between the groups of a reference number as people type it from an envelope: spaces and every
 * dash or long-vowel look-alike an IME gives (after NFKC): hyphen-minus, the Unicode dashes (‐ ‑ ‒ – — ― ﹘ ﹣ and
 * the other Pd characters), minus −, katakana ー (and half-width ｰ, which NFKC makes ー), box-drawing ─ ━.
 */
const REFERENCE_SEPARATORS = /[\s\p{Pd}\u2212\u30FC\u2500\u2501]/gu;

/** Why a typed reference number is not one: not its shape (L + 6 + 5 + 1 digits), or its check digit is wrong. */
export type ReferenceProblem = 'reference_format' | 'reference_check_digit';

/**
 * A reference number as someone typed it (full-width letters and digits, spaces, with or without hyphens of any
 * kind, lower-case l) → the canonical form, or why it is not one.
 */
export function checkReferenceNumber(typed: string): { ok: true; text: string; batchId: number; seq: number } | { ok: false; problem: ReferenceProblem } {
	const s = typed.normalize('NFKC').toUpperCase().replace(REFERENCE_SEPARATORS, '');
	const m = /^L?(\d{6})(\d{5})(\d)$/.exec(s);
	if (!m) return { ok: false, problem: 'reference_format' };
	const batchId = Number(m[1]);
	const seq = Number(m[2]);
	if (batchId < 1 || seq < 1) return { ok: false, problem: 'reference_format' };
	if (luhnDigit(m[1] + m[2]) !== Number(m[3])) return { ok: false, problem: 'reference_check_digit' };
	return { ok: true, text: `L-${m[1]}-${m[2]}-${m[3]}`, batchId, seq };
}

/** The canonical form of a typed reference number, or null when it is not one (checkReferenceNumber says why). */
export function parseReferenceNumber(typed: string): { text: string; batchId: number; seq: number } | null {
	const r = checkReferenceNumber(typed);
	return r.ok ? { text: r.text, batchId: r.batchId, seq: r.seq } : null;
}

// ─── content ────────────────────────────────────────────────────────────────

/** What a batch keeps of a household (letter_batch_items.snapshot): what was printed. */
export interface LetterSnapshot {
	nhiNumber: string;
	name: string;
	postalCode: string | null;
	address: string;
	addressExtra: string | null;
	arrears: { fiscalYear: number; period: number; dueDate: string; owed: number }[];
}

export interface LetterTemplateText {
	letterhead: string;
	title: string;
	body: string;
	howToPay: string;
	contact: string;
	centerName: string;
	centerPhone: string;
	centerHours: string;
}

export const templateFields = ['letterhead', 'title', 'body', 'howToPay', 'contact', 'centerName', 'centerPhone', 'centerHours'] as const satisfies readonly (keyof LetterTemplateText)[];

/** Limits of each text block (the table's checks, migration 00019). */
export const templateLimits: Record<keyof LetterTemplateText, number> = {
	letterhead: 400,
	title: 100,
	body: 2000,
	howToPay: 1500,
	contact: 400,
	centerName: 100,
	centerPhone: 40,
	centerHours: 100
};

export type TemplateField = keyof LetterTemplateText;

/**
 * The marks of the text a new installation starts with (migration 00019: 「〇〇区役所」, 「〒000-0000 東京都〇〇区〇〇1-1-1」,
 * 「電話 03-0000-0000」): a run of 〇 / ○ / ◯ / ● standing for a name, a postal code of zeros, a phone number whose
 * subscriber digits are all zeros. Letters printed with them would tell residents nothing true about whom to call.
 */
const PLACEHOLDER_MARKS = [/[〇○◯●]{2}/u, /〒\s*000-?0000(?!\d)/u, /(?<!\d)000-0000(?!\d)/u, /(?<!\d)0\d{0,4}[-(（)）\s]?0{2,4}[-)）\s]?0000(?!\d)/u];

/**
 * The template's fields that still hold placeholders instead of the ward's real name, address and phone numbers
 * (in `templateFields` order; empty when the letter may go out). Full-width digits count as digits (NFKC).
 */
export function placeholderFields(t: LetterTemplateText): TemplateField[] {
	return templateFields.filter((f) => {
		const text = (t[f] ?? '').normalize('NFKC');
		return PLACEHOLDER_MARKS.some((re) => re.test(text));
	});
}

export interface LetterPeriodLine {
	period: number;
	label: string;
	dueDate: string;
	dueDateWareki: string;
	owed: number;
	owedText: string;
}

export interface LetterYear {
	fiscalYear: number;
	/** 令和7年度 (2025年度) */
	label: string;
	periods: LetterPeriodLine[];
	subtotal: number;
	subtotalText: string;
}

export interface LetterContent {
	referenceNumber: string;
	issuedOn: { iso: string; wareki: string };
	/** the window-envelope block: 〒, the address lines (方書 on its own), the name with 様 */
	addressBlock: { postalCode: string | null; lines: string[]; addressee: string };
	letterhead: string[];
	title: string;
	body: string[];
	years: LetterYear[];
	total: number;
	totalText: string;
	howToPay: string[];
	contact: string[];
	center: { name: string; phone: string; hours: string };
	nhiNumber: string;
	/** which fields held 外字 (printed as 〓: to be written in by hand) */
	gaiji: ('name' | 'address' | 'addressExtra')[];
}

/** 外字: Unicode private-use code points (how the import keeps characters of the ward's user area F040–F9FC). */
const GAIJI = /[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/;
const GAIJI_ALL = /[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/g;

export const GAIJI_MARK = '〓';

export function hasGaijiChar(text: string): boolean {
	return GAIJI.test(text);
}

/**
 * Text for print: every 外字 becomes 〓, and so does any character the font cannot draw (`canPrint`, the PDF's font):
 * a missing glyph is marked, never left to print as a blank box or a look-alike. NEC/IBM extension characters of
 * CP932 (髙, 﨑, ①, ㈱ …) are ordinary Unicode and print as they are.
 */
export function printable(text: string, canPrint?: (codePoint: number) => boolean): { text: string; marked: number } {
	let marked = 0;
	let out = text.replace(GAIJI_ALL, () => {
		marked++;
		return GAIJI_MARK;
	});
	if (canPrint) {
		let s = '';
		for (const ch of out) {
			const cp = ch.codePointAt(0)!;
			if (cp < 0x20 || ch === GAIJI_MARK || canPrint(cp)) s += ch;
			else {
				s += GAIJI_MARK;
				marked++;
			}
		}
		out = s;
	}
	return { text: out, marked };
}

/** '1600023' or '160-0023' → '〒160-0023'; anything else as written (with 〒), null when empty. */
export function postalLine(code: string | null): string | null {
	if (!code) return null;
	const digits = code.normalize('NFKC').replace(/[^0-9]/g, '');
	if (digits.length === 7) return `〒${digits.slice(0, 3)}-${digits.slice(3)}`;
	return `〒${code.trim()}`;
}

/** The fiscal year in the Japanese era: 2025 → 令和7年度, 2019 → 令和元年度. */
export function fiscalYearLabel(fy: number): string {
	// May 1st: 2019 (平成31年4月 / 令和元年5月) is 令和元年度, as wards write it
	const w = wareki(`${String(fy).padStart(4, '0')}-05-01`);
	return w.replace(/\d+月\d+日$/, '') + '度';
}

const lines = (text: string) =>
	text
		.split(/\r?\n/)
		.map((l) => l.trimEnd())
		.filter((l, i, all) => l.length > 0 || (i > 0 && i < all.length - 1));

/**
 * The letter's own printed words (headers, labels), in Japanese whatever the UI language: the PDF prints them
 * (server/letters/pdf.ts) and the preview on /admin/letters shows them, so the preview is what will print.
 */
export const letterWords = {
	referenceNumber: '整理番号',
	yearCol: '年度',
	periodCol: '期別',
	dueCol: '納期限',
	amountCol: '未納額',
	subtotal: '小計',
	totalRow: '合計（未納額）',
	howToPay: '■ 納付方法',
	contact: '■ お問い合わせ',
	phone: '電話',
	hours: '受付時間'
} as const;

/** The letter for one household: pure, from the batch's snapshot, the template and the date printed on it. */
export function letterContent(s: LetterSnapshot, t: LetterTemplateText, opts: { referenceNumber: string; issuedOn: string }): LetterContent {
	const gaiji: LetterContent['gaiji'] = [];
	if (hasGaijiChar(s.name)) gaiji.push('name');
	if (hasGaijiChar(s.address)) gaiji.push('address');
	if (s.addressExtra && hasGaijiChar(s.addressExtra)) gaiji.push('addressExtra');
	const mark = (x: string) => printable(x).text;

	const byYear = new Map<number, LetterPeriodLine[]>();
	const sorted = [...s.arrears].sort((a, b) => a.fiscalYear - b.fiscalYear || a.period - b.period);
	for (const a of sorted) {
		const list = byYear.get(a.fiscalYear) ?? [];
		list.push({ period: a.period, label: `第${a.period}期`, dueDate: a.dueDate, dueDateWareki: wareki(a.dueDate), owed: a.owed, owedText: yen(a.owed) });
		byYear.set(a.fiscalYear, list);
	}
	const years: LetterYear[] = [...byYear.entries()].map(([fy, periods]) => {
		const subtotal = periods.reduce((x, p) => x + p.owed, 0);
		return { fiscalYear: fy, label: `${fiscalYearLabel(fy)}（${fy}年度）`, periods, subtotal, subtotalText: yen(subtotal) };
	});
	const total = years.reduce((x, y) => x + y.subtotal, 0);
	const addressLines = [mark(s.address)];
	if (s.addressExtra && s.addressExtra.trim()) addressLines.push(mark(s.addressExtra.trim()));
	return {
		referenceNumber: opts.referenceNumber,
		issuedOn: { iso: opts.issuedOn, wareki: wareki(opts.issuedOn) },
		addressBlock: { postalCode: postalLine(s.postalCode), lines: addressLines, addressee: `${mark(s.name)}　様` },
		letterhead: lines(t.letterhead),
		title: t.title.trim(),
		body: lines(t.body),
		years,
		total,
		totalText: yen(total),
		howToPay: lines(t.howToPay),
		contact: lines(t.contact),
		center: { name: t.centerName.trim(), phone: t.centerPhone.trim(), hours: t.centerHours.trim() },
		nhiNumber: s.nhiNumber,
		gaiji
	};
}

/** A sample household for the administrator's preview (invented; with a 外字 to show how it is marked). */
export const SAMPLE_SNAPSHOT: LetterSnapshot = {
	nhiNumber: '00012345',
	name: '見本\uE000　髙橋 花子',
	postalCode: '1600023',
	address: '東京都新宿区西新宿二丁目8番1号',
	addressExtra: 'サンプルハイツ 203号室',
	arrears: [
		{ fiscalYear: 2024, period: 9, dueDate: '2025-02-28', owed: 12_300 },
		{ fiscalYear: 2025, period: 1, dueDate: '2025-06-30', owed: 15_400 },
		{ fiscalYear: 2025, period: 2, dueDate: '2025-07-31', owed: 15_400 }
	]
};

// ─── batch states ───────────────────────────────────────────────────────────

export const batchStates = ['generating', 'generated', 'printed', 'sealed', 'mailed', 'failed'] as const;
export type BatchState = (typeof batchStates)[number];

/** The steps staff record after generation, in order: each only from the one before. */
export const batchSteps = ['printed', 'sealed', 'mailed'] as const;
export type BatchStep = (typeof batchSteps)[number];

export function previousState(step: BatchStep): BatchState {
	return step === 'printed' ? 'generated' : step === 'sealed' ? 'printed' : 'sealed';
}

export const returnReasons = ['unknown_address', 'moved', 'refused', 'other'] as const;
export type ReturnReason = (typeof returnReasons)[number];
