/** Users (people who sign in). Creation is an administrator's or the CLI's job. */
import { z } from 'zod';
import type { Db } from '../db.ts';
import { roles } from '../../domain/roles.ts';
import { hashPassword } from '../auth/passwords.ts';
import { invalidInput } from '../errors.ts';

export const newUserInput = z.object({
	loginId: z.string().regex(/^[A-Za-z0-9._-]{2,64}$/, '2–64 letters, digits, . _ -'),
	displayName: z.string().trim().min(1).max(100),
	role: z.enum(roles),
	password: z.string().min(10, 'at least 10 characters').max(256),
	locale: z.enum(['ja', 'en']).default('ja')
});

export async function createUser(tx: Db, raw: z.input<typeof newUserInput>): Promise<{ id: number }> {
	const parsed = newUserInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const u = parsed.data;
	const [row] = await tx<{ id: number }[]>`
		insert into users (login_id, display_name, role, password_hash, locale)
		values (${u.loginId}, ${u.displayName}, ${u.role}, ${await hashPassword(u.password)}, ${u.locale})
		returning id`;
	return row;
}

export async function listUsers(db: Db) {
	return db<{ id: number; loginId: string; displayName: string; role: string; disabledAt: Date | null; createdAt: Date }[]>`
		select id, login_id, display_name, role, disabled_at, created_at from users order by role, login_id`;
}
