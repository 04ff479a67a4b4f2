/** The admin page's lists: import history and quarantined rows. Policy: imports.run. */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { id } from '../validation.ts';
import * as q from './imports.queries.ts';

export async function importHistory(actor: Actor) {
	requirePermission(actor, 'imports.run');
	return q.listImports(db());
}

export async function quarantine(actor: Actor) {
	requirePermission(actor, 'imports.run');
	return q.listQuarantine(db());
}

/** Dismiss a quarantined row (it was fixed at the source, or is not wanted); kept for the record. */
export async function dismissQuarantined(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'imports.run');
	const parsed = z.object({ rejectionId: id }).safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	if (!(await q.dismissRejection(db(), parsed.data.rejectionId, actor.id > 0 ? actor.id : null))) throw new DomainError('not_found', 'no such quarantined row');
}
