/**
 * Users (people who sign in): their boundary schemas and SQL. Creation is an administrator's job
 * (users/admin.ts), the demo's and the tests'; every new or changed password passes the password rule
 * (src/lib/domain/password-policy.ts). Validation messages are stable codes (validation.<code> in the UI).
 */
import { z } from 'zod';
import type { Db } from '../db.ts';
import { roles, type Role } from '../../domain/roles.ts';
import { passwordProblem } from '../../domain/password-policy.ts';
import { isCommonPassword } from '../auth/common-passwords.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DomainError, invalidInput } from '../errors.ts';

export const loginIdSchema = z.string({ error: 'required' }).trim().min(1, 'required').regex(/^[A-Za-z0-9._-]{2,64}$/, 'login_id_format');
export const displayNameSchema = z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long');
export const roleSchema = z.enum(roles, { error: 'invalid_role' });
/** The bound before the rule: the rule itself counts characters (passwordProblem). */
export const passwordSchema = z.string({ error: 'required' }).min(1, 'required').max(1024, 'too_long');

/** Adds the password rule's problem, if any, as an issue on `path` (the message is the rule's code). */
export function checkPasswordRule(
	password: string,
	who: { loginId?: string | null; displayName?: string | null },
	ctx: z.RefinementCtx,
	path: string
): void {
	const problem = passwordProblem(password, { ...who, isCommon: isCommonPassword });
	if (problem) ctx.addIssue({ code: 'custom', path: [path], message: problem });
}

export const newUserInput = z
	.object({
		loginId: loginIdSchema,
		displayName: displayNameSchema,
		role: roleSchema,
		password: passwordSchema,
		locale: z.enum(['ja', 'en'], { error: 'invalid_locale' }).default('ja')
	})
	.superRefine((u, ctx) => checkPasswordRule(u.password, u, ctx, 'password'));

/**
 * Insert a user (in the caller's transaction). A login id already taken, in any letter case, is refused as
 * invalid_input on loginId ('taken').
 */
export async function createUser(tx: Db, raw: z.input<typeof newUserInput>): Promise<{ id: number; loginId: string; role: Role }> {
	const parsed = newUserInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const u = parsed.data;
	const [taken] = await tx`select 1 from users where lower(login_id) = lower(${u.loginId})`;
	if (taken) throw loginIdTaken();
	const passwordHash = await hashPassword(u.password);
	try {
		const [row] = await tx<{ id: number }[]>`
			insert into users (login_id, display_name, role, password_hash, locale, password_changed_at)
			values (${u.loginId}, ${u.displayName}, ${u.role}, ${passwordHash}, ${u.locale}, now())
			returning id`;
		return { id: row.id, loginId: u.loginId, role: u.role };
	} catch (e) {
		if ((e as { code?: string }).code === '23505') throw loginIdTaken();
		throw e;
	}
}

function loginIdTaken(): DomainError {
	return invalidInput([{ path: ['loginId'], message: 'taken' }]);
}

export interface UserListRow {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	/** 班: the team an operator is in, for the reports per team (null: none) */
	team: string | null;
	disabledAt: Date | null;
	createdAt: Date;
	passwordChangedAt: Date | null;
	/** live sessions (not expired, not idle) */
	sessions: number;
	lastSeenAt: Date | null;
}

export async function listUsers(db: Db, idleSeconds = 1e9): Promise<UserListRow[]> {
	return db<UserListRow[]>`
		select u.id, u.login_id, u.display_name, u.role, u.team, u.disabled_at, u.created_at, u.password_changed_at,
		       count(s.id)::int as sessions, max(s.last_seen_at) as last_seen_at
		from users u
		left join sessions s on s.user_id = u.id and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
		group by u.id
		order by u.role, u.login_id`;
}

export async function getUser(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<Omit<UserListRow, 'sessions' | 'lastSeenAt'> | undefined> {
	const [u] = await db<Omit<UserListRow, 'sessions' | 'lastSeenAt'>[]>`
		select id, login_id, display_name, role, team, disabled_at, created_at, password_changed_at from users where id = ${id}
		${opts.forUpdate ? db`for update` : db``}`;
	return u;
}

/** The teams (班) set on users now, as stored (rows saved before normalization may differ only in width). */
export async function teamNames(db: Db): Promise<string[]> {
	const rows = await db<{ team: string }[]>`select distinct team from users where team is not null`;
	return rows.map((r) => r.team);
}

export async function setUserTeam(db: Db, id: number, team: string | null): Promise<void> {
	await db`update users set team = ${team} where id = ${id}`;
}

export async function setUserRole(db: Db, id: number, role: Role): Promise<void> {
	await db`update users set role = ${role} where id = ${id}`;
}

export async function setUserDisabled(db: Db, id: number, disabled: boolean): Promise<void> {
	await db`update users set disabled_at = case when ${disabled}::boolean then coalesce(disabled_at, now()) end where id = ${id}`;
}
