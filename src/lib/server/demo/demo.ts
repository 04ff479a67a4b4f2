/**
 * The demo: synthetic households written as the ward's nine CSV files (CP932, with the quirks of real exports)
 * and loaded through the same import every real file takes, one account per role, and the default segments.
 * Loaded on first start of the embedded database, or by `npm run seed`. Everything here is synthetic.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db, Sql } from '../db.ts';
import { createUser, setUserTeam } from '../users/users.ts';
import { assignOperator, defaultSegments, upsertSegment } from '../segments/segments.ts';
import { systemActor } from '../auth/actor.ts';
import { runImport, type ImportProgress } from '../imports/imports.ts';
import { rebuildQueue } from '../queue/placement.ts';
import { generateDemoData } from '../seed/generate.ts';
import { writeDemoCsv, CSV_FILES } from '../seed/csv.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import type { Role } from '../../domain/roles.ts';
import { defaultRoleRequirement } from '../../domain/security-keys.ts';
import { setAllRolesRequired } from '../webauthn/webauthn.queries.ts';
import { recordPrivacyCompleted } from '../training/training.queries.ts';
import { insertPlan, insertWeek } from '../plan/plan.queries.ts';
import { replaceInstalledTemplate } from '../letters/letters.queries.ts';
import { DEMO_LETTER_TEMPLATE } from './letter-template.ts';
import { addDays } from '../../domain/tokyo-time.ts';
import { mondayOf, weekInFiscalYear, workingDaysOf } from '../../domain/call-plan.ts';

export const DEMO_PASSWORD = 'kansho-demo-2026';

export const demoAccounts: { loginId: string; displayName: string; role: Role; segments?: string[]; team?: string }[] = [
	{ loginId: 'op01', displayName: '佐藤 オペレータ', role: 'operator', segments: ['broken-promises', 'high', 'general'], team: 'A班' },
	{ loginId: 'op02', displayName: '鈴木 オペレータ', role: 'operator', segments: ['high', 'general'], team: 'A班' },
	{ loginId: 'op03', displayName: '高橋 オペレータ', role: 'operator', segments: ['general'], team: 'B班' },
	{ loginId: 'op04', displayName: 'グエン オペレータ', role: 'operator', segments: ['foreign', 'general'], team: 'B班' },
	{ loginId: 'sv01', displayName: '田中 SV', role: 'supervisor' },
	{ loginId: 'staff01', displayName: '伊藤 職員', role: 'staff' },
	{ loginId: 'mgr01', displayName: '渡辺 管理者', role: 'manager' },
	{ loginId: 'admin01', displayName: '山本 システム管理', role: 'admin' },
	{ loginId: 'audit01', displayName: '中村 監査', role: 'auditor' }
];

export async function isEmpty(sql: Sql): Promise<boolean> {
	const [r] = await sql<{ n: number }[]>`select (select count(*) from users) + (select count(*) from households) as n`;
	return r.n === 0;
}

export interface SeedResult {
	households: number;
	persons: number;
	receipts: number;
	queued: number;
	noPhone: number;
	importId: number;
	seconds: number;
	csvSeconds: number;
}

/** The demo's randomized holdout: 5% of the catch-all segment, dated to a season that began eight weeks ago. */
export const DEMO_HOLDOUT = { segment: 'general', share: 0.05, daysAgo: 56 } as const;

/**
 * Load the demo into an empty database. The accounts and segments come first (the import builds the queue from
 * the segments); if the import fails they are removed again, so a failed seed leaves the database empty.
 */
export async function seedDemo(
	sql: Sql,
	opts: { seed?: number; households?: number; today?: string; onProgress?: (p: ImportProgress) => void; keepFiles?: string } = {}
): Promise<SeedResult> {
	const started = performance.now();
	const today = opts.today ?? tokyoDate();
	if (!(await isEmpty(sql))) throw new Error('the database already holds users or households: the demo is loaded only into an empty database');
	await sql.begin(async (tx) => {
		const segmentIds = new Map<string, number>();
		// the catch-all holds out 5% of its households at random (issue #8's effect measurement: /manager/effect)
		for (const s of defaultSegments) segmentIds.set(s.code, await upsertSegment(tx, s.code === DEMO_HOLDOUT.segment ? { ...s, holdoutShare: DEMO_HOLDOUT.share } : s));
		const operators: number[] = [];
		let supervisor: number | null = null;
		for (const a of demoAccounts) {
			const { id } = await createUser(tx, { loginId: a.loginId, displayName: a.displayName, role: a.role, password: DEMO_PASSWORD });
			for (const code of a.segments ?? []) await assignOperator(tx, id, segmentIds.get(code)!);
			if (a.team) await setUserTeam(tx, id, a.team);
			if (a.role === 'operator') operators.push(id);
			if (a.role === 'supervisor') supervisor ??= id;
		}
		// the season's call plan (納付案内計画, issue #8 part B), so that /manager/plan is not empty
		await seedDemoPlan(tx, today, segmentIds, supervisor);
		// the demo's operators have done the personal-information protection training (issue #9: the desk needs it)
		await recordPrivacyCompleted(tx, operators, { trainer: 'デモ' });
		// the demo accounts sign in without a security key (an administrator can require keys on /admin/security-keys)
		await setAllRolesRequired(tx, defaultRoleRequirement(true));
		// the letters of a fictional ward office, not the installed placeholders (which refuse batches: 〇〇区役所, 03-0000-0000)
		await replaceInstalledTemplate(tx, DEMO_LETTER_TEMPLATE);
	});
	const dir = opts.keepFiles ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-demo-'));
	try {
		const csvStarted = performance.now();
		await writeDemoCsv(dir, generateDemoData({ seed: opts.seed ?? 20260401, households: opts.households ?? 28_000, today }), { encoding: 'cp932', quirks: true });
		const csvSeconds = (performance.now() - csvStarted) / 1000;
		const report = await runImport(
			systemActor('demo'),
			CSV_FILES.map((name) => ({ name, path: path.join(dir, name) })),
			{ mode: 'apply', asOf: today, source: 'demo', synthetic: true, onProgress: opts.onProgress }
		);
		if (!report.applied) {
			const first = [...report.fileErrors, ...report.rejected].slice(0, 5).map((r) => `${r.file}:${r.line} ${r.column ?? ''} ${r.reason}`);
			throw new Error(`the demo files did not import (${report.rejected.length + report.fileErrors.length} rejected): ${first.join(' | ')}`);
		}
		// The demo's season began DEMO_HOLDOUT.daysAgo days ago, as if kansho had been running since: its holdout is
		// dated so (the households were assigned at the import, today), and the receipts' payments dated since then are
		// recorded as the payments imports would have seen arrive (a single import records none: a first sight is
		// history), so that the effect report (/manager/effect) has something to compare; the queue is placed again
		// to take them into account (recent payers wait). The demo has no call history: both arms are uncalled, and
		// any difference shown is chance (the intervals say so).
		await sql.begin(async (tx) => {
			await tx`
				update holdout_assignments a set assigned_at = a.assigned_at - make_interval(days => ${DEMO_HOLDOUT.daysAgo})
				from segments s where s.id = a.segment_id and s.code = ${DEMO_HOLDOUT.segment}`;
			await tx`update segments set holdout_started_at = holdout_started_at - make_interval(days => ${DEMO_HOLDOUT.daysAgo}) where code = ${DEMO_HOLDOUT.segment}`;
			const seen = await tx`
				insert into payments (household_id, fiscal_year, period, amount, paid_on, import_id)
				select r.household_id, r.fiscal_year, r.period, r.received_total, coalesce(r.last_paid_on, r.paid_on), ${report.importId}
				from receipts r
				where r.received_total > 0 and coalesce(r.last_paid_on, r.paid_on) between ${today}::date - ${DEMO_HOLDOUT.daysAgo}::int and ${today}::date`;
			if (seen.count > 0) await rebuildQueue(tx, today);
		});
		const [q] = await sql<{ queued: number; noPhone: number }[]>`
			select count(*) filter (where state in ('ready', 'waiting'))::int as queued, count(*) filter (where closed_reason = 'no_phone')::int as no_phone from call_queue`;
		return {
			households: report.counts.households,
			persons: report.counts.persons,
			receipts: report.counts.receipts,
			queued: q.queued,
			noPhone: q.noPhone,
			importId: report.importId,
			seconds: (performance.now() - started) / 1000,
			csvSeconds
		};
	} catch (e) {
		await sql`delete from call_plans`;
		await sql`delete from operator_segments`;
		await sql`delete from segments`;
		await sql`delete from users where login_id = any(${demoAccounts.map((a) => a.loginId)})`;
		await setAllRolesRequired(sql, defaultRoleRequirement(false));
		throw e;
	} finally {
		if (!opts.keepFiles) fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Per demo segment, a full week's targets (5 working days) and operator-hours for the demo's four operators: about
 * 120 operator-hours a week at ~15 attempts an hour (fewer for foreign residents: interpreting takes longer), a
 * quarter of attempts reaching the payer and a quarter of those promising (docs/kpis.md's published figures).
 */
export const demoPlanTargets: { segment: string; attempts: number; contacts: number; promises: number; staffHours: number }[] = [
	{ segment: 'broken-promises', attempts: 200, contacts: 60, promises: 20, staffHours: 12 },
	{ segment: 'high', attempts: 450, contacts: 110, promises: 30, staffHours: 30 },
	{ segment: 'foreign', attempts: 250, contacts: 50, promises: 12, staffHours: 20 },
	{ segment: 'general', attempts: 900, contacts: 200, promises: 50, staffHours: 58 }
];

/**
 * The demo season's plan: the fiscal year of `today`, this week and the eleven after it (within the fiscal year; the
 * demo has no calls yet, so past weeks would only show as behind), each week's targets scaled by its working days
 * (holidays and the year-end closure count less).
 */
async function seedDemoPlan(tx: Db, today: string, segmentIds: Map<string, number>, by: number | null) {
	const fy = fiscalYearOf(today);
	const plan = await insertPlan(tx, { fiscalYear: fy, name: `${fy}年度 納付案内計画（デモ）`, by });
	if (!plan) return;
	const first = mondayOf(today);
	for (let i = 0; i < 12; i++) {
		const weekStart = addDays(first, i * 7);
		if (!weekInFiscalYear(weekStart, fy)) continue;
		const share = workingDaysOf(weekStart).length / 5;
		for (const t of demoPlanTargets) {
			const segmentId = segmentIds.get(t.segment);
			if (!segmentId) continue;
			await insertWeek(tx, plan.id, {
				weekStart,
				segmentId,
				targetAttempts: Math.round(t.attempts * share),
				targetContacts: Math.round(t.contacts * share),
				targetPromises: Math.round(t.promises * share),
				staffHours: Math.round(t.staffHours * share)
			});
		}
	}
}
