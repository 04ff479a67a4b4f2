import { createHash } from 'node:crypto';
import type { Role } from '../../domain/roles.ts';
import { can, needsPrivacyTraining, type Permission } from '../../domain/roles.ts';
import { DomainError } from '../errors.ts';
import { dataMode } from '../mode.ts';

/** Who is acting, as the session says; every use case takes one first. */
export interface Actor {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	locale: 'ja' | 'en';
	/**
	 * The personal-information protection training is recorded (read with the session; issue #9). Operators without
	 * it are refused real households' data (requirePermission); absent counts as not recorded.
	 */
	privacyTrained?: boolean;
	/**
	 * The open training run this session works in (issue #9): its desk requests run against the training data set
	 * (src/lib/server/mode.ts). Null or absent: real data.
	 */
	trainingRunId?: number | null;
	/** for the access log */
	ip?: string | null;
	requestId?: string | null;
}

/** Policy first: every use case begins here. */
export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
	if (!actor) throw new DomainError('unauthenticated', 'sign in first');
	if (!can(actor.role, permission)) throw new DomainError('forbidden', `role ${actor.role} may not ${permission}`);
	// real data at the desk: only after the personal-information protection training is recorded (issue #9); the
	// training data set is synthetic, and practising on it is what comes before
	if (needsPrivacyTraining(actor.role, permission) && actor.privacyTrained !== true && dataMode() !== 'training')
		throw new DomainError('training_required', 'the personal-information protection training (個人情報保護研修) is not recorded for you yet: ask your supervisor');
}

/**
 * The command line acts with the administrator's permissions (whoever runs it already holds the database's
 * credentials); it is recorded under its OS user, with no kansho user id.
 */
export function systemActor(name: string): Actor {
	return { id: 0, loginId: name, displayName: name, role: 'admin', locale: 'ja' };
}

/** The signed-in actor with the session the request came with. */
export type SessionActor = Actor & { sessionId: string };

/** For one's own account and keys: any signed-in user. */
export function requireSignedIn(actor: SessionActor | null | undefined): asserts actor is SessionActor {
	if (!actor) throw new DomainError('unauthenticated', 'sign in first');
}

/**
 * The access log's actor for a sign-in attempt (password or key step): the account when it exists, else nobody
 * (user and role null) with the login id as typed.
 */
export function attemptActor(
	user: { id: number; loginId: string; displayName?: string; role: Role | null; locale?: 'ja' | 'en' } | null | undefined,
	loginId: string,
	meta: { ip?: string | null; requestId?: string | null }
): Actor {
	return {
		id: user?.id ?? 0,
		loginId: user?.loginId ?? loginId,
		displayName: user?.displayName ?? '',
		// the access log records no role for an id that does not exist
		role: (user?.role ?? null) as Role,
		locale: user?.locale ?? 'ja',
		ip: meta.ip ?? null,
		requestId: meta.requestId ?? null
	};
}

/** A login id's shape (the users table's check). */
export const LOGIN_ID_PATTERN = /^[A-Za-z0-9._-]{2,64}$/;

/**
 * What the access log may say about a login id someone typed: the id when it has a login id's shape; otherwise
 * only a marker with a short hash (people type their password into the id field, and the log is never erased).
 * The hash lets an auditor see that attempts repeat, not what was typed.
 */
export function loggableLoginId(typed: string): string {
	if (LOGIN_ID_PATTERN.test(typed)) return typed;
	return `(invalid id, sha256:${createHash('sha256').update(typed).digest('hex').slice(0, 12)})`;
}
