import { describe, expect, it } from 'vitest';
import { breakdownText, BREAKDOWN_MAX_PERIODS, fillScript, mergeScripts, openingSituation, paragraphsOf, periodsText, pickScript, placeholders, scriptContact, scriptLanguages, situations, talkScripts, unknownPlaceholders } from './talk-scripts.ts';

describe('talk scripts', () => {
	it('Japanese and English have every situation; every language has the first call', () => {
		for (const s of situations) {
			expect(talkScripts.ja[s]?.length, `ja ${s}`).toBeGreaterThan(0);
			expect(talkScripts.en[s]?.length, `en ${s}`).toBeGreaterThan(0);
		}
		for (const l of scriptLanguages) expect(talkScripts[l].first?.length, l).toBeGreaterThan(0);
	});
	it('uses only the known placeholders', () => {
		for (const l of scriptLanguages)
			for (const ps of Object.values(talkScripts[l]))
				for (const p of ps ?? []) for (const m of p.matchAll(/\{(\w+)\}/g)) expect(placeholders, `${l}: ${p}`).toContain(m[1]);
	});
	it('fills known values and leaves gaps for unknown ones, never "undefined"', () => {
		const parts = fillScript('{center}の者です。{name}様、{amount}です。{phone}', { center: '区役所', name: '山田 太郎', amount: undefined, phone: null });
		expect(parts).toEqual([{ text: '区役所の者です。山田 太郎様、' }, { gap: 'amount' }, { text: 'です。' }, { gap: 'phone' }]);
		expect(fillScript('{nosuch}!', {})).toEqual([{ gap: 'nosuch' }, { text: '!' }]);
		expect(fillScript('no placeholders', {})).toEqual([{ text: 'no placeholders' }]);
		for (const l of scriptLanguages)
			for (const p of talkScripts[l].first ?? []) expect(JSON.stringify(fillScript(p, {}))).not.toContain('undefined');
	});
	it('picks the household’s language, else English, else Japanese', () => {
		expect(pickScript('vi', 'first')).toMatchObject({ language: 'vi', fallback: false });
		expect(pickScript('vi', 'voicemail')).toMatchObject({ language: 'en', fallback: true });
		expect(pickScript('my', 'first')).toMatchObject({ language: 'en', fallback: true });
		expect(pickScript('ja', 'third_party')).toMatchObject({ language: 'ja', fallback: false });
		expect(pickScript(null, 'first')).toMatchObject({ language: 'ja', fallback: false });
		expect(pickScript('en', 'callback')).toMatchObject({ language: 'en', fallback: false });
	});
	it('opens with a callback, a broken promise, or a first call', () => {
		expect(openingSituation({ kind: 'callback', promises: [{ status: 'broken' }] })).toBe('callback');
		expect(openingSituation({ kind: 'outbound', promises: [{ status: 'kept' }, { status: 'broken' }] })).toBe('broken_promise');
		expect(openingSituation({ kind: 'outbound', promises: null })).toBe('first');
		expect(openingSituation({ kind: 'inbound', promises: [{ status: 'broken' }] })).toBe('inbound');
	});
	it('reads the periods by fiscal year', () => {
		const ps = [{ fiscalYear: 2026, period: 1 }, { fiscalYear: 2025, period: 3 }, { fiscalYear: 2025, period: 4 }];
		expect(periodsText(ps, 'ja')).toBe('2025年度 第3期・第4期、2026年度 第1期');
		expect(periodsText(ps, 'en')).toBe('FY2025 periods 3, 4; FY2026 period 1');
		expect(periodsText([], 'ja')).toBeNull();
		// every script language reads them in its own words, never in English inside a Vietnamese script (QA)
		expect(periodsText(ps, 'zh')).toBe('2025年度 第3期、第4期；2026年度 第1期');
		expect(periodsText(ps, 'ko')).toBe('2025년도 제3기·제4기, 2026년도 제1기');
		expect(periodsText(ps, 'vi')).toBe('năm tài chính 2025 kỳ 3, 4; năm tài chính 2026 kỳ 1');
		expect(periodsText(ps, 'ne')).toBe('आर्थिक वर्ष 2025 को किस्ता 3, 4; आर्थिक वर्ष 2026 को किस्ता 1');
		for (const l of scriptLanguages) if (l !== 'en') expect(periodsText(ps, l)).not.toMatch(/FY|period/);
	});

	it('reads each unpaid period with its amount and due date ({breakdown}) in every script language', () => {
		const ps = [
			{ fiscalYear: 2025, period: 3, owed: 12_300, dueDate: '2025-09-30' },
			{ fiscalYear: 2026, period: 1, owed: 8_000, dueDate: '2026-06-30' }
		];
		expect(breakdownText(ps, 'ja')).toBe('2025年度 第3期 ¥12,300（納期限 令和7年9月30日）、2026年度 第1期 ¥8,000（納期限 令和8年6月30日）');
		expect(breakdownText(ps, 'en')).toBe('FY2025 period 3: ¥12,300, due 2025-09-30; FY2026 period 1: ¥8,000, due 2026-06-30');
		expect(breakdownText(ps, 'zh')).toBe('2025年度 第3期 ¥12,300（缴纳期限 2025-09-30）、2026年度 第1期 ¥8,000（缴纳期限 2026-06-30）');
		expect(breakdownText(ps, 'ko')).toContain('2025년도 제3기 ¥12,300 (납부기한 2025-09-30)');
		expect(breakdownText(ps, 'vi')).toContain('năm tài chính 2025 kỳ 3: ¥12,300, hạn nộp 2025-09-30');
		expect(breakdownText(ps, 'ne')).toContain('आर्थिक वर्ष 2025 को किस्ता 3: ¥12,300');
		for (const l of scriptLanguages) if (l !== 'en') expect(breakdownText(ps, l)).not.toMatch(/FY|period|due/);
		expect(breakdownText([], 'ja')).toBeNull();
		expect(breakdownText(null, 'en')).toBeNull();
		// a long history: the first periods, then how many more (the card has them all)
		const many = Array.from({ length: BREAKDOWN_MAX_PERIODS + 3 }, (_, i) => ({ fiscalYear: 2024, period: i + 1, owed: 1000, dueDate: '2024-07-31' }));
		expect(breakdownText(many, 'ja')).toMatch(/、ほか3期$/);
		expect(breakdownText(many, 'en')).toMatch(/; and 3 more$/);
		expect(breakdownText(many, 'ja')!.split('（納期限').length - 1).toBe(BREAKDOWN_MAX_PERIODS);
		// filled into a script
		expect(fillScript('（内訳を尋ねられた場合）{breakdown}です。', { breakdown: breakdownText(ps, 'ja') })).toEqual([
			{ text: '（内訳を尋ねられた場合）2025年度 第3期 ¥12,300（納期限 令和7年9月30日）、2026年度 第1期 ¥8,000（納期限 令和8年6月30日）です。' }
		]);
	});

	it('shows a ward-defined character (外字) in a value as 〓, as the card does, not as an empty box', () => {
		expect(fillScript('请问是{name}先生/女士吗？', { name: '\uE001　家豪' })).toEqual([{ text: '请问是〓　家豪先生/女士吗？' }]);
		expect(fillScript('{name}', { name: '髙\uDB80\uDC01' })).toEqual([{ text: '髙〓' }]);
	});
	it('every language fills every placeholder from the household, and a missing value is a gap in every language', () => {
		const values = { center: '新宿区国保納付勧奨センター', name: '山田 太郎', amount: '¥12,345', periods: '2025年度 第3期', breakdown: '2025年度 第3期 ¥12,345（納期限 令和7年9月30日）', phone: '03-1234-5678', hours: '平日9時〜20時' };
		for (const l of scriptLanguages)
			for (const [s, ps] of Object.entries(talkScripts[l]))
				for (const p of ps ?? []) {
					const full = fillScript(p, values);
					expect(full.some((x) => 'gap' in x), `${l}/${s}: ${p}`).toBe(false);
					expect(full.map((x) => ('text' in x ? x.text : '')).join('')).not.toMatch(/[{}]/);
					const named = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
					const missing = fillScript(p, {});
					expect(missing.filter((x) => 'gap' in x).map((x) => ('gap' in x ? x.gap : '')), `${l}/${s}`).toEqual(named);
				}
	});
	it('names placeholders the screen cannot fill; edited text is one paragraph per line', () => {
		expect(unknownPlaceholders(['{center}の{nmae}様', '{name} {amout} {nmae}', '{}'])).toEqual(['nmae', 'amout', '']);
		expect(unknownPlaceholders(['{center} {name} {amount} {periods} {phone} {hours}'])).toEqual([]);
		expect(paragraphsOf('  一行目 \r\n\n二行目\n   \n')).toEqual(['一行目', '二行目']);
	});
	it('saved versions replace the built-in text of their situation and language only', () => {
		const merged = mergeScripts([{ situation: 'first', language: 'ja', paragraphs: ['新しい台本 {name}'] }, { situation: 'voicemail', language: 'vi', paragraphs: ['Xin chào {name}'] }]);
		expect(merged.ja.first).toEqual(['新しい台本 {name}']);
		expect(merged.ja.voicemail).toEqual(talkScripts.ja.voicemail);
		expect(merged.vi.voicemail).toEqual(['Xin chào {name}']);
		expect(pickScript('vi', 'voicemail', merged)).toMatchObject({ language: 'vi', fallback: false });
		// the built-in set is not changed
		expect(talkScripts.ja.first?.[0]).not.toBe('新しい台本 {name}');
		expect(talkScripts.vi.voicemail).toBeUndefined();
	});
	it('has an incoming-call script in Japanese and English that withholds the arrears until the payer is confirmed', () => {
		expect(talkScripts.ja.inbound?.join('')).toContain('ご本人様と確認できるまで');
		expect(talkScripts.en.inbound?.length).toBeGreaterThan(0);
	});
});

describe('scriptContact (where {center}, {phone} and {hours} come from)', () => {
	const letter = { centerName: 'みどり区 国保納付勧奨センター', centerPhone: '03-5555-0182', centerHours: '平日 9:00〜20:00' };
	it("reads the reminder letter's contact block", () => {
		expect(scriptContact(letter, { CENTER_NAME: '別の名前' })).toEqual({ center: 'みどり区 国保納付勧奨センター', phone: '03-5555-0182', hours: '平日 9:00〜20:00' });
	});
	it('skips a field that still holds the installed placeholder, then falls back to the server settings', () => {
		expect(scriptContact({ ...letter, centerName: '〇〇区 国保センター', centerPhone: '03-0000-0000' }, { CENTER_NAME: 'さくら区 納付センター' })).toEqual({
			center: 'さくら区 納付センター',
			phone: null,
			hours: '平日 9:00〜20:00'
		});
		expect(scriptContact(null, { WARD_NAME: 'さくら区' }).center).toBe('さくら区');
	});
	it('nothing configured: unknown (a blank on screen)', () => {
		expect(scriptContact(null, {})).toEqual({ center: null, phone: null, hours: null });
		expect(scriptContact({ centerName: ' ', centerPhone: '', centerHours: '' }, {})).toEqual({ center: null, phone: null, hours: null });
	});
});
