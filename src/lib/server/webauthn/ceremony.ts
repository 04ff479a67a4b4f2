/**
 * The WebAuthn ceremonies with @simplewebauthn/server, as kansho uses them: USB security keys as a second factor
 * after the password. Options: no discoverable credential (the ID and password say who it is; keys have few
 * slots), cross-platform authenticators (the USB key), attestation 'none' (kansho does not restrict key models),
 * user verification WEBAUTHN_USER_VERIFICATION (default 'discouraged': a touch of the key is enough, the password
 * is the knowledge factor; 'required' asks for the key's PIN and refuses a key that did not check it).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON
} from '@simplewebauthn/server';
import { loadConfig } from '../config.ts';
import type { Db } from '../db.ts';
import type { RelyingParty } from './rp.ts';
import * as q from './webauthn.queries.ts';
import { asAuthenticationJSON, asRegistrationJSON, type ParsedAuthentication, type ParsedRegistration } from './schemas.ts';

export type RequestOptions = PublicKeyCredentialRequestOptionsJSON;
export type CreationOptions = PublicKeyCredentialCreationOptionsJSON;

/** ES256 and RS256 (what USB keys and Windows Hello offer); EdDSA too. */
const ALGORITHMS = [-8, -7, -257];

function timeoutSeconds(): number {
	return loadConfig().WEBAUTHN_TIMEOUT_SECONDS;
}

/** A random token for the browser and the id it is kept under (its SHA-256: the table alone replays nothing). */
export function newStepToken(): { token: string; id: string } {
	const token = randomBytes(32).toString('base64url');
	return { token, id: stepIdFor(token) };
}

export function stepIdFor(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** The options for navigator.credentials.get with the user's keys for this site, and the challenge stored. */
export async function authenticationOptions(
	db: Db,
	user: { id: number },
	rp: RelyingParty,
	store: { id: string; purpose: 'login'; sessionId: null }
): Promise<RequestOptions> {
	const keys = await q.keysForRp(db, user.id, rp.id);
	const options = await generateAuthenticationOptions({
		rpID: rp.id,
		allowCredentials: keys.map((k) => ({ id: k.credentialId, transports: k.transports as never })),
		userVerification: loadConfig().WEBAUTHN_USER_VERIFICATION,
		timeout: timeoutSeconds() * 1000
	});
	await q.insertChallenge(db, { ...store, userId: user.id, challenge: options.challenge, rpId: rp.id, origin: rp.origin, ttlSeconds: timeoutSeconds() });
	return options;
}

/** The options for navigator.credentials.create (a new key for this user), and the challenge stored. */
export async function registrationOptions(
	db: Db,
	user: { id: number; loginId: string; displayName: string },
	rp: RelyingParty,
	store: { id: string; purpose: 'enrol' | 'register'; sessionId: string | null }
): Promise<CreationOptions> {
	const existing = await q.credentialIds(db, user.id);
	const options = await generateRegistrationOptions({
		rpName: rp.name,
		rpID: rp.id,
		userName: user.loginId,
		userDisplayName: user.displayName,
		// the user handle: kansho's user id, no personal data
		userID: new TextEncoder().encode(`kansho-user-${user.id}`),
		timeout: timeoutSeconds() * 1000,
		attestationType: 'none',
		excludeCredentials: existing.map((k) => ({ id: k.credentialId, transports: k.transports })),
		authenticatorSelection: {
			residentKey: 'discouraged',
			requireResidentKey: false,
			userVerification: loadConfig().WEBAUTHN_USER_VERIFICATION,
			authenticatorAttachment: 'cross-platform'
		},
		preferredAuthenticatorType: 'securityKey',
		supportedAlgorithmIDs: ALGORITHMS
	});
	await q.insertChallenge(db, { ...store, userId: user.id, challenge: options.challenge, rpId: rp.id, origin: rp.origin, ttlSeconds: timeoutSeconds() });
	return options;
}

/** Why a response did not verify (for the access log: the library's words, bounded). */
export class CeremonyRefused extends Error {}

/**
 * Check an assertion against the stored challenge, this site and the stored key (signature, user presence, the
 * counter moving forward). Returns the new counter; throws CeremonyRefused saying why.
 */
export async function checkAssertion(
	response: ParsedAuthentication,
	challenge: string,
	rp: RelyingParty,
	key: q.CredentialRow
): Promise<{ newCounter: number; backedUp: boolean }> {
	try {
		const r = await verifyAuthenticationResponse({
			response: asAuthenticationJSON(response),
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			credential: { id: key.credentialId, publicKey: new Uint8Array(key.publicKey), counter: key.counter, transports: key.transports as never },
			requireUserVerification: loadConfig().WEBAUTHN_USER_VERIFICATION === 'required'
		});
		if (!r.verified) throw new CeremonyRefused('the signature did not verify');
		return { newCounter: r.authenticationInfo.newCounter, backedUp: r.authenticationInfo.credentialBackedUp };
	} catch (e) {
		throw e instanceof CeremonyRefused ? e : new CeremonyRefused(String((e as Error)?.message ?? e).slice(0, 300));
	}
}

export interface NewKey {
	credentialId: string;
	publicKey: Uint8Array;
	counter: number;
	transports: string[];
	aaguid: string;
	deviceType: 'singleDevice' | 'multiDevice';
	backedUp: boolean;
}

/** Check a registration against the stored challenge and this site; the new key, or CeremonyRefused. */
export async function checkRegistration(response: ParsedRegistration, challenge: string, rp: RelyingParty): Promise<NewKey> {
	try {
		const r = await verifyRegistrationResponse({
			response: asRegistrationJSON(response),
			expectedChallenge: challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: loadConfig().WEBAUTHN_USER_VERIFICATION === 'required',
			supportedAlgorithmIDs: ALGORITHMS
		});
		if (!r.verified) throw new CeremonyRefused('the registration did not verify');
		const info = r.registrationInfo;
		return {
			credentialId: info.credential.id,
			publicKey: info.credential.publicKey,
			counter: info.credential.counter,
			transports: response.response.transports ?? [],
			aaguid: info.aaguid,
			deviceType: info.credentialDeviceType,
			backedUp: info.credentialBackedUp
		};
	} catch (e) {
		throw e instanceof CeremonyRefused ? e : new CeremonyRefused(String((e as Error)?.message ?? e).slice(0, 300));
	}
}
