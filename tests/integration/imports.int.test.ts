import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { testSql, resetDb } from '../helpers/db.ts';
import { newSegment, newOperator, newUser } from '../helpers/factories.ts';
import { HEADERS, filesOf, household, tempDir, writeSet, writeWardFile } from '../helpers/ward-files.ts';
import { runImport } from '../../src/lib/server/imports/imports.ts';
import { systemActor } from '../../src/lib/server/auth/actor.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { closeDb } from '../../src/lib/server/db.ts';

const sql = testSql();
const admin = systemActor('cli:test');
const AS_OF = '2026-11-27';

afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(async () => {
	await resetDb(sql);
	await sql`truncate imports, import_rejections, payments, exports restart identity cascade`;
	await newSegment(sql, 'general');
});

const apply = (dir: string, mode: 'apply' | 'dry_run' | 'apply_quarantine' = 'apply', asOf = AS_OF) =>
	runImport(admin, filesOf(dir), { mode, asOf, source: 'test' });

/** The data an import writes, as text, to compare two states (ids and timestamps of records left out). */
async function snapshot() {
	const tables = ['households', 'household_years', 'persons', 'phones', 'receipts', 'payments', 'call_queue', 'promises'];
	const out: Record<string, string> = {};
	for (const t of tables) {
		const [r] = await sql.unsafe<{ md5: string; n: number }[]>(
			`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as md5, count(*)::int as n from (select * from ${t}) x`
		);
		out[t] = `${r.n}:${r.md5}`;
	}
	// updated_at / import ids differ by design between runs only when something changed
	return out;
}

describe('import of the ward files', () => {
	it('imports a set written the way real exports are (CP932, half-width kana, eras, 円, 第N期)', async () => {
		const dir = writeSet([household('00012345', '0000000001', { paid: [10_000, 4_000] }), household('00012346', '0000000002', { name: '髙橋　①子', kana: 'ﾀｶﾊｼ ｲﾁｺ', phone: '03(5321)1111' })]);
		const r = await apply(dir);
		expect(r.status).toBe('applied');
		expect(r.rejected).toEqual([]);
		expect(r.counts).toMatchObject({ households: 2, persons: 2, receipts: 12 });
		expect(r.files.map((f) => f.encoding)).toEqual(['cp932', 'cp932', 'cp932']);
		const [p] = await sql<{ name: string; nameKana: string; kanaSearch: string; birthDate: string }[]>`
			select name, name_kana, kana_search, birth_date::text as birth_date from persons where resident_number = '0000000002'`;
		expect(p).toEqual({ name: '髙橋　①子', nameKana: 'ﾀｶﾊｼ ｲﾁｺ', kanaSearch: 'タカハシイチコ', birthDate: '1980-03-03' });
		const [h] = await sql<{ nhiNumber: string; district: string }[]>`select nhi_number, district from households where nhi_number = '00012345'`;
		expect(h).toEqual({ nhiNumber: '00012345', district: '西新宿' });
		// arrears as of 2026-11-27: periods 1–5 are due (period 6 is due 11-30); household 1 paid 14,000 of them
		expect(r.summary).toMatchObject({ householdsInArrears: 2, totalArrearsYen: 36_000 + 50_000 });
		const [q] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue`;
		expect(q.n).toBe(2);
		const [rec] = await sql<{ status: string; files: { name: string; sha256: string }[] }[]>`select status, files from imports where id = ${r.importId}`;
		expect(rec.status).toBe('applied');
		expect(rec.files.map((f) => f.sha256)).toHaveLength(3);
		expect(rec.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('changes nothing when any row is invalid, and reports every invalid row with file, line, column and reason', async () => {
		const hs = [household('00000001', '1000000001'), household('00000002', '1000000002'), household('00000003', '1000000003')];
		hs[1].個人.生年月日 = '平成31年5月1日';
		hs[2].収納[3].納期限 = '令和8年13月1日';
		hs[2].収納[5].調定額 = '12.5';
		const dir = writeSet(hs);
		// a person of a household that is nowhere, in the last file read
		fs.appendFileSync(path.join(dir, '個人.csv'), iconv.encode('9999999999,77777777,2026,幽霊　花子,,,,,,,,,,,,,JP\r\n', 'cp932'));
		const r = await apply(dir);
		expect(r.status).toBe('rejected');
		expect(r.applied).toBe(false);
		const got = r.rejected.map((x) => [x.file, x.line, x.column]);
		expect(got).toEqual([
			['個人.csv', 3, '生年月日'],
			['個人.csv', 5, '国保記号番号'],
			['収納.csv', 17, '納期限'],
			['収納.csv', 19, '調定額']
		]);
		expect(r.rejected[0].reason).toContain('平成31年5月1日');
		for (const t of ['households', 'persons', 'receipts', 'call_queue', 'payments']) {
			const [c] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t}`);
			expect(c.n, t).toBe(0);
		}
		const [rec] = await sql<{ status: string; rejectedCount: number }[]>`select status, rejected_count from imports where id = ${r.importId}`;
		expect(rec).toEqual({ status: 'rejected', rejectedCount: 4 });
	});

	it('with quarantine, lands the valid rows and keeps the invalid ones with their reasons', async () => {
		const hs = [household('00000011', '1000000011'), household('00000012', '1000000012')];
		hs[1].世帯.被保険者数 = '二人';
		const dir = writeSet(hs);
		const r = await apply(dir, 'apply_quarantine');
		expect(r.status).toBe('applied');
		// the bad household row is quarantined, and with it what hangs off that household
		expect(r.rejected.map((x) => [x.file, x.line])).toEqual([
			['世帯.csv', 3],
			['個人.csv', 3],
			...[8, 9, 10, 11, 12, 13].map((l) => ['収納.csv', l])
		]);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from households`;
		expect(n).toBe(1);
		const q = await sql<{ file: string; line: number; status: string }[]>`select file, line, status from import_rejections order by file, line`;
		expect(q).toHaveLength(8);
		expect(new Set(q.map((x) => x.status))).toEqual(new Set(['quarantined']));
	});

	it('leaves the database as it was when the same set is imported twice', async () => {
		const dir = writeSet([household('00000021', '1000000021', { paid: [10_000, 3_000] }), household('00000022', '1000000022')]);
		await apply(dir);
		const first = await snapshot();
		const again = await apply(dir);
		expect(again.status).toBe('applied');
		expect(again.changes).toMatchObject({ newHouseholds: 0, newReceipts: 0, changedReceipts: 0 });
		expect(await snapshot()).toEqual(first);
	});

	it('dry-runs exactly what applying would do, and applies nothing', async () => {
		const dir = writeSet([household('00000031', '1000000031'), household('00000032', '1000000032')]);
		const dry = await apply(dir, 'dry_run');
		expect(dry.status).toBe('dry_run');
		expect(dry.changes).toMatchObject({ newHouseholds: 2, newReceipts: 12 });
		expect(dry.summary).toMatchObject({ householdsInArrears: 2, totalArrearsYen: 100_000 });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from households`;
		expect(n).toBe(0);
		const real = await apply(dir);
		expect(real.summary).toEqual(dry.summary);
	});

	it('resolves households absent from a later full snapshot, keeping their history', async () => {
		const seg = (await sql<{ id: number }[]>`select id from segments`)[0].id;
		// 00000041 paid one period, so 00000042 owes more and is claimed first
		await apply(writeSet([household('00000041', '1000000041', { paid: [10_000] }), household('00000042', '1000000042')]));
		const op = await newOperator(sql, [seg]);
		const c = await claimNextHousehold(op);
		const gone = (await sql<{ id: number }[]>`select id from households where nhi_number = '00000042'`)[0].id;
		expect(c.householdId).toBe(gone);
		await recordCallOutcome(op, { householdId: gone, outcomeCode: '10' });

		const r = await apply(writeSet([household('00000041', '1000000041', { paid: [10_000] })]));
		expect(r.kind).toBe('full');
		expect(r.changes?.resolved).toBe(1);
		const [h] = await sql<{ status: string; resolvedReason: string }[]>`select status, resolved_reason from households where id = ${gone}`;
		expect(h).toEqual({ status: 'resolved', resolvedReason: 'absent_from_snapshot' });
		const [q] = await sql<{ state: string; closedReason: string }[]>`select state, closed_reason from call_queue where household_id = ${gone}`;
		expect(q).toEqual({ state: 'closed', closedReason: 'resolved' });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from receipts where household_id = ${gone}`;
		expect(n).toBe(6);
		const [{ calls }] = await sql<{ calls: number }[]>`select count(*)::int as calls from calls where household_id = ${gone}`;
		expect(calls).toBe(1);
	});

	it('resolves a household whose arrears a receipts delta clears, and suppresses calls after a recent payment', async () => {
		await apply(writeSet([household('00000051', '1000000051'), household('00000052', '1000000052')]));
		// delta: only 収納.csv; 00000051 pays everything due, 00000052 pays one period on 11-20
		const paid51 = household('00000051', '1000000051', { paid: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000] });
		const paid52 = household('00000052', '1000000052', { paid: [10_000] });
		paid52.収納[0].最終納付年月日 = '2026/11/20';
		const delta = writeSet([paid51, paid52], { files: ['収納'] });
		const r = await apply(delta);
		expect(r.kind).toBe('delta');
		expect(r.changes?.resolved).toBe(1);
		const rows = await sql<{ nhiNumber: string; status: string; state: string; nextEligibleAt: Date | null }[]>`
			select h.nhi_number, h.status, q.state, q.next_eligible_at from households h join call_queue q on q.household_id = h.id order by 1`;
		expect(rows[0]).toMatchObject({ nhiNumber: '00000051', status: 'resolved', state: 'closed' });
		expect(rows[1]).toMatchObject({ nhiNumber: '00000052', status: 'active', state: 'waiting' });
		// 09:00 Tokyo 14 days after the payment (the calling rules' paymentSuppressDays: the queue's placement)
		expect(rows[1].nextEligibleAt!.toISOString()).toBe('2026-12-04T00:00:00.000Z');
		const pays = await sql<{ amount: number; paidOn: string }[]>`select amount, paid_on::text as paid_on from payments order by id`;
		expect(pays.map((p) => p.amount).reduce((a, b) => a + b, 0)).toBe(70_000);
	});

	it('derives each household\'s 町名 (district) from its address, and a re-import corrects a stored one', async () => {
		const addresses: [string, string][] = [
			['東京都新宿区四谷一丁目2番3号', '四谷'],
			['東京都新宿区四谷3-12-5', '四谷'],
			['東京都新宿区余丁町120番地', '余丁町'],
			['新宿区三栄町８', '三栄町'],
			['東京都新宿区二十騎町2-10', '二十騎町'],
			['東京都新宿区百人町１丁目２番３号', '百人町'],
			['東京都新宿区市谷八幡町16 メゾン市谷 101', '市谷八幡町']
		];
		const hs = addresses.map(([address], i) => {
			const h = household(`0000070${i}`, `100000070${i}`);
			h.世帯.住所 = address;
			return h;
		});
		const dir = writeSet(hs);
		await apply(dir);
		const districts = async () =>
			(await sql<{ address: string; district: string | null }[]>`select address, district from households order by nhi_number`).map((r) => [r.address, r.district]);
		expect(await districts()).toEqual(addresses);
		// what the earlier derivation stored (四谷 without a town, 余丁町 as 余): the same set, imported again, corrects it
		await sql`update households set district = null where address like '%四谷%'`;
		await sql`update households set district = '余' where address like '%余丁町%'`;
		const again = await apply(dir);
		expect(again.status).toBe('applied');
		expect(await districts()).toEqual(addresses);
		// the trends' summary (by district) is rebuilt after an import, though the import writes with triggers off
		await sql`update collection_cells_state set stale = false`;
		await apply(dir, 'dry_run');
		expect((await sql<{ stale: boolean }[]>`select stale from collection_cells_state`)[0].stale).toBe(false);
		await apply(dir);
		expect((await sql<{ stale: boolean }[]>`select stale from collection_cells_state`)[0].stale).toBe(true);
		// and a second time changes nothing
		const before = await snapshot();
		await apply(dir);
		expect(await snapshot()).toEqual(before);
	});

	it('reports the same changes, 入金直後のため架電停止 included, in a dry run as in the apply of the same set', async () => {
		const hs = ['00000081', '00000082', '00000083', '00000084'].map((nhi, i) => household(nhi, `10000008${i}`));
		await apply(writeSet(hs));
		// 収納.csv: 81 pays one period on 11-20 (within 14 days of the 基準日 11-27), 82 one period on 10-01 (too long
		// ago), 83 everything due (resolved, nobody to hold back); 84 pays nothing
		const paid = [
			household('00000081', '100000080', { paid: [10_000] }),
			household('00000082', '100000081', { paid: [10_000] }),
			household('00000083', '100000082', { paid: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000] }),
			household('00000084', '100000083')
		];
		paid[0].収納[0].最終納付年月日 = '2026/11/20';
		paid[1].収納[0].最終納付年月日 = '2026/10/01';
		for (const r of paid[2].収納) r.最終納付年月日 = '2026/11/25';
		const sameBothWays = async (dir: string) => {
			const dry = await apply(dir, 'dry_run');
			const real = await apply(dir);
			expect(dry.status).toBe('dry_run');
			expect(real.status).toBe('applied');
			expect(real.changes).toEqual(dry.changes);
			expect(real.summary).toEqual(dry.summary);
			return real.changes!;
		};
		// a set with receipts that show a recent payment: 81 is held back, and only 81
		const withReceipts = await sameBothWays(writeSet(paid, { files: ['収納'] }));
		expect(withReceipts).toMatchObject({ suppressed: 1, resolved: 1, changedReceipts: 8 });
		const [q81] = await sql<{ state: string; waitReason: string | null }[]>`
			select q.state, q.wait_reason from call_queue q join households h on h.id = q.household_id where h.nhi_number = '00000081'`;
		expect(q81).toEqual({ state: 'waiting', waitReason: 'payment' });
		// sets without receipts, while 81 is still held back by its payment: they hold nobody back, dry or applied
		const householdsOnly = await sameBothWays(writeSet(paid, { files: ['世帯'] }));
		expect(householdsOnly).toMatchObject({ suppressed: 0, knownHouseholds: 4 });
		const withoutReceipts = await sameBothWays(writeSet(paid, { files: ['世帯', '個人'] }));
		expect(withoutReceipts.suppressed).toBe(0);
		// the full set again: the receipts are those kansho has, so no new payment and nobody newly held back
		const full = await sameBothWays(writeSet(paid));
		expect(full).toMatchObject({ suppressed: 0, changedReceipts: 0 });
	});

	it('reconciles promises: kept when payments by the date cover them, broken when the date has passed', async () => {
		const seg = (await sql<{ id: number }[]>`select id from segments`)[0].id;
		await apply(writeSet([household('00000061', '1000000061'), household('00000062', '1000000062')]));
		const hs = await sql<{ id: number; nhiNumber: string }[]>`select id, nhi_number from households order by nhi_number`;
		const op = await newUser(sql, 'operator');
		await sql`insert into operator_segments (user_id, segment_id) values (${op.id}, ${seg})`;
		// two promises made on 2026-11-10: 61 promises ¥15,000 by 11-20; 62 promises ¥10,000 by 11-15
		for (const [h, amount, due] of [[hs[0].id, 15_000, '2026-11-20'], [hs[1].id, 10_000, '2026-11-15']] as const) {
			await sql`insert into promises (household_id, amount, due_date, created_by, created_at) values (${h}, ${amount}, ${due}, ${op.id}, '2026-11-10T03:00:00Z')`;
		}
		const p61 = household('00000061', '1000000061', { paid: [10_000, 5_000] });
		p61.収納[0].最終納付年月日 = '2026/11/18';
		p61.収納[1].最終納付年月日 = '令和8年11月19日';
		const r = await apply(writeSet([p61, household('00000062', '1000000062')], { files: ['収納'] }));
		expect(r.changes).toMatchObject({ promisesKept: 1, promisesBroken: 1 });
		const ps = await sql<{ householdId: number; status: string }[]>`select household_id, status from promises order by household_id`;
		expect(ps).toEqual([
			{ householdId: hs[0].id, status: 'kept' },
			{ householdId: hs[1].id, status: 'broken' }
		]);
	});

	it('refuses a column that holds individual numbers (マイナンバー), by header or by its values', async () => {
		const dir = writeSet([household('00000071', '1000000071')]);
		writeWardFile(dir, '世帯.csv', [...HEADERS.世帯, '個人番号'], [{ ...household('00000071', '1000000071').世帯, 個人番号: '123456789018' }]);
		const r = await apply(dir);
		expect(r.status).toBe('rejected');
		expect(r.fileErrors[0]).toMatchObject({ file: '世帯.csv', line: 1, column: '個人番号' });

		const dir2 = writeSet([household('00000072', '1000000072')]);
		// a harmless-looking header, but every value is a valid 12-digit individual number
		writeWardFile(dir2, '世帯.csv', [...HEADERS.世帯, '備考'], [{ ...household('00000072', '1000000072').世帯, 備考: '123456789018' }]);
		const r2 = await apply(dir2);
		expect(r2.status).toBe('rejected');
		expect(r2.fileErrors[0]).toMatchObject({ file: '世帯.csv', column: '備考' });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from households`;
		expect(n).toBe(0);
	});

	it('reads UTF-8 with a BOM, free column order, spaced headers and quoted line breaks', async () => {
		const dir = tempDir();
		const h = household('00000081', '1000000081');
		h.世帯.住所 = '東京都新宿区大久保1-2-3\r\nコーポ大久保 101';
		const shuffled = [...HEADERS.世帯].reverse().map((x, i) => (i === 0 ? `　${x} ` : x));
		writeWardFile(dir, '世帯.csv', shuffled, [h.世帯], 'utf8bom');
		writeWardFile(dir, '個人.csv', [...HEADERS.個人, '未知の列'], [h.個人], 'utf8');
		writeWardFile(dir, '収納.csv', HEADERS.収納, h.収納, 'cp932');
		const r = await apply(dir);
		expect(r.rejected).toEqual([]);
		expect(r.status).toBe('applied');
		expect(r.files.map((f) => [f.name, f.encoding])).toEqual([
			['世帯.csv', 'utf8'],
			['個人.csv', 'utf8'],
			['収納.csv', 'cp932']
		]);
		expect(r.files[1].unknownColumns).toEqual(['未知の列']);
		const [row] = await sql<{ address: string }[]>`select address from households`;
		expect(row.address).toBe('東京都新宿区大久保1-2-3\nコーポ大久保 101');
	});

	it('refuses the rows of a known household whose 世帯.csv row is refused, and does not resolve it', async () => {
		await apply(writeSet([household('00000101', '1000000101'), household('00000102', '1000000102')]));
		const hs = [household('00000101', '1000000101'), household('00000102', '1000000102', { paid: [10_000] })];
		hs[1].世帯.被保険者数 = '二人';
		const r = await apply(writeSet(hs), 'apply_quarantine');
		expect(r.status).toBe('applied');
		expect(r.rejected.map((x) => [x.file, x.line])).toEqual([['世帯.csv', 3], ['個人.csv', 3], ...[8, 9, 10, 11, 12, 13].map((l) => ['収納.csv', l])]);
		expect(r.rejected[1].reason).toContain('世帯.csvの行が取り込めない');
		expect(r.changes?.resolved).toBe(0);
		const rows = await sql<{ status: string; received: number }[]>`
			select h.status, (select sum(received_total) from receipts r where r.household_id = h.id)::int as received
			from households h where h.nhi_number = '00000102'`;
		// still active, and its receipts untouched by the held-back rows
		expect(rows).toEqual([{ status: 'active', received: 0 }]);
	});

	it('refuses files that would silently lose data: a missing column, misaligned rows, an empty 世帯.csv, undecodable bytes', async () => {
		const dir = writeSet([household('00000111', '1000000111')]);
		writeWardFile(dir, '収納.csv', HEADERS.収納.filter((h) => h !== '収納額累計'), household('00000111', '1000000111').収納);
		const r = await apply(dir);
		expect(r.status).toBe('rejected');
		expect(r.fileErrors).toEqual([expect.objectContaining({ file: '収納.csv', line: 1, column: '収納額累計' })]);

		const dir2 = writeSet([household('00000112', '1000000112')]);
		// an unquoted comma in an address shifts every later column
		fs.appendFileSync(path.join(dir2, '世帯.csv'), iconv.encode('00000113,2026,1000000113,160-0023,東京都新宿区西新宿2-8-1,コーポ,A棟,090-1111-2222,,,,,,1,0\r\n', 'cp932'));
		const r2 = await apply(dir2);
		expect(r2.rejected).toContainEqual(expect.objectContaining({ file: '世帯.csv', line: 3, column: null, reason: expect.stringContaining('列の数') }));

		const dir3 = writeSet([]);
		const r3 = await apply(dir3);
		expect(r3.status).toBe('rejected');
		expect(r3.fileErrors[0]).toMatchObject({ file: '世帯.csv', reason: expect.stringContaining('世帯が0件') });

		const dir4 = writeSet([household('00000114', '1000000114')]);
		fs.appendFileSync(path.join(dir4, '個人.csv'), Buffer.from([0x31, 0x2c, 0x82, 0xff, 0x0d, 0x0a]));
		const r4 = await apply(dir4);
		expect(r4.rejected).toContainEqual(expect.objectContaining({ file: '個人.csv', line: 3, reason: expect.stringContaining('文字コード') }));
	});

	it('keeps 外字 (CP932 user area) as private-use characters, flags them, and counts lines of multi-line records', async () => {
		const dir = tempDir();
		const a = household('00000121', '1000000121');
		a.世帯.住所 = '東京都新宿区西新宿2-8-1\r\nコーポ新宿\r\n101号';
		// written as 〓 (0x81AC) and then patched to 0xF040, the first code of the CP932 user area (外字)
		const b = household('00000122', '1000000122', { name: '〓田　花子' });
		b.個人.生年月日 = '令和8年13月1日';
		b.世帯.被保険者数 = '二人';
		writeWardFile(dir, '世帯.csv', HEADERS.世帯, [a.世帯, b.世帯]);
		const writePersons = () => {
			const p = writeWardFile(dir, '個人.csv', HEADERS.個人, [a.個人, b.個人]);
			const buf = fs.readFileSync(p);
			const at = buf.indexOf(Buffer.from([0x81, 0xac]));
			buf[at] = 0xf0;
			buf[at + 1] = 0x40;
			fs.writeFileSync(p, buf);
		};
		writePersons();
		writeWardFile(dir, '収納.csv', HEADERS.収納, [...a.収納, ...b.収納]);
		const dry = await apply(dir, 'dry_run');
		// a's record spans lines 2–4 (its address has two line breaks), so b's starts on line 5
		expect(dry.rejected).toContainEqual(expect.objectContaining({ file: '世帯.csv', line: 5, column: '被保険者数' }));
		expect(dry.rejected).toContainEqual(expect.objectContaining({ file: '個人.csv', line: 3, column: '生年月日' }));
		b.個人.生年月日 = '';
		b.世帯.被保険者数 = '2';
		writeWardFile(dir, '世帯.csv', HEADERS.世帯, [a.世帯, b.世帯]);
		writePersons();
		const ok = await apply(dir);
		expect(ok.status).toBe('applied');
		const [p] = await sql<{ name: string; hasGaiji: boolean }[]>`select name, has_gaiji from persons where resident_number = '1000000122'`;
		expect(p).toEqual({ name: '\uE000田　花子', hasGaiji: true });
		const [h] = await sql<{ address: string }[]>`select address from households where nhi_number = '00000121'`;
		expect(h.address).toBe('東京都新宿区西新宿2-8-1\nコーポ新宿\n101号');
	});

	it('refuses unknown file names and roles that may not import', async () => {
		const dir = tempDir();
		writeWardFile(dir, 'setai.csv', ['a'], []);
		await expect(apply(dir)).rejects.toMatchObject({ code: 'invalid_input' });
		const op = await newUser(sql, 'operator');
		await expect(runImport(op, filesOf(writeSet([household('00000091', '1000000091')])), { mode: 'apply', source: 'test' })).rejects.toMatchObject({ code: 'forbidden' });
	});
});
