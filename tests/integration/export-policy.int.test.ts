/**
 * Who may export (issue #4 item 6): the administrator's setting (export_roles), checked in the use case for the web
 * and the command line alike; operators never, not even through the database; changes logged as admin.change.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createHash } from 'node:crypto';
import { resetDb, testSql } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { exportCallResults } from '../../src/lib/server/exports/exports.ts';
import { exportSettingsFor, mayExport, setExportRoles } from '../../src/lib/server/exports/policy.ts';
import { systemActor, type Actor } from '../../src/lib/server/auth/actor.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';

const sql = testSql();

async function restoreDefault() {
	await sql`delete from export_roles where role <> 'admin'`;
	await sql`insert into export_roles (role) values ('admin') on conflict do nothing`;
}

afterEach(restoreDefault);
afterAll(async () => {
	await restoreDefault();
	await sql.end();
	await closeDb();
});

async function run(actor: Actor) {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (c) => chunks.push(c));
	const r = await exportCallResults(actor, { from: tokyoDate(), to: tokyoDate(), encoding: 'utf8' }, out, { fileName: 'x.csv', source: 'test' });
	out.end();
	return { r, bytes: Buffer.concat(chunks) };
}

const exportCount = async () => (await sql<{ n: number }[]>`select count(*)::int as n from exports`)[0].n;
const changes = () => sql<{ reason: string; userId: number }[]>`select reason, user_id from access_log where action = 'admin.change' order by id`;

describe('export roles', () => {
	it('by default administrators (and the command line, which acts as one) export; no other role', async () => {
		await resetDb(sql);
		await restoreDefault();
		const admin = await newUser(sql, 'admin');
		const { r, bytes } = await run(admin);
		expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		const [log] = await sql<{ reason: string }[]>`select reason from access_log where action = 'export'`;
		expect(log.reason).toContain(`sha256 ${r.sha256}`);
		await run(systemActor('cli:test'));
		for (const role of ['operator', 'supervisor', 'staff', 'manager', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(run(u), role).rejects.toMatchObject({ code: 'forbidden' });
			expect(await mayExport(u)).toBe(false);
		}
		expect(await mayExport(admin)).toBe(true);
	});

	it('the administrator chooses: allowed roles export, the others (the command line included) are refused; logged', async () => {
		await resetDb(sql);
		await restoreDefault();
		const admin = await newUser(sql, 'admin');
		const mgr = await newUser(sql, 'manager');
		expect(await setExportRoles(admin, { roles: ['manager', 'auditor', 'manager'] })).toEqual({ allowed: ['auditor', 'manager'] });
		const before = await exportCount();
		await run(mgr);
		await expect(run(admin)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('/admin/exports') });
		await expect(run(systemActor('cli:test'))).rejects.toMatchObject({ code: 'forbidden' });
		expect(await exportCount()).toBe(before + 1);
		expect(await changes()).toEqual([{ reason: 'export roles: admin → auditor, manager', userId: admin.id }]);
		// saving the same set again changes nothing and logs nothing
		await setExportRoles(admin, { roles: ['auditor', 'manager'] });
		expect(await changes()).toHaveLength(1);
		// an empty set stops every export
		await setExportRoles(admin, { roles: [] });
		await expect(run(mgr)).rejects.toMatchObject({ code: 'forbidden' });
		expect((await exportSettingsFor(admin)).allowed).toEqual([]);
	});

	it('operators can never be allowed, by the use case or by the database; bad input changes nothing', async () => {
		await resetDb(sql);
		await restoreDefault();
		const admin = await newUser(sql, 'admin');
		await expect(setExportRoles(admin, { roles: ['operator'] })).rejects.toMatchObject({ code: 'invalid_input', details: { roles: 'operators may never export' } });
		await expect(setExportRoles(admin, { roles: ['boss'] })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(setExportRoles(admin, { roles: 'admin' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(setExportRoles(admin, { roles: ['admin'], extra: 1 })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(sql`insert into export_roles (role) values ('operator')`).rejects.toThrow(/check constraint/);
		expect((await exportSettingsFor(admin)).allowed).toEqual(['admin']);
		expect(await changes()).toEqual([]);
	});

	it('only administrators see or change the setting (checked in the use case)', async () => {
		await resetDb(sql);
		await restoreDefault();
		for (const role of ['operator', 'supervisor', 'staff', 'manager', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(exportSettingsFor(u), role).rejects.toMatchObject({ code: 'forbidden' });
			await expect(setExportRoles(u, { roles: [role === 'operator' ? 'admin' : role] }), role).rejects.toMatchObject({ code: 'forbidden' });
		}
		expect(await sql`select role from export_roles`).toEqual([{ role: 'admin' }]);
	});
});
