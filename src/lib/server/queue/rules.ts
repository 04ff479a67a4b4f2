/**
 * The calling rules in force (src/lib/domain/calling-rules.ts): read by every claim (the calling window) and
 * every placement; edited by supervisors with an optimistic version. With no row the defaults apply (version 0).
 */
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { logger } from '../log.ts';
import { callingRulesProblems, callingRulesSchema, defaultCallingRules, type CallingRules } from '../../domain/calling-rules.ts';
import { problem } from '../../domain/field-problem.ts';
import * as q from './rules.queries.ts';
import { rebuildQueue } from './placement.ts';
import { recordFloorChange } from '../floor/changes.ts';

export interface CallingRulesState {
	rules: CallingRules;
	/** 0 while the defaults apply (no saved row) */
	version: number;
	updatedAt: Date | null;
	updatedBy: number | null;
}

function parseStored(raw: unknown): CallingRules {
	const parsed = callingRulesSchema.safeParse(raw);
	if (parsed.success) return parsed.data;
	// a row written by hand that no longer validates: the defaults are safe (and the hard limits hold anyway)
	logger('queue').error({ problems: parsed.error.issues.map((i) => i.path.join('.') + ': ' + i.message) }, 'stored calling rules are invalid: using the defaults');
	return defaultCallingRules;
}

/** The rules in force (the defaults when none were saved). */
export async function loadCallingRules(tx: Db): Promise<CallingRules> {
	const row = await q.readRules(tx);
	return row ? parseStored(row.rules) : defaultCallingRules;
}

/** The rules with their version, for the supervisor's rules page. */
export async function callingRulesState(actor: Actor): Promise<CallingRulesState> {
	requirePermission(actor, 'queue.manage');
	const row = await q.readRules(db());
	if (!row) return { rules: defaultCallingRules, version: 0, updatedAt: null, updatedBy: null };
	return { rules: parseStored(row.rules), version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

/**
 * Save the calling rules (supervisors). `expectedVersion` is the version the supervisor edited (0 for the
 * defaults); when someone saved in between, 'conflict' with the current rules in details.current (JSON) and
 * details.version. Rules that do not validate: invalid_input with details = field → code and params (callingRulesProblems).
 * Every household is placed again under the new rules in the same transaction.
 */
export async function saveCallingRules(actor: Actor, raw: unknown, expectedVersion: number): Promise<CallingRulesState> {
	requirePermission(actor, 'queue.manage');
	const parsed = callingRulesSchema.safeParse(raw);
	// details: field → stable code (params: the values it names), worded by the page; the message stays English
	if (!parsed.success) throw fieldProblems(callingRulesProblems(raw, parsed.error.issues));
	if (!Number.isInteger(expectedVersion) || expectedVersion < 0) throw fieldProblems({ version: problem('whole_number', 'must be a whole number ≥ 0') });
	return db().begin(async (tx) => {
		const current = await q.readRules(tx, { forUpdate: true });
		const version = await q.writeRules(tx, parsed.data, expectedVersion, actor.id > 0 ? actor.id : null);
		if (version === null) {
			const now = current ?? (await q.readRules(tx));
			throw new DomainError('conflict', 'the calling rules were changed by someone else: review the current rules and save again', {
				current: JSON.stringify(now ? parseStored(now.rules) : defaultCallingRules),
				version: String(now?.version ?? 0)
			});
		}
		await writeAccessLog(tx, actor, { action: 'rules.update', reason: `calling rules v${version}` });
		await publish(tx, { type: 'rules:changed', data: { version } });
		await recordFloorChange(tx, actor, 'rules', { version }, `calling rules v${version}`);
		const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from segments where active`;
		if (n > 0) await rebuildQueue(tx);
		return { rules: parsed.data, version, updatedAt: new Date(), updatedBy: actor.id };
	});
}
