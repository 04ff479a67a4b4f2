/**
 * Japanese phone numbers as the ward writes them: '03-1234-5678', '03(1234)5678', '０９０－１２３４－５６７８',
 * with spaces, with an extension ('内線12'), or placeholders ('不明'). Normalize to digits, keep the original,
 * classify, and mark what cannot be a number under the numbering plan.
 */
export type PhoneKind = 'mobile' | 'landline' | 'ip' | 'freedial' | 'other';

export interface ParsedPhone {
	raw: string;
	/** digits only, or null when the text holds no number at all */
	digits: string | null;
	extension: string | null;
	kind: PhoneKind;
	valid: boolean;
	/** why it is invalid, for people reading the card or an import report */
	problem?: 'empty' | 'placeholder' | 'not_a_number' | 'wrong_prefix' | 'wrong_length' | 'all_zeros';
}

const placeholders = /^(不明|なし|無し|無|-+|ー+|未登録|不詳|unknown|none|n\/a)$/i;

export function parsePhone(raw: string): ParsedPhone {
	const text = raw.normalize('NFKC').trim();
	const base = { raw, extension: null as string | null, kind: 'other' as PhoneKind };
	if (text === '') return { ...base, digits: null, valid: false, problem: 'empty' };
	if (placeholders.test(text)) return { ...base, digits: null, valid: false, problem: 'placeholder' };

	let main = text;
	let extension: string | null = null;
	const ext = /(?:内線|内|ext\.?|x)\s*([0-9]+)\s*$/i.exec(main);
	if (ext) {
		extension = ext[1];
		main = main.slice(0, ext.index);
	}
	// only digits and the separators people write may remain
	if (!/^[0-9\s\-‐‑–—−ー()（）.+]*$/.test(main)) return { ...base, extension, digits: null, valid: false, problem: 'not_a_number' };
	let digits = main.replace(/[^0-9]/g, '');
	if (main.trim().startsWith('+81')) digits = '0' + digits.slice(2);
	if (digits === '') return { ...base, extension, digits: null, valid: false, problem: 'not_a_number' };
	if (/^0+$/.test(digits)) return { ...base, extension, digits, valid: false, problem: 'all_zeros' };
	if (!/^0[1-9]/.test(digits)) return { ...base, extension, digits, valid: false, problem: 'wrong_prefix' };

	const kind = classify(digits);
	const expected = expectedLength(digits);
	if (!expected.includes(digits.length)) return { ...base, extension, digits, kind, valid: false, problem: 'wrong_length' };
	return { raw, digits, extension, kind, valid: true };
}

function classify(d: string): PhoneKind {
	if (/^0[789]0/.test(d)) return 'mobile';
	if (d.startsWith('050')) return 'ip';
	if (d.startsWith('0120') || d.startsWith('0800')) return 'freedial';
	if (d.startsWith('0570') || d.startsWith('0990') || d.startsWith('020') || d.startsWith('060')) return 'other';
	return 'landline';
}

function expectedLength(d: string): number[] {
	if (/^0[5789]0/.test(d)) return [11]; // mobile, IP, 0800 free dial
	if (d.startsWith('0120') || d.startsWith('0570') || d.startsWith('0990')) return [10];
	if (d.startsWith('020')) return [11];
	return [10]; // fixed lines: 0 + area code + subscriber number = 10 digits
}

/** Display form: 090-1234-5678, 03-1234-5678, 0120-123-456; other lengths as digits. */
export function formatPhone(digits: string): string {
	if (/^0[5789]0\d{8}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
	if (/^0120\d{6}$/.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
	if (/^0[36]\d{8}$/.test(digits)) return `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6)}`;
	if (/^0\d{9}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
	return digits;
}

/**
 * A number as it was stored (a dialled number, say '09081327183') in the display form: '090-8132-7183', with
 * ' 内線12' when there is an extension; what is not a valid number stays as written.
 */
export function displayPhone(text: string): string {
	const p = parsePhone(text);
	if (!p.valid || !p.digits) return text;
	return p.extension ? `${formatPhone(p.digits)} 内線${p.extension}` : formatPhone(p.digits);
}
