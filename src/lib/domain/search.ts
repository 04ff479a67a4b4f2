/**
 * Household search for inbound calls (受電): what the operator typed, normalized and classified. Pure: the server
 * (src/lib/server/search) turns the result into SQL; the page shows the kind it was read as.
 *
 * - A phone number in any format: full-width digits and hyphens (０３－１２３４－５６７８), spaces, parentheses,
 *   +81 → digits ('0312345678').
 * - Digits alone (or a short letter prefix and digits) are ambiguous: a 国保記号番号 (NHI number, 8 digits here, leading
 *   zeros matter), a 住民番号 (resident number) or a phone number; all three are looked up exactly, and the phone as
 *   a suffix (the last digits the caller read out).
 * - Text: the same search key the import writes into persons.name_search / kana_search (NFKC, half-width kana →
 *   full-width, hiragana → katakana, no spaces, Latin upper case). All katakana: searched in the kana key; anything
 *   else (kanji, Latin) in the name key.
 */
import { nameForSearch } from './import/normalize.ts';

export type SearchKind = 'phone' | 'number' | 'kana' | 'name';

export type SearchQuery =
	/** written like a phone number (separators, +81): digits only, '+81' → '0' */
	| { kind: 'phone'; digits: string }
	/** digits, or a letter prefix and digits: NHI number or resident number (exact, as typed upper-cased), or a phone */
	| { kind: 'number'; text: string; digits: string | null }
	/** katakana search key (hiragana and half-width kana folded into it) */
	| { kind: 'kana'; text: string }
	/** name search key: kanji, Latin (upper case), mixed */
	| { kind: 'name'; text: string }
	| { kind: 'empty' }
	/** fewer than 4 digits: too unspecific to look up */
	| { kind: 'too_short' };

/** Separators people write in phone numbers (after NFKC: full-width hyphens and parentheses are ASCII by then). */
const PHONE_SEPARATORS = /[\s\-‐‑‒–—―−ーｰ()（）.／/]/gu;
const KATAKANA_ONLY = /^[\u30A0-\u30FF]+$/u;
/** Digits a phone number or an identifier must have before it is looked up (4: "the last four digits"). */
export const MIN_DIGITS = 4;

/** Normalize what was typed into the search box and decide what kind of query it is. */
export function parseSearchQuery(raw: string): SearchQuery {
	const text = raw.normalize('NFKC').trim();
	if (text === '') return { kind: 'empty' };

	// numbers: digits with the separators people write, maybe +81
	const international = /^\+\s*/.test(text);
	const bare = text.replace(/^\+\s*/, '').replace(PHONE_SEPARATORS, '');
	if (/^[0-9]+$/.test(bare)) {
		if (bare.length < MIN_DIGITS) return { kind: 'too_short' };
		if (international) return { kind: 'phone', digits: bare.startsWith('81') ? '0' + bare.slice(2).replace(/^0/, '') : bare };
		const separated = bare !== text;
		return separated ? { kind: 'phone', digits: bare } : { kind: 'number', text: bare, digits: bare };
	}
	// an identifier with a short letter prefix (R000123456): exact number lookups only
	const id = text.toUpperCase().replace(/[\s-]/g, '');
	if (/^[A-Z]{1,3}[0-9]{4,}$/.test(id)) return { kind: 'number', text: id, digits: null };

	const key = nameForSearch(text);
	if (key === '') return { kind: 'empty' };
	return KATAKANA_ONLY.test(key) ? { kind: 'kana', text: key } : { kind: 'name', text: key };
}

/**
 * Stored numbers the caller's full number may end with: a number the ward wrote without its area code
 * ('1234-5678') is found from '03-1234-5678'. Suffixes of 8 digits and more, shorter than the number itself.
 */
export function phoneSuffixes(digits: string): string[] {
	const out: string[] = [];
	for (let n = digits.length - 1; n >= 8; n--) out.push(digits.slice(digits.length - n));
	return out;
}

/** Whether the digits may be the end of a longer stored number (the caller read out the last digits). */
export function isPartialPhone(digits: string): boolean {
	return digits.length >= MIN_DIGITS && digits.length < 10;
}

/**
 * The exclusive upper bound of the strings that start with `prefix`, in code-point (= UTF-8 byte) order: the
 * prefix with its last character's code point plus one. `col ~>=~ prefix and col ~<~ bound` is an index range
 * on a text_pattern_ops index whatever the plan (a `like 'x%'` with a parameter is not, in a generic plan).
 */
export function prefixUpperBound(prefix: string): string {
	const chars = [...prefix];
	const last = chars.pop();
	if (last === undefined) throw new RangeError('prefixUpperBound: empty prefix');
	let cp = last.codePointAt(0)! + 1;
	if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xe000; // skip the surrogate range
	return chars.join('') + String.fromCodePoint(cp);
}

/** Escape LIKE's wildcards (% _ and the escape character \) so the text matches literally. */
export function likeEscape(s: string): string {
	return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** The distinct two-character pieces of a search key (what the SQL function search_bigrams indexes). */
export function bigrams(s: string): string[] {
	const chars = [...s];
	const out = new Set<string>();
	for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
	return [...out];
}
