/**
 * Migration 00017 on a database that has handoffs of the old model (open, open and assigned, accepted, closed):
 * each gets its new state, a due time and a history row, and closed ones keep releasing the household.
 * A scratch database of its own, migrated to 00016 first, dropped afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connect } from '../../src/lib/server/db.ts';
import { migrate, migrationsDir } from '../../src/lib/server/migrate.ts';
import { testDatabaseUrl } from '../helpers/db.ts';

const name = `${new URL(testDatabaseUrl()).pathname.slice(1)}_mig17`;
const admin = connect(testDatabaseUrl(), { max: 1 });
const url = new URL(testDatabaseUrl());
url.pathname = `/${name}`;
const older = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-mig-'));

afterAll(async () => {
	delete process.env.KANSHO_MIGRATIONS_DIR;
	fs.rmSync(older, { recursive: true, force: true });
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
});

it('moves old handoffs to the new states with due times and history', async () => {
	const all = migrationsDir();
	for (const d of fs.readdirSync(all).filter((d) => d < '00017')) fs.cpSync(path.join(all, d), path.join(older, d), { recursive: true });
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.unsafe(`create database ${name}`);
	const sql = connect(url.toString(), { max: 3 });
	try {
		process.env.KANSHO_MIGRATIONS_DIR = older;
		await migrate(sql);
		const [op] = await sql<{ id: number }[]>`insert into users (login_id, display_name, role, password_hash) values ('op9', 'op', 'operator', 'x') returning id`;
		const [st] = await sql<{ id: number }[]>`insert into users (login_id, display_name, role, password_hash) values ('st9', 'st', 'staff', 'x') returning id`;
		const [h] = await sql<{ id: number }[]>`insert into households (nhi_number, synthetic) values ('00000001', true) returning id`;
		// Friday 2026-11-27 14:00 Tokyo
		const at = '2026-11-27T05:00:00Z';
		await sql`insert into handoffs (household_id, reason, status, created_by, created_at) values
			(${h.id}, 'installment', 'open', ${op.id}, ${at})`;
		await sql`insert into handoffs (household_id, reason, status, created_by, created_at, assigned_to) values
			(${h.id}, 'complaint', 'open', ${op.id}, ${at}, ${st.id}), (${h.id}, 'hardship', 'accepted', ${op.id}, ${at}, ${st.id})`;
		await sql`insert into handoffs (household_id, reason, status, created_by, created_at, closed_at) values (${h.id}, 'other', 'closed', ${op.id}, ${at}, now())`;

		delete process.env.KANSHO_MIGRATIONS_DIR;
		await migrate(sql);
		const rows = await sql<{ reason: string; status: string; resolutionCode: string | null; resumesCalls: boolean; dueAt: Date }[]>`
			select reason, status, resolution_code, resumes_calls, due_at from handoffs order by id`;
		expect(rows.map((r) => [r.reason, r.status, r.resolutionCode, r.resumesCalls])).toEqual([
			['installment', 'new', null, false],
			['complaint', 'in_progress', null, false],
			['hardship', 'in_progress', null, false],
			['other', 'resolved', 'other', true]
		]);
		// 2 working days after Friday: the end of Tuesday 12/1 (Tokyo); a complaint, 1: the end of Monday 11/30
		expect(rows.map((r) => r.dueAt.toISOString())).toEqual(['2026-12-01T15:00:00.000Z', '2026-11-30T15:00:00.000Z', '2026-12-01T15:00:00.000Z', '2026-12-01T15:00:00.000Z']);
		expect((await sql`select 1 from handoff_events where kind = 'migrated'`).length).toBe(4);
		expect((await sql<{ n: number }[]>`select count(*)::int as n from handoff_sla`)[0].n).toBe(5);
	} finally {
		await sql.end();
	}
});
