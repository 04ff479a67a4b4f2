/**
 * Password hashing: argon2id with OWASP's minimum parameters (m=19 MiB, t=2, p=1). Passwords are hashed in their
 * NFKC form (NIST SP 800-63B asks for normalization), so a full-width ＡＢＣ typed with the IME matches ABC.
 */
import { hash, verify } from '@node-rs/argon2';
import { normalizePassword } from '../../domain/password-policy.ts';

const params = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(normalizePassword(password), params);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		const normalized = normalizePassword(password);
		if (await verify(passwordHash, normalized)) return true;
		// a hash written before normalization (only differs for non-NFKC input)
		return normalized !== password && (await verify(passwordHash, password));
	} catch {
		return false;
	}
}

// Verified against when the login id is unknown, so that a wrong id and a wrong password take the same time.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
	dummy ??= hashPassword('kansho-no-such-user');
	return dummy;
}
