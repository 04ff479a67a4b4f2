/**
 * The demo: synthetic households (seed/generate.ts), one account per role, the default segments and the queue.
 * Loaded on first start of the embedded database, or by `npm run seed`. Everything here is synthetic.
 */
import type { Sql } from '../db.ts';
import { createUser } from '../users/users.ts';
import { assignOperator, defaultSegments, upsertSegment } from '../segments/segments.ts';
import { rebuildQueue } from '../queue/claims.ts';
import { writeDemoData } from '../seed/seed.ts';
import { tokyoDate } from '../../domain/format.ts';
import type { Role } from '../../domain/roles.ts';

export const DEMO_PASSWORD = 'kansho-demo-2026';

export const demoAccounts: { loginId: string; displayName: string; role: Role; segments?: string[] }[] = [
	{ loginId: 'op01', displayName: '佐藤 オペレータ', role: 'operator', segments: ['high', 'general'] },
	{ loginId: 'op02', displayName: '鈴木 オペレータ', role: 'operator', segments: ['high', 'general'] },
	{ loginId: 'op03', displayName: '高橋 オペレータ', role: 'operator', segments: ['general'] },
	{ loginId: 'op04', displayName: 'グエン オペレータ', role: 'operator', segments: ['foreign', 'general'] },
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
	phones: number;
	receipts: number;
	queued: number;
	noPhone: number;
	seconds: number;
}

/** Load the demo in one transaction: all of it or nothing. Refuses a database that already has households or users. */
export async function seedDemo(
	sql: Sql,
	opts: { seed?: number; households?: number; today?: string; onProgress?: (done: number, total: number) => void } = {}
): Promise<SeedResult> {
	const started = performance.now();
	const today = opts.today ?? tokyoDate();
	return sql.begin(async (tx) => {
		const [r] = await tx<{ n: number }[]>`select (select count(*) from users) + (select count(*) from households) as n`;
		if (r.n > 0) throw new Error('the database already holds users or households: the demo is loaded only into an empty database');
		const counts = await writeDemoData(tx, { seed: opts.seed ?? 20260401, households: opts.households ?? 28_000, today, onProgress: opts.onProgress });
		const segmentIds = new Map<string, number>();
		for (const s of defaultSegments) segmentIds.set(s.code, await upsertSegment(tx, s));
		for (const a of demoAccounts) {
			const { id } = await createUser(tx, { loginId: a.loginId, displayName: a.displayName, role: a.role, password: DEMO_PASSWORD });
			for (const code of a.segments ?? []) await assignOperator(tx, id, segmentIds.get(code)!);
		}
		const q = await rebuildQueue(tx, today);
		return { ...counts, queued: q.queued, noPhone: q.noPhone, seconds: (performance.now() - started) / 1000 };
	});
}
