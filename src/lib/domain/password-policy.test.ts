import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength, passwordProblem, type PasswordContext } from './password-policy.ts';
import { commonPasswordCount, isCommonPassword } from '../server/auth/common-passwords.ts';

const ctx: PasswordContext = { loginId: 'op05', displayName: '佐藤 花子', isCommon: isCommonPassword };

describe('password rule (NIST SP 800-63B)', () => {
	it('asks for 12 characters at least and accepts at least 64 (up to 128)', () => {
		expect(PASSWORD_MIN_LENGTH).toBe(12);
		expect(PASSWORD_MAX_LENGTH).toBeGreaterThanOrEqual(64);
		expect(passwordProblem('short pass!', ctx)).toBe('too_short'); // 11
		expect(passwordProblem('river tulip9', ctx)).toBeNull(); // 12
		expect(passwordProblem('x'.repeat(5) + 'correct horse battery staple '.repeat(4).slice(0, 123), ctx)).toBeNull(); // 128
		expect(passwordProblem('q'.repeat(3) + 'correct horse battery staple '.repeat(5), ctx)).toBe('too_long');
	});

	it('has no composition rules: lower-case words, spaces and Japanese are fine', () => {
		expect(passwordProblem('correct horse battery staple', ctx)).toBeNull();
		expect(passwordProblem('にわにはにわにわとりがいる', ctx)).toBeNull();
		expect(passwordProblem('朝の散歩は七時から始める', ctx)).toBeNull(); // 12 kanji/kana = 12 characters
		expect(passwordProblem('朝の散歩は七時から始め', ctx)).toBe('too_short'); // 11
	});

	it('counts characters, not UTF-16 units, after NFKC normalization', () => {
		expect(passwordLength('𠮷野家の牛丼')).toBe(6); // 𠮷 is a surrogate pair
		expect(passwordLength('ＡＢＣ')).toBe(3);
		// full-width letters are the same password as half-width ones, so the list catches them too
		expect(passwordProblem('ｐａｓｓｗｏｒｄ１２３４', ctx)).toBe('common');
	});

	it('refuses passwords from the common-password list, in any case, and with digits added at the end', () => {
		expect(commonPasswordCount()).toBeGreaterThan(40_000);
		expect(passwordProblem('password1234', ctx)).toBe('common');
		expect(passwordProblem('PASSWORD1234', ctx)).toBe('common');
		expect(passwordProblem('1qaz2wsx3edc', ctx)).toBe('common');
		expect(passwordProblem('qwertyuiop123', ctx)).toBe('common');
		expect(passwordProblem('sunshine2026!!', ctx)).toBe('common');
		expect(passwordProblem('iloveyou 2026', ctx)).toBe('common');
	});

	it('refuses the login id inside the password and the display name as the password', () => {
		expect(passwordProblem('op05op05op05!', ctx)).toBe('contains_login_id');
		expect(passwordProblem('my-OP05-secret', ctx)).toBe('contains_login_id');
		expect(passwordProblem('佐藤花子佐藤花子佐藤花子', { ...ctx, displayName: '佐藤花子佐藤花子佐藤花子' })).toBe('is_display_name');
		expect(passwordProblem('Yamada Taro Yamada', { ...ctx, displayName: 'yamada taro yamada' })).toBe('is_display_name');
	});

	it('refuses repetitive and sequential passwords', () => {
		expect(passwordProblem('zzzzzzzzzzzzzz', ctx)).toBe('repetitive');
		expect(passwordProblem('xyzxyzxyzxyz', ctx)).toBe('repetitive');
		expect(passwordProblem('abcdefghijklm', ctx)).toBe('sequential');
		expect(passwordProblem('345678901234', ctx)).toBe('sequential');
		expect(passwordProblem('987654321098', ctx)).toBe('sequential');
	});

	it('uses only the lookup it is given (pure)', () => {
		const none: PasswordContext = { isCommon: () => false };
		expect(passwordProblem('password1234', none)).toBeNull();
		expect(passwordProblem('a walk in the park', { isCommon: (s) => s === 'a walk in the park' })).toBe('common');
	});
});
