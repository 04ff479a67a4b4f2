import { describe, expect, it } from 'vitest';
import { authenticationResponseSchema, challengeOf, keyNameSchema, registrationResponseSchema } from './schemas.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const id = b64('a credential id of 32 bytes......');
const assertion = {
	id,
	rawId: id,
	type: 'public-key',
	response: { clientDataJSON: b64('{}'), authenticatorData: b64('data'), signature: b64('sig') },
	clientExtensionResults: {}
};

describe('what a browser may send back', () => {
	it('takes an assertion as @simplewebauthn/browser gives it', () => {
		expect(authenticationResponseSchema.safeParse(assertion).success).toBe(true);
		expect(authenticationResponseSchema.safeParse({ ...assertion, clientExtensionResults: undefined }).success).toBe(true);
	});

	it('refuses what is not one, naming the field', () => {
		const problems = (x: unknown) => authenticationResponseSchema.safeParse(x).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		expect(problems({ ...assertion, id: 'a+b/c=' })).toContain('id: not_base64url');
		expect(problems({ ...assertion, rawId: b64('other') })).toEqual(['rawId: mismatch']);
		expect(problems({ ...assertion, type: 'password' })).toEqual(['type: invalid']);
		expect(problems({ ...assertion, response: { ...assertion.response, signature: 'A'.repeat(1025) } })).toEqual(['response.signature: too_long']);
		expect(problems({ ...assertion, response: { clientDataJSON: b64('{}') } })).toEqual(['response.authenticatorData: required', 'response.signature: required']);
		expect(authenticationResponseSchema.safeParse(null).success).toBe(false);
	});

	it('takes a registration with known transports only', () => {
		const reg = { id, rawId: id, type: 'public-key', response: { clientDataJSON: b64('{}'), attestationObject: b64('att'), transports: ['usb'] }, clientExtensionResults: {} };
		expect(registrationResponseSchema.safeParse(reg).success).toBe(true);
		expect(registrationResponseSchema.safeParse({ ...reg, response: { ...reg.response, transports: ['pigeon'] } }).success).toBe(false);
	});

	it('reads the challenge a response answers, or nothing', () => {
		expect(challengeOf(b64(JSON.stringify({ type: 'webauthn.create', challenge: 'abc_-1', origin: 'http://localhost' })))).toBe('abc_-1');
		expect(challengeOf(b64('not json'))).toBeNull();
		expect(challengeOf(b64(JSON.stringify({ type: 'webauthn.create', challenge: 'a b', origin: 'x' })))).toBeNull();
		expect(challengeOf(b64('[]'))).toBeNull();
	});

	it('key names: trimmed, 1–40 characters, no control characters', () => {
		expect(keyNameSchema.parse('  青いキー ')).toBe('青いキー');
		expect(keyNameSchema.safeParse('').success).toBe(false);
		expect(keyNameSchema.safeParse('x'.repeat(41)).success).toBe(false);
		expect(keyNameSchema.safeParse('a\u0000b').success).toBe(false);
		expect(keyNameSchema.safeParse('予備（机の中）').success).toBe(true);
	});
});
