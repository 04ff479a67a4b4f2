import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { listUsers } from './users.ts';

export async function listUsersFor(actor: Actor) {
	requirePermission(actor, 'users.view');
	return listUsers(db());
}
