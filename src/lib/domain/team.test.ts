import { describe, expect, it } from 'vitest';
import { distinctTeams, normalizeTeam } from './team.ts';

describe('normalizeTeam', () => {
	it('reads full-width letters, digits and spaces as ASCII, and trims', () => {
		expect(normalizeTeam('Ｂ班')).toBe('B班');
		expect(normalizeTeam('B班')).toBe('B班');
		expect(normalizeTeam('　Ｂ班 ')).toBe('B班');
		expect(normalizeTeam('第１班')).toBe('第1班');
		expect(normalizeTeam('ﾃｽﾄ班')).toBe('テスト班');
	});
	it('keeps the case and the inner space a person typed', () => {
		expect(normalizeTeam('b班')).toBe('b班');
		expect(normalizeTeam('夜間　A')).toBe('夜間 A');
	});
	it('is null when blank or absent', () => {
		expect(normalizeTeam('')).toBeNull();
		expect(normalizeTeam('　 ')).toBeNull();
		expect(normalizeTeam(null)).toBeNull();
		expect(normalizeTeam(undefined)).toBeNull();
	});
	it('is idempotent', () => {
		for (const s of ['Ｂ班', ' A班', 'ﾃｽﾄ']) expect(normalizeTeam(normalizeTeam(s))).toBe(normalizeTeam(s));
	});
});

describe('distinctTeams', () => {
	it('offers 「Ｂ班」 and 「B班」 once, as B班, without blanks, sorted', () => {
		expect(distinctTeams(['Ｂ班', 'A班', 'B班', null, ' ', 'A班 '])).toEqual(['A班', 'B班']);
	});
});
