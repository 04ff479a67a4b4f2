import { describe, expect, it } from 'vitest';
import { displayPhone, formatPhone, parsePhone } from './phone.ts';

describe('parsePhone', () => {
	it.each([
		['03-1234-5678', '0312345678', 'landline'],
		['0312345678', '0312345678', 'landline'],
		['03(1234)5678', '0312345678', 'landline'],
		['０９０－１２３４－５６７８', '09012345678', 'mobile'],
		[' 080 1234 5678 ', '08012345678', 'mobile'],
		['050-1234-5678', '05012345678', 'ip'],
		['0120-123-456', '0120123456', 'freedial'],
		['+81 90-1234-5678', '09012345678', 'mobile']
	])('%s → %s (%s)', (raw, digits, kind) => {
		const p = parsePhone(raw);
		expect(p).toMatchObject({ digits, kind, valid: true, raw });
	});

	it('keeps an extension apart', () => {
		expect(parsePhone('03-1234-5678 内線12')).toMatchObject({ digits: '0312345678', extension: '12', valid: true });
	});

	it.each([
		['', 'empty'],
		['不明', 'placeholder'],
		['0000000000', 'all_zeros'],
		['03-123-45', 'wrong_length'],
		['090-1234-567', 'wrong_length'],
		['1234567890', 'wrong_prefix'],
		['00-1234-5678', 'wrong_prefix'],
		['でんわ', 'not_a_number']
	])('marks %j invalid (%s)', (raw, problem) => {
		expect(parsePhone(raw)).toMatchObject({ valid: false, problem });
	});

	it('formats for display', () => {
		expect(formatPhone('09012345678')).toBe('090-1234-5678');
		expect(formatPhone('0312345678')).toBe('03-1234-5678');
		expect(formatPhone('0120123456')).toBe('0120-123-456');
	});
});

describe('displayPhone', () => {
	it('formats a stored number the way the desk shows it', () => {
		expect(displayPhone('09081327183')).toBe('090-8132-7183');
		expect(displayPhone('0312345678')).toBe('03-1234-5678');
		expect(displayPhone('03-1234-5678内線12')).toBe('03-1234-5678 内線12');
	});
	it('leaves what is not a valid number as written', () => {
		expect(displayPhone('不明')).toBe('不明');
		expect(displayPhone('12345')).toBe('12345');
	});
});
