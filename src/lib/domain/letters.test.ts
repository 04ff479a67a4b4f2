import { describe, expect, it } from 'vitest';
import {
	DEFAULT_LETTER_RULES,
	SAMPLE_SNAPSHOT,
	fiscalYearLabel,
	letterCandidate,
	letterContent,
	luhnDigit,
	checkReferenceNumber,
	parseReferenceNumber,
	placeholderFields,
	templateFields,
	postalLine,
	printable,
	referenceNumber,
	summarizeCandidates,
	type LetterFacts,
	type LetterTemplateText
} from './letters.ts';

const today = '2026-11-28';
const facts = (over: Partial<LetterFacts> = {}): LetterFacts => ({
	householdId: 1,
	owed: 30_000,
	resolved: false,
	hasAddress: true,
	callablePhones: 1,
	attemptsSinceContact: 0,
	slotsSinceContact: 0,
	doNotCall: false,
	openHandoff: false,
	openPromise: false,
	paidRecently: false,
	addressFlagged: false,
	inPendingBatch: false,
	lastLetterOn: null,
	...over
});
const rules = DEFAULT_LETTER_RULES; // 6 attempts, 2 slots, 90 days

describe('letter candidates', () => {
	it('a household with no callable number is a candidate (no_phone)', () => {
		expect(letterCandidate(facts({ callablePhones: 0 }), rules, today)).toEqual({ candidate: true, reason: 'no_phone' });
	});

	it('unreached: enough attempts since the last contact, in enough distinct time slots', () => {
		expect(letterCandidate(facts({ attemptsSinceContact: 6, slotsSinceContact: 2 }), rules, today)).toEqual({ candidate: true, reason: 'unreached' });
		// one attempt short
		expect(letterCandidate(facts({ attemptsSinceContact: 5, slotsSinceContact: 3 }), rules, today).candidate).toBe(false);
		// all in one slot: not tried at different times of day
		expect(letterCandidate(facts({ attemptsSinceContact: 12, slotsSinceContact: 1 }), rules, today).candidate).toBe(false);
		// the thresholds are settings
		expect(letterCandidate(facts({ attemptsSinceContact: 3, slotsSinceContact: 1 }), { ...rules, attemptsThreshold: 3, distinctSlots: 1 }, today).candidate).toBe(true);
	});

	it('a reachable household with few attempts is no candidate and no exclusion either', () => {
		expect(letterCandidate(facts({ attemptsSinceContact: 2, slotsSinceContact: 1 }), rules, today)).toEqual({ candidate: false, reason: null, excludedBy: null });
	});

	it.each([
		['resolved', { resolved: true }],
		['nothing_owed', { owed: 0 }],
		['no_address', { hasAddress: false }],
		['address_flagged', { addressFlagged: true }],
		['do_not_call', { doNotCall: true }],
		['handoff', { openHandoff: true }],
		['promise', { openPromise: true }],
		['payment', { paidRecently: true }],
		['pending_batch', { inPendingBatch: true }],
		['recent_letter', { lastLetterOn: '2026-10-01' }]
	] as const)('excluded: %s', (why, over) => {
		expect(letterCandidate(facts({ callablePhones: 0, ...over }), rules, today)).toEqual({ candidate: false, reason: 'no_phone', excludedBy: why });
	});

	it('a letter sent longer ago than the re-send interval does not exclude', () => {
		// 2026-08-30 is exactly 90 days before 2026-11-28
		expect(letterCandidate(facts({ callablePhones: 0, lastLetterOn: '2026-08-30' }), rules, today).candidate).toBe(true);
		expect(letterCandidate(facts({ callablePhones: 0, lastLetterOn: '2026-08-31' }), rules, today).candidate).toBe(false);
		expect(letterCandidate(facts({ callablePhones: 0, lastLetterOn: '2026-08-31' }), { ...rules, resendIntervalDays: 30 }, today).candidate).toBe(true);
	});

	it('the first exclusion that applies is named', () => {
		expect(letterCandidate(facts({ callablePhones: 0, resolved: true, doNotCall: true }), rules, today)).toMatchObject({ excludedBy: 'resolved' });
	});

	it('summarizes counts by reason and by exclusion, and lists the candidates in order', () => {
		const s = summarizeCandidates(
			[
				facts({ householdId: 1, callablePhones: 0 }),
				facts({ householdId: 2, attemptsSinceContact: 8, slotsSinceContact: 3 }),
				facts({ householdId: 3, callablePhones: 0, doNotCall: true }),
				facts({ householdId: 4 }),
				facts({ householdId: 5, callablePhones: 0 })
			],
			rules,
			today
		);
		expect(s.total).toBe(3);
		expect(s.candidates).toEqual({ no_phone: 2, unreached: 1 });
		expect(s.excluded.do_not_call).toBe(1);
		expect(s.ids).toEqual([
			{ householdId: 1, reason: 'no_phone' },
			{ householdId: 2, reason: 'unreached' },
			{ householdId: 5, reason: 'no_phone' }
		]);
	});
});

describe('reference numbers', () => {
	it('are L-batch-page-check with a Luhn check digit', () => {
		expect(luhnDigit('7992739871')).toBe(3); // the textbook example
		const r = referenceNumber(123, 45);
		expect(r).toMatch(/^L-000123-00045-\d$/);
		expect(parseReferenceNumber(r)).toEqual({ text: r, batchId: 123, seq: 45 });
	});

	it('accept what people type: full-width, no hyphens, lower case, spaces', () => {
		const r = referenceNumber(7, 2);
		const digits = r.replace(/[^0-9]/g, '');
		expect(parseReferenceNumber(digits)?.text).toBe(r);
		expect(parseReferenceNumber('ｌ－' + digits.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))))?.text).toBe(r);
		expect(parseReferenceNumber(` l ${digits.slice(0, 6)} ${digits.slice(6)} `)?.text).toBe(r);
	});

	it('refuse a wrong check digit, a swapped pair of digits and other shapes', () => {
		const r = referenceNumber(123, 45);
		const bad = r.slice(0, -1) + String((Number(r.slice(-1)) + 1) % 10);
		expect(parseReferenceNumber(bad)).toBeNull();
		// 000123-00045 → 000123-00054 (two adjacent digits swapped)
		expect(parseReferenceNumber(`L-000123-00054-${r.slice(-1)}`)).toBeNull();
		expect(parseReferenceNumber('L-12-3')).toBeNull();
		expect(parseReferenceNumber('')).toBeNull();
		expect(() => referenceNumber(0, 1)).toThrow();
		expect(() => referenceNumber(1, 100_000)).toThrow();
	});
});

describe('reference numbers typed from an envelope (full-width, any dash)', () => {
	const fw = (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
	const r = referenceNumber(1, 2); // L-000001-00002-5
	it('accepts the full-width forms the hint promises, with or without hyphens', () => {
		expect(r).toBe('L-000001-00002-5');
		expect(parseReferenceNumber('Ｌ０００００１００００２５')?.text).toBe(r);
		expect(parseReferenceNumber('Ｌ－０００００１－００００２－５')?.text).toBe(r);
		expect(parseReferenceNumber(fw('l 000001 00002 5'))?.text).toBe(r);
		expect(parseReferenceNumber('L000001000025')?.text).toBe(r);
	});
	it('accepts every dash and long-vowel look-alike between the groups', () => {
		for (const dash of ['-', '－', '‐', '‑', '‒', '–', '—', '―', '−', 'ー', 'ｰ', '﹣', '﹘', '─', '━']) {
			expect(parseReferenceNumber(`L${dash}000001${dash}00002${dash}5`)?.text, `dash U+${dash.codePointAt(0)!.toString(16)}`).toBe(r);
			expect(parseReferenceNumber(fw(`L${dash}000001${dash}00002${dash}5`))?.text).toBe(r);
		}
	});
	it('says why a number is refused: its shape, or its check digit', () => {
		// one digit too many (a 6-digit page number): not the shape of a reference number
		expect(checkReferenceNumber('Ｌ０００００１０００００２５')).toEqual({ ok: false, problem: 'reference_format' });
		expect(checkReferenceNumber('L-12-3')).toEqual({ ok: false, problem: 'reference_format' });
		expect(checkReferenceNumber('')).toEqual({ ok: false, problem: 'reference_format' });
		expect(checkReferenceNumber('L-000000-00000-0')).toEqual({ ok: false, problem: 'reference_format' });
		expect(checkReferenceNumber('L-000001-00002-6')).toEqual({ ok: false, problem: 'reference_check_digit' });
		expect(checkReferenceNumber('Ｌ－０００００１－００００２－６')).toEqual({ ok: false, problem: 'reference_check_digit' });
		expect(checkReferenceNumber('L-000001-00002-5')).toEqual({ ok: true, text: r, batchId: 1, seq: 2 });
	});
});

describe('placeholder letter settings', () => {
	// the text a new installation starts with (migration 00019)
	const installed: LetterTemplateText = {
		letterhead: '〇〇区役所\n区民部 国保年金課 収納係',
		title: '国民健康保険料 納付のお願い（催告書）',
		body: '日頃より区政にご理解とご協力をいただき、ありがとうございます。',
		howToPay: '同封の納付書により、金融機関・コンビニエンスストアで納付できます。',
		contact: '〇〇区役所 区民部 国保年金課 収納係\n〒000-0000 東京都〇〇区〇〇1-1-1　電話 03-0000-0000（代表）',
		centerName: '国保納付勧奨センター',
		centerPhone: '03-0000-0000',
		centerHours: '平日 9:00〜20:00'
	};
	const real: LetterTemplateText = {
		...installed,
		letterhead: '桜ヶ丘区役所\n区民部 国保年金課 収納係',
		contact: '桜ヶ丘区役所 区民部 国保年金課 収納係\n〒199-0001 東京都桜ヶ丘区本町一丁目1番1号　電話 03-5555-0100（代表）',
		centerPhone: '03-5555-0180'
	};
	it('finds the installed placeholders: the ward name, the address and the phone numbers', () => {
		expect(placeholderFields(installed)).toEqual(['letterhead', 'contact', 'centerPhone']);
	});
	it('passes a ward’s real details, amounts and dates included', () => {
		expect(placeholderFields(real)).toEqual([]);
		expect(placeholderFields({ ...real, body: '令和7年度の保険料 100,000円（納期限 2026-10-31）を至急納付してください。' })).toEqual([]);
	});
	it('finds each kind alone, also typed in full width or with other circles', () => {
		expect(placeholderFields({ ...real, centerPhone: '０３－００００－００００' })).toEqual(['centerPhone']);
		expect(placeholderFields({ ...real, centerPhone: '03(0000)0000' })).toEqual(['centerPhone']);
		expect(placeholderFields({ ...real, contact: '〒000-0000 東京都桜ヶ丘区本町1-1-1' })).toEqual(['contact']);
		expect(placeholderFields({ ...real, letterhead: '○○区役所' })).toEqual(['letterhead']);
		expect(placeholderFields({ ...real, body: '◯◯課までご連絡ください。' })).toEqual(['body']);
		expect(templateFields).toContain('centerPhone');
	});
});

describe('letter content', () => {
	const t: LetterTemplateText = {
		letterhead: '新宿区役所\n国保年金課',
		title: '国民健康保険料 納付のお願い（催告書）',
		body: '下記のとおり未納です。\n\n至急納付してください。',
		howToPay: '納付書でお支払いください。',
		contact: '新宿区役所 国保年金課 03-1111-2222',
		centerName: '国保納付勧奨センター',
		centerPhone: '03-5555-6666',
		centerHours: '平日 9:00〜20:00'
	};

	it('groups arrears by fiscal year and period, with due dates in both calendars and totals in yen', () => {
		const c = letterContent(
			{
				nhiNumber: '00001234',
				name: '山田　太郎',
				postalCode: '1600023',
				address: '東京都新宿区西新宿1-1-1',
				addressExtra: 'コーポ101',
				arrears: [
					{ fiscalYear: 2025, period: 2, dueDate: '2025-07-31', owed: 5_000 },
					{ fiscalYear: 2024, period: 10, dueDate: '2025-03-31', owed: 12_345 },
					{ fiscalYear: 2025, period: 1, dueDate: '2025-06-30', owed: 5_000 }
				]
			},
			t,
			{ referenceNumber: 'L-000001-00001-8', issuedOn: '2026-11-28' }
		);
		expect(c.years.map((y) => y.label)).toEqual(['令和6年度（2024年度）', '令和7年度（2025年度）']);
		expect(c.years[1].periods.map((p) => p.label)).toEqual(['第1期', '第2期']);
		expect(c.years[1].periods[0]).toMatchObject({ dueDate: '2025-06-30', dueDateWareki: '令和7年6月30日', owedText: '¥5,000' });
		expect(c.years[0].subtotalText).toBe('¥12,345');
		expect(c.total).toBe(22_345);
		expect(c.totalText).toBe('¥22,345');
		expect(c.addressBlock).toEqual({ postalCode: '〒160-0023', lines: ['東京都新宿区西新宿1-1-1', 'コーポ101'], addressee: '山田　太郎　様' });
		expect(c.issuedOn.wareki).toBe('令和8年11月28日');
		expect(c.letterhead).toEqual(['新宿区役所', '国保年金課']);
		// a blank line inside the body is kept as a paragraph break
		expect(c.body).toEqual(['下記のとおり未納です。', '', '至急納付してください。']);
		expect(c.center).toEqual({ name: '国保納付勧奨センター', phone: '03-5555-6666', hours: '平日 9:00〜20:00' });
		expect(c.gaiji).toEqual([]);
	});

	it('marks 外字 (private-use characters) as 〓 and says where; CP932 extension characters stay as they are', () => {
		const c = letterContent({ ...SAMPLE_SNAPSHOT, name: '\uE000田　髙﨑①', addressExtra: '㈱ビル\uE123' }, t, { referenceNumber: 'x', issuedOn: '2026-11-28' });
		expect(c.addressBlock.addressee).toBe('〓田　髙﨑①　様');
		expect(c.addressBlock.lines[1]).toBe('㈱ビル〓');
		expect(c.gaiji).toEqual(['name', 'addressExtra']);
	});

	it('printable() also marks characters the font cannot draw', () => {
		const noKanji = (cp: number) => cp < 0x3000;
		expect(printable('A髙B', noKanji)).toEqual({ text: 'A〓B', marked: 1 });
		expect(printable('A\uE000B')).toEqual({ text: 'A〓B', marked: 1 });
		// a supplementary-plane private-use character (plane 15) is one 〓, not two
		expect(printable('A\uDB80\uDC00B')).toEqual({ text: 'A〓B', marked: 1 });
	});

	it('formats postal codes and fiscal years', () => {
		expect(postalLine('1600023')).toBe('〒160-0023');
		expect(postalLine('１６０－００２３')).toBe('〒160-0023');
		expect(postalLine(null)).toBeNull();
		expect(fiscalYearLabel(2019)).toBe('令和元年度');
		expect(fiscalYearLabel(2018)).toBe('平成30年度');
	});
});
