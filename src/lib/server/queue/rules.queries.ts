/** SQL of the calling_rules table: one row (id 1), the rules in force as a JSON document with a version. */
import type { Db } from '../db.ts';

export interface RulesRow {
	rules: unknown;
	version: number;
	updatedBy: number | null;
	updatedAt: Date;
}

export async function readRules(db: Db, opts: { forUpdate?: boolean } = {}): Promise<RulesRow | undefined> {
	const [r] = opts.forUpdate
		? await db<RulesRow[]>`select rules, version, updated_by, updated_at from calling_rules where id = 1 for update`
		: await db<RulesRow[]>`select rules, version, updated_by, updated_at from calling_rules where id = 1`;
	return r;
}

/**
 * Write the rules if the stored version is still `expectedVersion` (0 = no row yet). Returns the new version,
 * or null when someone else saved first. Two supervisors saving at once: the insert's conflict and the
 * update's version check let exactly one win.
 */
export async function writeRules(db: Db, rules: unknown, expectedVersion: number, userId: number | null): Promise<number | null> {
	if (expectedVersion === 0) {
		const [r] = await db<{ version: number }[]>`
			insert into calling_rules (id, rules, version, updated_by) values (1, ${db.json(rules as never)}, 1, ${userId})
			on conflict (id) do nothing returning version`;
		return r?.version ?? null;
	}
	const [r] = await db<{ version: number }[]>`
		update calling_rules set rules = ${db.json(rules as never)}, version = version + 1, updated_by = ${userId}, updated_at = now()
		where id = 1 and version = ${expectedVersion} returning version`;
	return r?.version ?? null;
}
