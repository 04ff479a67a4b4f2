/**
 * Erasure at contract end and retention of closed cases, against the real PostgreSQL: every personal table empty
 * afterwards (found by their columns, so a new personal table not covered fails here), the manager's figures the
 * same before and after, the certificate's counts and its chain hash equal to `audit verify`'s final hash, bad
 * input (phrase, password, role) changing nothing, the command line, and retention erasing only old closed cases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

// the stored import files live under DATA_DIR: never the developer's ./data
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-erasure-int-'));
process.env.DATA_DIR = DATA_DIR;

import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { db, closeDb } from '../../src/lib/server/db.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { managerReport } from '../../src/lib/server/reports/reports.ts';
import { wallSnapshot } from '../../src/lib/server/wall/wall.ts';
import { verifyAccessLog } from '../../src/lib/server/audit/chain.ts';
import { readHouseholdCard } from '../../src/lib/server/households/households.ts';
import { eraseAllPersonalData, erasureCertificateFile, listErasures, previewErasure, sweepRetention } from '../../src/lib/server/erasure/erasure.ts';
import { verifyCertificateJson } from '../../src/lib/server/erasure/certificate.ts';
import { ERASE_PHRASE, erasedTables, retainedTables, statisticsTables } from '../../src/lib/domain/erasure.ts';
import { EVENTS_CHANNEL } from '../../src/lib/realtime/events.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
const root = path.resolve(import.meta.dirname, '../..');
afterAll(async () => {
	await sql.end();
	await closeDb();
	fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

/** Columns that carry a resident's identity or words: any table with one must be empty after the erasure. */
const PERSONAL_COLUMNS = [
	'household_id',
	'person_id',
	'nhi_number',
	'resident_number',
	'head_resident_number',
	'name',
	'name_kana',
	'name_search',
	'kana_search',
	'address',
	'address_extra',
	'postal_code',
	'phone_raw',
	'raw',
	'digits',
	'dialed_number',
	'note',
	'content',
	'counterpart',
	'account_holder',
	'birth_date'
];
/** Kept on purpose (docs/operations.md, "Contract end and retention"); migrations: postgres-shift's own (name = file). */
// report_files: the daily and monthly reports made (migration 00023): figures per operator, team and segment, never
// a household or a person; its `content` column is a report file (PDF, CSV, Excel), not a resident's words
const KEPT = new Set<string>([...retainedTables, 'migrations', 'report_files']);

/**
 * Tables with a resident's identity or words, found by their columns. A table whose rows belong to a staff account
 * (a user_id pointing at users) and that has no household or person column is staff data, not residents' (e.g. the
 * names people give their security keys): kept with the accounts.
 */
async function personalTables(): Promise<string[]> {
	const rows = await sql<{ tableName: string }[]>`
		select distinct c.table_name from information_schema.columns c
		join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
		where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.column_name = any(${PERSONAL_COLUMNS})
		  and not (
		    exists (select 1 from information_schema.columns u where u.table_schema = c.table_schema and u.table_name = c.table_name and u.column_name = 'user_id')
		    and not exists (select 1 from information_schema.columns h where h.table_schema = c.table_schema and h.table_name = c.table_name
		                    and h.column_name in ('household_id', 'person_id', 'nhi_number', 'resident_number', 'head_resident_number'))
		  )
		order by 1`;
	return rows.map((r) => r.tableName).filter((t) => !KEPT.has(t));
}

async function rowCounts(tables: readonly string[]): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const t of tables) out[t] = (await sql<{ n: number }[]>`select count(*)::int as n from ${sql(t)}`)[0].n;
	return out;
}

async function reset() {
	await resetDb(sql);
	await sql`truncate imports, import_rejections, payments, exports, erasures restart identity cascade`;
	await sql`truncate ${sql([...statisticsTables])}`;
	fs.rmSync(path.join(DATA_DIR, 'uploads'), { recursive: true, force: true });
}

/** Notes of the inbound lookups in seedWorld: households[1], households[2], and a number that is no household. */
const INBOUND_NOTES = ['鈴木一郎様より折り返し', '佐藤花子様、口座振替の件', '田中様、番号違い'] as const;
const noteHash = (note: string) => createHash('sha256').update(note, 'utf8').digest('hex');

/** The access-log rows of inbound lookups: their reasons, and the notes still beside them. */
async function inboundRows() {
	return sql<{ id: number; householdId: number; reason: string; note: string | null }[]>`
		select a.id, a.household_id, a.reason, n.note from access_log a left join access_log_notes n on n.access_log_id = a.id
		where a.reason like 'inbound%' order by a.id`;
}

interface World {
	admin: Actor;
	manager: Actor;
	operator: Actor;
	households: number[];
}

/**
 * Households with calls (contact, promise, no answer, handoff), payments, an import with rejected rows and an error
 * text, a person without a household, case history, and an uploaded file waiting under DATA_DIR.
 */
async function seedWorld(): Promise<World> {
	const seg = await newSegment(sql);
	const seg2 = await newSegment(sql);
	const operator = await newOperator(db(), [seg, seg2]);
	const admin = { ...(await newUser(db(), 'admin')), ip: '127.0.0.9' };
	const manager = await newUser(db(), 'manager');
	const households: number[] = [];
	for (let i = 0; i < 6; i++) households.push(await newHousehold(db(), { segmentId: i < 4 ? seg : seg2, owed: 50_000 + i }));
	const today = tokyoDate();
	const inAWeek = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
	const outcomes = [
		{ outcomeCode: '40', party: 'self', note: '本人と話した。来週払うとのこと', promise: { amount: 20_000, dueDate: inAWeek } },
		{ outcomeCode: '20', party: 'self', note: '折り返しを依頼' },
		{ outcomeCode: '10' },
		{ outcomeCode: '50', party: 'self', handoff: { reason: 'hardship', note: '生活が苦しいとのこと' } },
		{ outcomeCode: '21', party: 'family', note: '妻が応答' }
	];
	for (const o of outcomes) {
		const claim = await claimNextHousehold(operator);
		await recordCallOutcome(operator, { householdId: claim.householdId, ...o });
	}
	const [call] = await sql<{ householdId: number }[]>`select household_id from calls where outcome_code = '40'`;
	await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${call.householdId}, 2025, 1, 20000, ${today}), (${households[5]}, 2025, 1, 5000, '2025-07-10')`;
	const [imp] = await sql<{ id: number }[]>`
		insert into imports (source, mode, kind, as_of, status, finished_at, files, counts, rejected_count, error)
		values ('web', 'apply', 'full', ${today}, 'applied', now(), '[{"name":"世帯.csv","size":100,"sha256":"00"}]', '{}', 2, 'row 3: 山田 太郎 …')
		returning id`;
	await sql`insert into import_rejections (import_id, file, line, column_name, reason, raw, status)
		values (${imp.id}, '個人.csv', 3, '生年月日', 'bad date', ${sql.json({ 氏名: '山田 太郎', 住民番号: '2000000099' })}, 'reported'),
		       (${imp.id}, '個人.csv', 4, '氏名', 'empty', ${sql.json({ 氏名: '' })}, 'quarantined')`;
	await sql`insert into persons (resident_number, name) values ('9999999999', '世帯のない 個人')`;
	await sql`insert into case_history (household_id, recorded_at, kind, content) values (${households[0]}, now(), '電話', '区の経過記録')`;
	// a staff member's note on the handoff and an instruction to operators (free text about a resident)
	const [ho] = await sql<{ id: number; householdId: number }[]>`select id, household_id from handoffs`;
	await sql`insert into handoff_events (handoff_id, user_id, kind, note) values (${ho.id}, ${operator.id}, 'note', '本人と面談予定（区職員のメモ）')`;
	await sql`insert into handoff_instructions (household_id, handoff_id, reason, instruction) values (${ho.householdId}, ${ho.id}, 'hardship', '来月まで架電を控え、その後に分納を案内')`;
	// inbound lookups: their notes (who called) are personal data beside the access log; one refused (no such household)
	await readHouseholdCard(operator, { householdId: households[1], reason: 'inbound', note: INBOUND_NOTES[0] });
	await readHouseholdCard(operator, { householdId: households[2], reason: 'inbound', note: INBOUND_NOTES[1] });
	await expect(readHouseholdCard(operator, { householdId: 999999, reason: 'inbound', note: INBOUND_NOTES[2] })).rejects.toMatchObject({ code: 'forbidden' });
	const up = path.join(DATA_DIR, 'uploads', `${admin.id}-11111111-2222-4333-8444-555555555555`);
	fs.mkdirSync(up, { recursive: true });
	fs.writeFileSync(path.join(up, '世帯.csv'), 'x'.repeat(1234));
	fs.writeFileSync(path.join(up, '個人.csv'), 'y'.repeat(766));
	return { admin, manager, operator, households };
}

/** Everything the manager sees, without the instant it was made. */
async function figures(manager: Actor) {
	const { generatedAt: _g, ...report } = await managerReport(manager);
	const wall = await wallSnapshot(manager);
	return {
		report,
		wallToday: wall.today,
		wallHourly: wall.hourly,
		doneToday: wall.segments.map((s) => [s.code, s.doneToday]),
		callsToday: wall.operators.map((o) => [o.id, o.callsToday])
	};
}

async function expectNothingErased(before: Record<string, number>) {
	expect(await rowCounts(Object.keys(before))).toEqual(before);
	expect((await sql`select 1 from erasures`).length).toBe(0);
	expect(fs.readdirSync(path.join(DATA_DIR, 'uploads')).length).toBe(1);
}

describe('contract end: erase all personal data', () => {
	beforeEach(reset);

	it('empties every table with personal data, keeps the manager’s figures, and certifies it with the final chain hash', async () => {
		const w = await seedWorld();
		const personal = await personalTables();
		// the coverage check itself: every table found by its columns is one the erasure knows
		expect(personal.filter((t) => !erasedTables.some((e) => e.table === t))).toEqual([]);
		const before = await rowCounts(personal);
		expect(before.households).toBe(6);
		expect(before.calls).toBe(5);
		expect(before.import_rejections).toBe(2);
		expect(before.persons).toBe(7);
		expect(before.access_log_notes).toBe(3);

		const kpisBefore = await figures(w.manager);
		expect(kpisBefore.wallToday.attempts).toBe(5);
		expect(kpisBefore.report.households.households).toBe(6);
		expect(kpisBefore.report.days.at(-1)).toMatchObject({ attempts: 5, promises: 1, promisedAmount: 20_000, collected: 20_000, collectedAfterContact: 20_000 });

		const preview = await previewErasure(w.admin);
		expect(preview.counts).toMatchObject({ households: 6, calls: 5, persons: 7, import_rejections: 2, case_history: 1, handoffs: 1, handoff_events: 2, handoff_instructions: 1, promises: 1 });
		expect(preview.uploads).toMatchObject({ entries: 1, files: 2, bytes: 2000 });
		expect(preview.uncovered).toEqual([]);
		expect(await rowCounts(personal)).toEqual(before); // a dry run changes nothing

		const events: { type: string; data: Record<string, unknown> }[] = [];
		const listener = await sql.listen(EVENTS_CHANNEL, (p) => events.push(JSON.parse(p)));
		const r = await eraseAllPersonalData(w.admin, { phrase: ` ${ERASE_PHRASE} `, password: TEST_PASSWORD });
		await listener.unlisten();
		expect(r.households).toBe(6);
		expect('sha256' in r.certificate).toBe(true);

		// every personal table is empty; statistics hold no household column
		for (const [table, n] of Object.entries(await rowCounts(personal))) expect(n, table).toBe(0);
		// the handoffs' history (staff notes) has no household column of its own: erased with them
		expect((await sql`select 1 from handoff_events`).length).toBe(0);
		for (const t of statisticsTables) {
			const cols = (await sql<{ columnName: string }[]>`select column_name from information_schema.columns where table_name = ${t}`).map((c) => c.columnName);
			expect(cols.filter((c) => PERSONAL_COLUMNS.includes(c)), t).toEqual([]);
		}
		expect(fs.readdirSync(path.join(DATA_DIR, 'uploads'))).toEqual([]);
		const [imp] = await sql<{ error: string | null; files: unknown }[]>`select error, files from imports`;
		expect(imp.error).toBeNull();
		expect(imp.files).toEqual([{ name: '世帯.csv', size: 100, sha256: '00' }]);
		// users and the queue's segments stay; the queue is empty
		expect((await sql`select 1 from users`).length).toBe(3);
		expect((await sql`select 1 from call_queue`).length).toBe(0);

		// the manager's figures are the same, now read from the statistics
		expect(await figures(w.manager)).toEqual(kpisBefore);

		// sockets are told, after commit
		expect(events.map((e) => e.type)).toEqual(['data:erased', 'queue:bulk']);
		expect(events[0].data).toMatchObject({ erasureId: r.erasureId, kind: 'contract_end', households: 6 });

		// inbound notes are gone; their log rows stay, with the notes' hashes, and the chain verifies
		expect((await inboundRows()).map((r) => [r.reason, r.note])).toEqual(INBOUND_NOTES.map((n) => [`inbound (note sha256:${noteHash(n)})`, null]));

		// the certificate: counts as found, the chain hash that audit verify ends with, its own SHA-256
		const verify = await verifyAccessLog(db());
		expect(verify.ok).toBe(true);
		const json = await erasureCertificateFile(w.admin, { id: r.erasureId, format: 'json' });
		const text = Buffer.from(json.body).toString('utf8');
		expect(verifyCertificateJson(text)).toBe(true);
		const cert = JSON.parse(text).certificate;
		expect(Object.fromEntries(cert.erased.map((e: { table: string; rows: number }) => [e.table, e.rows]))).toEqual(preview.counts);
		expect(cert.totalRows).toBe(preview.totalRows);
		expect(cert.erased.find((e: { table: string }) => e.table === 'access_log_notes')).toMatchObject({ rows: 3, label: { ja: expect.stringContaining('受電メモ') } });
		expect(cert.accessLog.headHash).toBe(verify.finalHash);
		expect(cert.accessLog.headChainSeq).toBe(verify.lastSeq);
		expect(cert.accessLog.verified).toMatchObject({ ok: true });
		expect(cert.erasedBy).toMatchObject({ loginId: w.admin.loginId, via: 'web' });
		expect(cert.files).toMatchObject({ found: 1, deleted: 1, files: 2, bytes: 2000, errors: [] });
		expect(cert.cleared[0]).toMatchObject({ table: 'imports', column: 'error', rows: 1 });
		expect(cert.startedAtJa).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（(令和|平成)/);
		// the erasure is in the access log, and the certificate points at that row
		const [logRow] = await sql<{ id: number; userId: number; reason: string }[]>`select id, user_id, reason from access_log where action = 'data.erase'`;
		expect(logRow).toMatchObject({ id: cert.accessLog.entryId, userId: w.admin.id });
		expect(logRow.reason).toContain(`erasure #${r.erasureId}`);
		// the chain hash is the one the head had right after the erasure
		const [stored] = await sql<{ chainHash: string }[]>`select chain_hash from erasures where id = ${r.erasureId}`;
		expect(stored.chainHash).toBe(cert.accessLog.headHash);

		const pdf = await erasureCertificateFile(w.admin, { id: r.erasureId, format: 'pdf' });
		expect(Buffer.from(pdf.body).subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.contentType).toBe('application/pdf');
		// downloads are logged with their SHA-256
		expect((await sql`select 1 from access_log where action = 'export' and reason like 'erasure certificate #%'`).length).toBe(2);
		expect((await listErasures(w.admin))[0]).toMatchObject({ id: r.erasureId, kind: 'contract_end', households: 6, hasPdf: true });
	});

	it('changes nothing on a wrong phrase, a wrong password, a missing field, or the wrong role', async () => {
		const w = await seedWorld();
		const before = await rowCounts(await personalTables());
		await expect(eraseAllPersonalData(w.admin, { phrase: '消去', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_input', details: { phrase: 'phrase_mismatch' } });
		await expectNothingErased(before);
		await expect(eraseAllPersonalData(w.admin, { phrase: ERASE_PHRASE, password: 'not-the-password' })).rejects.toMatchObject({ code: 'invalid_input', details: { password: 'wrong_password' } });
		await expectNothingErased(before);
		await expect(eraseAllPersonalData(w.admin, { phrase: ERASE_PHRASE })).rejects.toMatchObject({ code: 'invalid_input', details: { password: 'required' } });
		await expect(eraseAllPersonalData(w.admin, {})).rejects.toMatchObject({ code: 'invalid_input', details: { phrase: 'required', password: 'required' } });
		for (const who of [w.manager, w.operator]) {
			await expect(eraseAllPersonalData(who, { phrase: ERASE_PHRASE, password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(previewErasure(who)).rejects.toMatchObject({ code: 'forbidden' });
		}
		await expectNothingErased(before);
		// the refusals are in the log: the phrase as a refused erasure, the password as a failed sign-in
		const rows = await sql<{ action: string; reason: string }[]>`select action, reason from access_log where action in ('data.erase', 'login.failed') order by id`;
		expect(rows.map((r) => r.action)).toEqual(['data.erase', 'login.failed']);
		expect(rows[0].reason).toMatch(/^refused/);
	});

	it('refuses while a table holds household data the erasure does not cover, and changes nothing', async () => {
		const w = await seedWorld();
		await sql`create table letters_test (id int, household_id bigint references households)`;
		try {
			await sql`insert into letters_test values (1, ${w.households[0]})`;
			const before = await rowCounts(await personalTables());
			expect((await previewErasure(w.admin)).uncovered).toEqual(['letters_test']);
			await expect(eraseAllPersonalData(w.admin, { phrase: ERASE_PHRASE, password: TEST_PASSWORD })).rejects.toMatchObject({
				code: 'conflict',
				message: expect.stringContaining('letters_test')
			});
			await expectNothingErased(before);
		} finally {
			await sql`drop table letters_test`;
		}
	});
});

function cli(args: string[]) {
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR };
	delete env.VITEST;
	delete env.NODE_OPTIONS;
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run kansho -- erase', () => {
	beforeEach(reset);

	it('refuses a wrong phrase (exit 1) and bad usage (exit 2), then erases and writes the certificate with -o', async () => {
		const w = await seedWorld();
		const before = await rowCounts(await personalTables());
		const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-erase-cli-'));
		try {
			expect(cli(['erase', '--confirm', ERASE_PHRASE]).code).toBe(2);
			const wrong = cli(['erase', '--confirm', 'yes', '-o', out, '--json']);
			expect(wrong.code, wrong.stderr).toBe(1);
			expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, erased: false, code: 'invalid_input', details: { confirm: 'phrase_mismatch' } });
			await expectNothingErased(before);

			const dry = cli(['erase', '--dry-run', '--json']);
			expect(dry.code, dry.stderr).toBe(0);
			expect(JSON.parse(dry.stdout).counts).toMatchObject({ households: 6, calls: 5 });

			const r = cli(['erase', '--confirm', ERASE_PHRASE, '-o', out, '--json']);
			expect(r.code, r.stderr).toBe(0);
			const j = JSON.parse(r.stdout);
			expect(j).toMatchObject({ ok: true, erased: true, households: 6, counts: { households: 6, calls: 5, persons: 7 } });
			const file = fs.readFileSync(j.certificate.json_path, 'utf8');
			expect(verifyCertificateJson(file)).toBe(true);
			expect(JSON.parse(file).certificate.erasedBy).toMatchObject({ loginId: expect.stringMatching(/^cli:/), via: 'cli' });
			expect(fs.readFileSync(j.certificate.pdf_path).subarray(0, 5).toString('latin1')).toBe('%PDF-');
			const verify = await verifyAccessLog(db());
			expect(j.certificate.chain_hash).toBe(verify.finalHash);
			for (const [table, n] of Object.entries(await rowCounts(await personalTables()))) expect(n, table).toBe(0);
			void w;
		} finally {
			fs.rmSync(out, { recursive: true, force: true });
		}
	}, 180_000); // a hang guard, not a timing check: three CLI runs and an erasure took over 60 s on a loaded machine
});

describe('retention of closed cases', () => {
	beforeEach(reset);

	it('erases only households closed longer than the period, keeps their numbers, and logs each batch', async () => {
		const w = await seedWorld();
		const [oldClosed, recentClosed, claimedClosed] = [w.households[1], w.households[2], w.households[3]];
		await sql`update households set status = 'resolved', resolved_at = now() - interval '400 days' where id = any(${[oldClosed, claimedClosed, w.households[5]]})`;
		await sql`update households set status = 'resolved', resolved_at = now() - interval '10 days' where id = ${recentClosed}`;
		// someone is on the phone with this one: not now
		await sql`update call_queue set state = 'claimed', claimed_by = ${w.operator.id}, claimed_at = now(), claim_expires_at = now() + interval '1 minute' where household_id = ${claimedClosed}`;
		await sql`update imports set started_at = now() - interval '400 days', finished_at = now() - interval '400 days'`;
		// the refused lookup's row is as old as the period (not yet sealed: as if written then)
		await sql.begin(async (tx) => {
			await tx`alter table access_log disable trigger access_log_append_only`;
			await tx`update access_log set at = at - interval '400 days' where household_id = 999999`;
			await tx`alter table access_log enable always trigger access_log_append_only`;
		});
		const kpisBefore = await figures(w.manager);

		const r = await sweepRetention({ days: 365, batch: 1 });
		expect(r).toMatchObject({ households: 2, batches: 2, busy: false });
		const left = (await sql<{ id: number }[]>`select id from households order by id`).map((h) => h.id);
		expect(left).toEqual(w.households.filter((h) => h !== oldClosed && h !== w.households[5]));
		for (const t of ['persons', 'phones', 'receipts', 'calls', 'call_queue', 'payments', 'promises']) {
			const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(t)} where household_id = any(${[oldClosed, w.households[5]]})`;
			expect(n, t).toBe(0);
		}
		// rejected rows of old imports go, except those held in quarantine; the error text too
		expect((await sql<{ status: string }[]>`select status from import_rejections`).map((x) => x.status)).toEqual(['quarantined']);
		expect((await sql`select 1 from imports where error is not null`).length).toBe(0);

		expect(await figures(w.manager)).toEqual(kpisBefore);

		const erasures = (
			await sql<{ kind: string; counts: string; certificateJson: string; certificatePdf: Buffer | null; accessLogId: number }[]>`
				select kind, counts::text as counts, certificate_json, certificate_pdf, access_log_id from erasures order by id`
		).map((e) => ({ ...e, counts: JSON.parse(e.counts) as Record<string, number> }));
		expect(erasures.map((e) => [e.kind, e.counts.households])).toEqual([
			['retention', 1],
			['retention', 1]
		]);
		expect(erasures[0].counts.import_rejections).toBe(1);
		// the closed household's inbound note and the old note of no household go; the open household's stays;
		// every log row stays, with the hash, and the chain verifies
		expect(erasures.map((e) => e.counts.access_log_notes)).toEqual([2, 0]);
		expect((await inboundRows()).map((r) => [r.householdId, r.reason, r.note])).toEqual([
			[oldClosed, `inbound (note sha256:${noteHash(INBOUND_NOTES[0])})`, null],
			[recentClosed, `inbound (note sha256:${noteHash(INBOUND_NOTES[1])})`, INBOUND_NOTES[1]],
			[999999, `inbound (note sha256:${noteHash(INBOUND_NOTES[2])})`, null]
		]);
		expect((await verifyAccessLog(db())).ok).toBe(true);
		for (const e of erasures) {
			expect(verifyCertificateJson(e.certificateJson)).toBe(true);
			expect(e.certificatePdf).toBeNull();
		}
		const logged = await sql<{ id: number; userId: number | null; reason: string }[]>`select id, user_id, reason from access_log where action = 'data.erase' order by id`;
		expect(logged.map((l) => l.id)).toEqual(erasures.map((e) => e.accessLogId));
		expect(logged[0].userId).toBeNull();
		expect(logged[0].reason).toMatch(/^retention \(365 days after close\)/);

		// nothing more is due; off means off
		expect(await sweepRetention({ days: 365 })).toMatchObject({ households: 0, batches: 0 });
		expect(await sweepRetention({ days: 0 })).toMatchObject({ households: 0, batches: 0 });
		expect((await sql`select 1 from households`).length).toBe(4);
	});
});
