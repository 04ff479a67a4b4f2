/**
 * The password rule, after NIST SP 800-63B (5.1.1.2 "Memorized Secret Verifiers"): length over complexity.
 *
 * - at least PASSWORD_MIN_LENGTH (12) characters, at most PASSWORD_MAX_LENGTH (128): NIST asks for at least 8
 *   and for accepting at least 64; this system asks for 12 because its accounts reach personal data;
 * - any characters: spaces, symbols, Japanese; counted in Unicode code points after NFKC normalization (so a
 *   full-width "ＡＢＣ" typed with the IME is the same password as "ABC", and 「あ」 counts as one character);
 * - no composition rules (no "one digit, one capital"), no expiry, no hints;
 * - refused: a password on the list of common/breached passwords (also with a trailing run of digits or
 *   symbols taken off: "dragon2026!"), a password that contains the login id or is the display name, and
 *   repetitive or sequential ones ("aaaaaaaaaaaa", "abcabcabcabc", "123456789012").
 *
 * Pure: the list lookup is passed in (the server holds the list; the browser never downloads it).
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Why a password is refused; stable codes, translated in the UI (validation.password.<code>). */
export type PasswordProblem =
	| 'too_short'
	| 'too_long'
	| 'common'
	| 'contains_login_id'
	| 'is_display_name'
	| 'repetitive'
	| 'sequential';

export interface PasswordContext {
	/** the account's login id; the password may not contain it */
	loginId?: string | null;
	/** the account's display name; the password may not be it */
	displayName?: string | null;
	/** whether a (lower-cased, normalized) string is on the common-password list */
	isCommon: (candidate: string) => boolean;
}

/** The form a password is hashed and measured in: NIST asks for NFKC or NFKD before hashing. */
export function normalizePassword(password: string): string {
	return password.normalize('NFKC');
}

/** Length in characters (Unicode code points), not UTF-16 units. */
export function passwordLength(password: string): number {
	return [...normalizePassword(password)].length;
}

/** The first problem with a new password, or null when it may be used. */
export function passwordProblem(password: string, ctx: PasswordContext): PasswordProblem | null {
	const normalized = normalizePassword(password);
	const length = [...normalized].length;
	if (length < PASSWORD_MIN_LENGTH) return 'too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'too_long';

	const folded = normalized.toLowerCase();
	const compact = folded.replace(/\s+/gu, '');
	if (ctx.isCommon(folded) || ctx.isCommon(compact)) return 'common';
	// "password2026!", "dragon123456": a listed password with digits or symbols added at the end
	const stem = compact.replace(/[\d\p{P}\p{S}]+$/u, '');
	if (stem !== compact && stem.length >= 4 && ctx.isCommon(stem)) return 'common';

	const loginId = ctx.loginId?.normalize('NFKC').toLowerCase().trim();
	if (loginId && loginId.length >= 2 && compact.includes(loginId)) return 'contains_login_id';
	const name = ctx.displayName?.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
	if (name && name.length >= 2 && compact === name) return 'is_display_name';

	if (isRepetitive(compact)) return 'repetitive';
	if (isSequential(compact)) return 'sequential';
	return null;
}

/** One short unit (up to 4 characters) repeated: "aaaa…", "abab…", "1234 1234 1234". */
function isRepetitive(s: string): boolean {
	const cps = [...s];
	for (let unit = 1; unit <= 4; unit++) {
		if (cps.length < unit * 3) break;
		let same = true;
		for (let i = unit; i < cps.length && same; i++) same = cps[i] === cps[i - unit];
		if (same) return true;
	}
	return false;
}

/** Every character one step up (or down) from the last: "abcdefghijkl", "987654321098" (digits wrap 9→0). */
function isSequential(s: string): boolean {
	const cps = [...s].map((c) => c.codePointAt(0)!);
	if (cps.length < 3) return false;
	const step = (a: number, b: number): number => {
		const isDigit = (x: number) => x >= 48 && x <= 57;
		if (isDigit(a) && isDigit(b)) {
			const d = (b - a + 10) % 10;
			return d === 1 ? 1 : d === 9 ? -1 : 0;
		}
		return b - a === 1 ? 1 : b - a === -1 ? -1 : 0;
	};
	const first = step(cps[0], cps[1]);
	if (first === 0) return false;
	for (let i = 2; i < cps.length; i++) if (step(cps[i - 1], cps[i]) !== first) return false;
	return true;
}
