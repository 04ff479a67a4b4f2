import type { Role } from '../../domain/roles.ts';
import { can, type Permission } from '../../domain/roles.ts';
import { DomainError } from '../errors.ts';

/** Who is acting, as the session says; every use case takes one first. */
export interface Actor {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	locale: 'ja' | 'en';
	/** for the access log */
	ip?: string | null;
	requestId?: string | null;
}

/** Policy first: every use case begins here. */
export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
	if (!actor) throw new DomainError('unauthenticated', 'sign in first');
	if (!can(actor.role, permission)) throw new DomainError('forbidden', `role ${actor.role} may not ${permission}`);
}

/**
 * The command line acts with the administrator's permissions (whoever runs it already holds the database's
 * credentials); it is recorded under its OS user, with no kansho user id.
 */
export function systemActor(name: string): Actor {
	return { id: 0, loginId: name, displayName: name, role: 'admin', locale: 'ja' };
}
