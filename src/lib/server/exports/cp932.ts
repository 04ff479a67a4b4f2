/**
 * Text for a CP932 file: the characters Unicode has twice (the WAVE DASH / FULLWIDTH TILDE kind) are mapped to
 * the form CP932 holds, and anything CP932 cannot hold becomes 〓 (geta, the customary mark) instead of '?'.
 */
import iconv from 'iconv-lite';

const preferred: Record<string, string> = {
	'\u2212': '\uFF0D', // − MINUS SIGN → －
	'\u301C': '\uFF5E', // 〜 WAVE DASH → ～
	'\u2016': '\u2225', // ‖ → ∥
	'\u2014': '\u2015', // — EM DASH → ―
	'\u00A2': '\uFFE0', // ¢
	'\u00A3': '\uFFE1', // £
	'\u00AC': '\uFFE2' // ¬
};

const cache = new Map<string, boolean>();
function encodable(ch: string): boolean {
	let ok = cache.get(ch);
	if (ok === undefined) {
		ok = iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') === ch;
		cache.set(ch, ok);
	}
	return ok;
}

/** The text CP932 can carry, and how many characters had to be replaced by 〓. */
export function cp932Safe(text: string): { text: string; replaced: number } {
	let replaced = 0;
	let out = '';
	for (const ch of text) {
		const c = preferred[ch] ?? ch;
		if (c.charCodeAt(0) < 0x80 || encodable(c)) out += c;
		else {
			out += '〓';
			replaced++;
		}
	}
	return { text: out, replaced };
}

/** A CSV file's bytes: CP932 through cp932Safe (the ward's Excel), or UTF-8 with a BOM. */
export function csvFileBytes(text: string, encoding: 'cp932' | 'utf8'): Uint8Array {
	return encoding === 'utf8' ? new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])) : new Uint8Array(iconv.encode(cp932Safe(text).text, 'cp932'));
}
