/**
 * Re-checking the signed-in user's password before something that needs a fresh proof (changing the password,
 * registering another security key, erasing all personal data): counted like a sign-in attempt (the same
 * lockout, count first: see throttle.ts), so a stolen session cannot be used to guess the password faster.
 */
import { db } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import type { Actor } from './actor.ts';
import { verifyPassword } from './passwords.ts';
import { SignInThrottled } from './sessions.ts';
import { countSignInAttempt } from './throttle.ts';
import * as q from './sessions.queries.ts';

/**
 * Check `password` against the actor's own. Throws locked / rate_limited (SignInThrottled), unauthenticated (the
 * account is gone or disabled), or invalid_input on `field` ('wrong_password'); a wrong password counts towards
 * the lockout and is logged as login.failed with `why` (never the password).
 */
export async function recheckPassword(actor: Actor, password: string, opts: { field: string; why: string }): Promise<void> {
	const verdict = await countSignInAttempt(actor.loginId, actor.ip ?? null);
	if (!verdict.allowed) throw new SignInThrottled(verdict.code, verdict.retryAfterSeconds);
	const user = await q.findUserById(db(), actor.id);
	if (!user || user.disabledAt) {
		await verdict.attempt.succeeded();
		throw new DomainError('unauthenticated', 'sign in first');
	}
	if (!(await verifyPassword(user.passwordHash, password))) {
		await writeAccessLog(db(), actor, { action: 'login.failed', reason: `${opts.why}; login id: ${actor.loginId}` });
		if (verdict.attempt.lockIfFailed > 0) throw new SignInThrottled('locked', verdict.attempt.lockIfFailed);
		throw invalidInput([{ path: [opts.field], message: 'wrong_password' }]);
	}
	await verdict.attempt.succeeded();
}
