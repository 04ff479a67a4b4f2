/**
 * Domain errors carry a stable code. Routes map them to HTTP statuses, socket handlers to `{ ok: false, code }`,
 * and the UI shows the message for the code in the user's language (src/lib/i18n).
 */
export const errorStatus = {
	unauthenticated: 401,
	forbidden: 403,
	not_found: 404,
	invalid_input: 400,
	claim_not_held: 409,
	already_claimed: 409,
	queue_empty: 404,
	/** 次の世帯 outside the calling window of the calling rules; details.opensAt says when calls resume (ISO, or empty) */
	outside_window: 409,
	conflict: 409,
	/** a staff handoff changed since the page showed it (another staff member took, assigned or closed it); details say how it is now */
	handoff_changed: 409,
	invalid_credentials: 401,
	/** sign-in refused for a while after repeated failures (lockout with backoff) */
	locked: 429,
	/** too many sign-in attempts from one address */
	rate_limited: 429,
	/** an administrator may not disable their own account or change their own role */
	own_account: 409,
	/** the security-key step of sign-in is unknown, used already (a replay) or expired: sign in again */
	key_step_expired: 401,
	/** the security key's answer did not verify (wrong key, wrong site, counter gone back, …) */
	key_rejected: 401,
	/** a security key is required, none is registered and there is no registration allowance: ask an administrator */
	key_not_registered: 403,
	/** the last security key may not be removed while a key is required */
	key_last_required: 409,
	/** this security key is registered already */
	key_already_registered: 409,
	/** an operator without the personal-information protection training recorded: no real household data (issue #9) */
	training_required: 403,
	/** the desk was opened on the other data set (training or real) than the session works now (issue #9): reload */
	mode_changed: 409,
	/** attendance or completion recorded for a training session that has not started yet (issue #9) */
	session_not_started: 409,
	/** a letter batch refused while the letter template still holds the installed placeholders (〇〇区役所, 03-0000-0000); details name the template fields */
	letter_placeholders: 409,
	/** a dry run that can no longer be applied (details.importId says why: applied, newer_import, files_gone, not_yours, not_uploaded) */
	dry_run_stale: 409,
	internal: 500
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError extends Error {
	constructor(
		public readonly code: ErrorCode,
		message?: string,
		/** field-level problems for invalid_input: path → message, or a stable code (the outcome's fields) */
		public readonly details?: Record<string, string>,
		/** what each field's code needs for its message (path → { opensAt, days, owed … }); only where a code does */
		public readonly params?: Record<string, Record<string, string | number>>
	) {
		super(message ?? code);
		this.name = 'DomainError';
	}
	get status(): number {
		return errorStatus[this.code];
	}
	toJSON() {
		return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}), ...(this.params ? { params: this.params } : {}) };
	}
}

export function isDomainError(e: unknown): e is DomainError {
	return e instanceof DomainError;
}

/** Turn a zod error into an invalid_input DomainError that names each bad field. */
export function invalidInput(issues: { path: PropertyKey[]; message: string }[]): DomainError {
	const details: Record<string, string> = {};
	// the first problem of each field is the one to fix first (e.g. 'required' before a format)
	for (const i of issues) details[i.path.map(String).join('.') || '(input)'] ??= i.message;
	return new DomainError(
		'invalid_input',
		Object.entries(details)
			.map(([k, v]) => `${k}: ${v}`)
			.join('; '),
		details
	);
}

/**
 * An invalid_input refusal of field problems (src/lib/domain/field-problem.ts): `details` maps each field to its
 * stable code, `params` carries the values those codes' messages name, and the message is the English text.
 */
export function fieldProblems(problems: Record<string, { code: string; params?: Record<string, string | number>; text: string }>): DomainError {
	const details: Record<string, string> = {};
	const params: Record<string, Record<string, string | number>> = {};
	for (const [field, p] of Object.entries(problems)) {
		details[field] = p.code;
		if (p.params) params[field] = p.params;
	}
	return new DomainError(
		'invalid_input',
		Object.entries(problems)
			.map(([k, p]) => `${k}: ${p.text}`)
			.join('; '),
		details,
		Object.keys(params).length ? params : undefined
	);
}
