/** Password hashing: argon2id with OWASP's minimum parameters (m=19 MiB, t=2, p=1). */
import { hash, verify } from '@node-rs/argon2';

const params = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, params);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
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
