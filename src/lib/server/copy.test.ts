import { describe, expect, it } from 'vitest';
import { copyValue as copyCell } from './copy.ts';

describe('copyValue (COPY text format)', () => {
	it('escapes what COPY would misread and writes \\N for null', () => {
		expect(copyCell(null)).toBe('\\N');
		expect(copyCell(undefined)).toBe('\\N');
		expect(copyCell(true)).toBe('t');
		expect(copyCell(false)).toBe('f');
		expect(copyCell(42)).toBe('42');
		expect(copyCell('00012345')).toBe('00012345');
		expect(copyCell('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
		expect(copyCell('電話にて納付勧奨。\n本人より回答。')).toBe('電話にて納付勧奨。\\n本人より回答。');
		expect(() => copyCell(Number.NaN)).toThrow();
	});
});
