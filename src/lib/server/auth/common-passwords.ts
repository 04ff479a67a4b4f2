/**
 * The list of common passwords that new passwords are checked against (NIST SP 800-63B: "passwords obtained
 * from previous breach corpora" and "dictionary words").
 *
 * Source: the `passwords-common` dictionary of the npm package @zxcvbn-ts/language-common 4.1.3 (MIT licence,
 * https://github.com/zxcvbn-ts/zxcvbn): about 49,000 passwords, ranked by how often they occur in public
 * password-leak corpora, maintained by the zxcvbn-ts project. Updating the package updates the list.
 * Server-only: the browser never downloads it.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

let list: Set<string> | undefined;

/** Whether a (lower-cased) password is on the list. The set is built on first use (~50 ms), then kept. */
export function isCommonPassword(candidate: string): boolean {
	list ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
	return list.has(candidate.toLowerCase());
}

/** How many passwords the list holds (for the docs and the tests). */
export function commonPasswordCount(): number {
	isCommonPassword('');
	return list!.size;
}
