import { describe, expect, it } from 'vitest';
import { fillScript, openingSituation, periodsText, pickScript, placeholders, scriptLanguages, situations, talkScripts } from './talk-scripts.ts';

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
	});
	it('reads the periods by fiscal year', () => {
		const ps = [{ fiscalYear: 2026, period: 1 }, { fiscalYear: 2025, period: 3 }, { fiscalYear: 2025, period: 4 }];
		expect(periodsText(ps, 'ja')).toBe('2025年度 第3期・第4期、2026年度 第1期');
		expect(periodsText(ps, 'en')).toBe('FY2025 periods 3, 4; FY2026 period 1');
		expect(periodsText([], 'ja')).toBeNull();
	});
});
