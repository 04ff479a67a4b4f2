/**
 * The browser's side of the security-key ceremonies (@simplewebauthn/browser, bundled: no inline script, so it
 * runs under the strict Content-Security-Policy; the Permissions-Policy allows publickey-credentials-get/create
 * for this origin). Each call asks the key, posts the answer as JSON to our own endpoint, and says what happened
 * as a code the page shows in the user's language (security-keys.errors.<code> or errors.<code>).
 */
import {
	browserSupportsWebAuthn,
	startAuthentication,
	startRegistration,
	WebAuthnError,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON
} from '@simplewebauthn/browser';

export type CeremonyResult<T> =
	| { ok: true; body: T }
	| { ok: false; code: string; retryAfter?: number | null; server: boolean; details?: Record<string, string> | null };

/** Why the browser or the key did not answer, as a message code. */
function browserCode(e: unknown): string {
	if (e instanceof WebAuthnError) {
		if (e.code === 'ERROR_CEREMONY_ABORTED') return 'cancelled';
		if (e.code === 'ERROR_INVALID_DOMAIN' || e.code === 'ERROR_INVALID_RP_ID') return 'insecure_address';
		if (e.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return 'already_registered_here';
	}
	const name = (e as { name?: string } | null)?.name;
	// NotAllowedError: the user cancelled, the prompt timed out, or no registered key was presented
	if (name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
	if (name === 'SecurityError') return 'insecure_address';
	if (name === 'InvalidStateError') return 'already_registered_here';
	return 'browser_error';
}

async function post<T>(path: string, body: unknown): Promise<CeremonyResult<T>> {
	let r: Response;
	try {
		r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
	} catch {
		return { ok: false, code: 'network', server: false };
	}
	const data = (await r.json().catch(() => ({}))) as { code?: string; retryAfterSeconds?: number; details?: Record<string, string> } & T;
	if (!r.ok) return { ok: false, code: data.code ?? 'internal', retryAfter: data.retryAfterSeconds ?? null, server: true, details: data.details ?? null };
	return { ok: true, body: data };
}

/** Why keys cannot be used on this page at all, or null. */
function unusable(): string | null {
	// browsers offer WebAuthn only to secure contexts: https, or http://localhost (not a bare IP over http)
	if (!window.isSecureContext) return 'insecure_address';
	return browserSupportsWebAuthn() ? null : 'unsupported';
}

/** Ask the key to sign (navigator.credentials.get) and post the answer to `path` with `extra`. */
export async function signWithKey<T>(options: PublicKeyCredentialRequestOptionsJSON, path: string, extra: Record<string, unknown> = {}): Promise<CeremonyResult<T>> {
	const cannot = unusable();
	if (cannot) return { ok: false, code: cannot, server: false };
	let response;
	try {
		response = await startAuthentication({ optionsJSON: options });
	} catch (e) {
		return { ok: false, code: browserCode(e), server: false };
	}
	return post<T>(path, { ...extra, response });
}

/** Register a key (navigator.credentials.create) and post it to `path` with its name. */
export async function registerKey<T>(options: PublicKeyCredentialCreationOptionsJSON, path: string, name: string): Promise<CeremonyResult<T>> {
	const cannot = unusable();
	if (cannot) return { ok: false, code: cannot, server: false };
	let response;
	try {
		response = await startRegistration({ optionsJSON: options });
	} catch (e) {
		return { ok: false, code: browserCode(e), server: false };
	}
	return post<T>(path, { name, response });
}

/**
 * Fetch registration options for a signed-in user (POST /account/keys/options, with the current password as
 * the fresh proof the server asks for), then register.
 */
export async function registerAnotherKey<T>(name: string, password: string): Promise<CeremonyResult<T>> {
	const cannot = unusable();
	if (cannot) return { ok: false, code: cannot, server: false };
	const options = await post<PublicKeyCredentialCreationOptionsJSON>('/account/keys/options', { password });
	if (!options.ok) return options;
	return registerKey<T>(options.body, '/account/keys', name);
}
