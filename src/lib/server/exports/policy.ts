/**
 * Who may export personal data (issue #4 item 6, "no copying for operators"). Two layers, both checked in the use
 * case: the role must hold the exports.run ceiling (roles.ts: every role but operator), and the administrator
 * must have allowed it (export_roles, edited on /admin/exports; default: administrators only). The command line
 * acts as an administrator, so it too obeys the setting. A change of the setting is logged as admin.change.
 *
 * The auditor's CSV of the access log is not governed by this: it is the audit itself (audit.view, auditors only)
 * and must not depend on the administrator whose actions it audits.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { can, exportableRoles, type Role } from '../../domain/roles.ts';
import * as q from './policy.queries.ts';

/** Whether this actor may export now (for showing the link); never throws for a signed-in actor. */
export async function mayExport(actor: Actor, tx: Db = db()): Promise<boolean> {
	return can(actor.role, 'exports.run') && (await q.roleMayExport(tx, actor.role));
}

/** Policy: exports.run and the administrator's setting; forbidden otherwise, naming why. */
export async function requireExportAllowed(actor: Actor | null | undefined, tx: Db = db()): Promise<void> {
	requirePermission(actor, 'exports.run');
	if (!(await q.roleMayExport(tx, actor.role))) {
		throw new DomainError('forbidden', `role ${actor.role} may not export: the administrator has not allowed it (/admin/exports)`);
	}
}

/** The export page: the latest exports with their SHA-256 (metadata only). Policy: as for exporting. */
export async function exportPageFor(actor: Actor): Promise<{ recent: q.ExportRow[]; canConfigure: boolean }> {
	await requireExportAllowed(actor);
	return { recent: await q.recentExports(db(), 20), canConfigure: can(actor.role, 'exports.configure') };
}

export interface ExportSettings {
	/** roles allowed to export now */
	allowed: Role[];
	/** roles the administrator may allow (never operator) */
	exportable: Role[];
	/** who granted each allowed role, and when (null: the migration's default) */
	grants: q.ExportRoleRow[];
}

/** The setting, for the administrator's page. Policy: exports.configure. */
export async function exportSettingsFor(actor: Actor): Promise<ExportSettings> {
	requirePermission(actor, 'exports.configure');
	const grants = await q.readExportRoles(db());
	return { allowed: grants.map((g) => g.role), exportable: [...exportableRoles], grants };
}

const settingsInput = z
	.object({
		roles: z.array(z.string()).max(20).transform((rs, ctx) => {
			const out: Role[] = [];
			for (const r of rs) {
				if (!(exportableRoles as readonly string[]).includes(r)) {
					ctx.addIssue({ code: 'custom', message: r === 'operator' ? 'operators may never export' : `not a role that may export: ${r}` });
					return z.NEVER;
				}
				if (!out.includes(r as Role)) out.push(r as Role);
			}
			return out;
		})
	})
	.strict();

/**
 * Set which roles may export (the whole set; an empty set stops all exports, the command line's included).
 * Policy: exports.configure. Logged as admin.change with the old and new sets.
 */
export async function setExportRoles(actor: Actor, raw: unknown): Promise<{ allowed: Role[] }> {
	requirePermission(actor, 'exports.configure');
	const parsed = settingsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const wanted = parsed.data.roles;
	return db().begin(async (tx) => {
		// one change at a time: two administrators saving at once must not interleave their rows
		await tx`lock table export_roles in share row exclusive mode`;
		const before = (await q.readExportRoles(tx)).map((g) => g.role);
		await q.replaceExportRoles(tx, wanted, actor.id > 0 ? actor.id : null);
		const after = (await q.readExportRoles(tx)).map((g) => g.role);
		if (before.join(',') !== after.join(',')) {
			await writeAccessLog(tx, actor, { action: 'admin.change', reason: `export roles: ${before.join(', ') || '(none)'} → ${after.join(', ') || '(none)'}` });
		}
		return { allowed: after };
	});
}
