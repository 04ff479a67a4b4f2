/**
 * The boundary: what a browser may send back from navigator.credentials.create/get (the JSON form that
 * @simplewebauthn/browser produces). Everything is checked here before any of it reaches the database or the
 * verifier; a malformed response is invalid_input (400) naming the field, and changes nothing.
 */
import { z } from 'zod';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { KEY_NAME_MAX } from '../../domain/security-keys.ts';

/** base64url without padding, bounded (a whole response is a few kilobytes) */
const b64url = (max: number) =>
	z
		.string({ error: 'required' })
		.min(1, 'required')
		.max(max, 'too_long')
		.regex(/^[A-Za-z0-9_-]+$/, 'not_base64url');

const credentialId = b64url(1366);
const transports = z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'], { error: 'invalid' })).max(8, 'too_long');
const extensions = z.record(z.string(), z.unknown()).default({});

export const authenticationResponseSchema = z
	.object({
		id: credentialId,
		rawId: credentialId,
		type: z.literal('public-key', { error: 'invalid' }),
		response: z.object({
			clientDataJSON: b64url(4096),
			authenticatorData: b64url(4096),
			signature: b64url(1024),
			userHandle: b64url(128).optional()
		}),
		authenticatorAttachment: z.enum(['platform', 'cross-platform'], { error: 'invalid' }).optional(),
		clientExtensionResults: extensions
	})
	.refine((r) => r.id === r.rawId, { path: ['rawId'], message: 'mismatch' });

export const registrationResponseSchema = z
	.object({
		id: credentialId,
		rawId: credentialId,
		type: z.literal('public-key', { error: 'invalid' }),
		response: z.object({
			clientDataJSON: b64url(4096),
			attestationObject: b64url(16_384),
			authenticatorData: b64url(4096).optional(),
			transports: transports.optional(),
			publicKeyAlgorithm: z.number().int().optional(),
			publicKey: b64url(2048).optional()
		}),
		authenticatorAttachment: z.enum(['platform', 'cross-platform'], { error: 'invalid' }).optional(),
		clientExtensionResults: extensions
	})
	.refine((r) => r.id === r.rawId, { path: ['rawId'], message: 'mismatch' });

/** A key's name as the user types it: trimmed, 1–40 characters, no control characters. */
export const keyNameSchema = z
	.string({ error: 'required' })
	.trim()
	.min(1, 'required')
	.max(KEY_NAME_MAX, 'too_long')
	.regex(/^[^\p{Cc}]*$/u, 'invalid');

/** The sign-in key step: the assertion and where to go afterwards. */
export const keyStepInput = z.object({
	response: authenticationResponseSchema,
	next: z.string().max(2000).optional()
});

/** Registering a key (from /account, or the enrolment step of sign-in). */
export const registerInput = z.object({
	name: keyNameSchema,
	response: registrationResponseSchema
});

/** What the browser says it signed (clientDataJSON): only the challenge is read before verification. */
const clientDataSchema = z.object({ type: z.string().max(40), challenge: b64url(512), origin: z.string().max(400) });

/**
 * The challenge a response answers, read from its clientDataJSON (to find the challenge row it belongs to);
 * null when clientDataJSON is not a JSON object with one.
 */
export function challengeOf(clientDataJSON: string): string | null {
	try {
		const parsed = clientDataSchema.safeParse(JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')));
		return parsed.success ? parsed.data.challenge : null;
	} catch {
		return null;
	}
}

export type ParsedAuthentication = z.infer<typeof authenticationResponseSchema>;
export type ParsedRegistration = z.infer<typeof registrationResponseSchema>;

/** The library's types (the checked shapes are the same; zod's output types extensions loosely). */
export const asAuthenticationJSON = (r: ParsedAuthentication) => r as unknown as AuthenticationResponseJSON;
export const asRegistrationJSON = (r: ParsedRegistration) => r as unknown as RegistrationResponseJSON;
