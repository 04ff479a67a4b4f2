/**
 * Which encoding a ward export is in: Shift_JIS/CP932 (the usual case) or UTF-8 (with or without BOM).
 * Pure: looks at bytes only. The caller may override the guess (`--encoding`).
 *
 * Decoding is the caller's job. Note for CP932: `new TextDecoder('shift_jis')` (WHATWG, also in Node with
 * ICU) decodes the whole user area F040–F9FC (外字) to U+E000–U+E757, so hasGaiji() can flag it; iconv-lite
 * 0.7 maps only F040–F940 and turns F941–F9FC into U+FFFD.
 */
export type Encoding = 'utf8' | 'cp932';

/** How much of the file the decision looks at. */
export const SAMPLE_BYTES = 64 * 1024;

/** The file starts with the UTF-8 byte order mark EF BB BF. */
export function hasUtf8Bom(sample: Uint8Array): boolean {
	return sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf;
}

/**
 * Decide from the first bytes (≤ 64 KiB; a longer sample is cut to that) of a file: a UTF-8 BOM → utf8;
 * bytes that are valid UTF-8 (strict: no overlong forms, no surrogates, nothing above U+10FFFF), allowing a
 * multi-byte sequence cut off at the very end of the sample → utf8 (this includes pure ASCII); otherwise
 * cp932. An empty sample is utf8.
 */
export function detectEncoding(sample: Uint8Array): Encoding {
	if (hasUtf8Bom(sample)) return 'utf8';
	const bytes = sample.length > SAMPLE_BYTES ? sample.subarray(0, SAMPLE_BYTES) : sample;
	return isUtf8(bytes) ? 'utf8' : 'cp932';
}

/** Strict UTF-8 validation; a sequence that is a valid prefix but cut off by the end of `b` is accepted. */
function isUtf8(b: Uint8Array): boolean {
	const n = b.length;
	let i = 0;
	while (i < n) {
		const c = b[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		let need: number;
		// allowed range of the first continuation byte (the rest are always 80–BF)
		let lo = 0x80;
		let hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) need = 1;
		else if (c === 0xe0) (need = 2), (lo = 0xa0);
		else if (c === 0xed) (need = 2), (hi = 0x9f); // no UTF-16 surrogates
		else if (c >= 0xe1 && c <= 0xef) need = 2;
		else if (c === 0xf0) (need = 3), (lo = 0x90);
		else if (c === 0xf4) (need = 3), (hi = 0x8f); // nothing above U+10FFFF
		else if (c >= 0xf1 && c <= 0xf3) need = 3;
		else return false; // 80–C1 (continuation or overlong lead) or F5–FF
		for (let k = 1; k <= need; k++) {
			if (i + k >= n) return true; // cut at the end of the sample: a valid prefix so far
			const d = b[i + k];
			const [l, h] = k === 1 ? [lo, hi] : [0x80, 0xbf];
			if (d < l || d > h) return false;
		}
		i += need + 1;
	}
	return true;
}
