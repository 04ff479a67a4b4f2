import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { invalidInput } from '../errors.ts';
import { listAccessLog } from './audit.ts';
import { id } from '../validation.ts';

const filter = z.object({ before: id.nullish() });

/** The access log, newest first, 100 rows a page. Policy: audit.view. */
export async function readAccessLog(actor: Actor, raw: { before?: string | null }) {
	requirePermission(actor, 'audit.view');
	const parsed = filter.safeParse({ before: raw.before || null });
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	return listAccessLog(db(), { limit: 100, beforeId: parsed.data.before ?? null });
}
