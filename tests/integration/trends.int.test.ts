/**
 * 収納率の推移 (issue #8) on the demo data (three fiscal years, loaded through the import as on `npm start`): the
 * trend of the previous years and this one equals a direct SQL computation over the receipt rows, the filters
 * (segment, district, nationality, 居所不明) narrow it as they say, the CSV carries the same figures, bad input is
 * named by field, and only supervisors and managers may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { testSql, resetDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { closeDb, db } from '../../src/lib/server/db.ts';
import { seedDemo } from '../../src/lib/server/demo/demo.ts';
import { collectionTrends, collectionTrendsCsv, collectionTrendsFile, refreshCollectionTrends } from '../../src/lib/server/reports/trends.ts';
import ExcelJS from 'exceljs';
import { refreshCollectionCells } from '../../src/lib/server/reports/trends.queries.ts';
import { fiscalYearOf, tokyoDate } from '../../src/lib/domain/format.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

const DATE = `coalesce(last_received_on, received_on, last_paid_on, paid_on)`;

/** The cumulative current-year rate of fiscal year fy to the end of month index i (0 = April), straight from the rows. */
async function directCurrent(fy: number, i: number, where = sql``) {
	const end = new Date(Date.UTC(fy, 3 + i + 1, 1)).toISOString().slice(0, 10);
	const [r] = await sql<{ assessed: number; received: number }[]>`
		select coalesce(sum(assessed), 0)::bigint as assessed,
		  coalesce(sum(received_total) filter (where received_total > 0 and (${sql.unsafe(DATE)} is null or ${sql.unsafe(DATE)} < ${end}::date)), 0)::bigint as received
		from receipts r where fiscal_year = ${fy} ${where}`;
	return { assessed: Number(r.assessed), received: Number(r.received) };
}

/** The carried-over arrears of fy to the end of month index i, row by row. */
async function directArrears(fy: number, i: number) {
	const start = `${fy}-04-01`;
	const end = new Date(Date.UTC(fy, 3 + i + 1, 1)).toISOString().slice(0, 10);
	const [r] = await sql<{ assessed: number; received: number }[]>`
		select coalesce(sum(assessed - case when received_total > 0 and (${sql.unsafe(DATE)} is null or ${sql.unsafe(DATE)} < ${start}::date) then received_total else 0 end), 0)::bigint as assessed,
		  coalesce(sum(received_total) filter (where received_total > 0 and ${sql.unsafe(DATE)} >= ${start}::date and ${sql.unsafe(DATE)} < ${end}::date), 0)::bigint as received
		from receipts where fiscal_year < ${fy}`;
	return { assessed: Number(r.assessed), received: Number(r.received) };
}

describe('collection-rate trends on the demo data', () => {
	let manager: Actor;
	const fy = fiscalYearOf(tokyoDate());
	beforeAll(async () => {
		await resetDb(sql);
		await seedDemo(db(), { households: 400, seed: 7 });
		manager = await newUser(sql, 'manager');
	}, 120_000);

	it('has three fiscal years, and each year’s months equal a direct computation over the receipts', async () => {
		const r = await collectionTrends(manager, {});
		expect(r.fiscalYear).toBe(fy);
		expect(r.choices.fiscalYears).toEqual([fy - 2, fy - 1, fy]);
		expect(r.years.map((y) => y.fiscalYear)).toEqual([fy, fy - 1, fy - 2]);
		for (const y of r.years)
			for (const [i, p] of y.points.entries()) {
				const d = await directCurrent(y.fiscalYear, i);
				expect(p.amounts.current, `${y.fiscalYear} ${p.month}`).toEqual(d);
			}
		// the previous year is complete: its rate rose over the year and is a real rate
		const prev = r.years[1];
		expect(prev.points.every((p) => !p.future)).toBe(true);
		expect(prev.points[11].rates.current!).toBeGreaterThan(prev.points[0].rates.current!);
		expect(prev.points[11].rates.current!).toBeLessThan(1);
		// carried-over arrears: known for the two later years, row by row equal
		expect(r.years[2].arrearsKnown).toBe(false);
		for (const y of r.years.slice(0, 2))
			for (const i of [0, 5, 11]) expect(y.points[i].amounts.arrears, `${y.fiscalYear} ${i}`).toEqual(await directArrears(y.fiscalYear, i));
	});

	it('narrows to a district, a nationality group and a segment', async () => {
		const [{ district }] = await sql<{ district: string }[]>`select district from households where district is not null group by district order by count(*) desc limit 1`;
		const r = await collectionTrends(manager, { fy: String(fy - 1), district });
		const ids = sql`and household_id in (select id from households where district = ${district})`;
		expect(r.years[0].points[11].amounts.current).toEqual(await directCurrent(fy - 1, 11, ids));
		const all = await collectionTrends(manager, { fy: String(fy - 1) });
		const jp = await collectionTrends(manager, { fy: String(fy - 1), nationality: 'jp' });
		const foreign = await collectionTrends(manager, { fy: String(fy - 1), nationality: 'foreign' });
		// the two groups make the whole
		expect(jp.years[0].points[11].amounts.current.assessed + foreign.years[0].points[11].amounts.current.assessed).toBe(all.years[0].points[11].amounts.current.assessed);
		expect(foreign.years[0].points[11].amounts.current.assessed).toBeGreaterThan(0);
		// the breakdown by nationality equals the filtered views
		expect(all.breakdown.nationality.find((b) => b.key === 'foreign')!.rates.total).toBeCloseTo(foreign.years[0].points[11].rates.total!, 10);
		const [{ segmentId }] = await sql<{ segmentId: number }[]>`select segment_id from call_queue group by segment_id order by count(*) desc limit 1`;
		const seg = await collectionTrends(manager, { fy: String(fy - 1), segment: String(segmentId) });
		const inSeg = sql`and household_id in (select household_id from call_queue where segment_id = ${segmentId})`;
		expect(seg.years[0].points[11].amounts.current).toEqual(await directCurrent(fy - 1, 11, inSeg));
	});

	it('leaves out the households whose whereabouts are unknown when asked', async () => {
		const [h] = await sql<{ householdId: number }[]>`select household_id from receipts where fiscal_year = ${fy - 1} group by household_id order by sum(assessed) desc limit 1`;
		const before = await collectionTrends(manager, { fy: String(fy - 1), excludeUnknown: '1' });
		await sql`insert into letter_returns (household_id, reason, returned_on) values (${h.householdId}, 'unknown_address', ${tokyoDate()})`;
		// the summary is marked stale by the letter return (a trigger), and says so until it is rebuilt
		const stale = await collectionTrends(manager, { fy: String(fy - 1), excludeUnknown: '1' });
		expect(stale.asOf.stale).toBe(true);
		expect(stale.years[0].points[11].amounts).toEqual(before.years[0].points[11].amounts);
		expect(await refreshCollectionCells(db())).toMatchObject({ refreshed: true });
		expect(await refreshCollectionCells(db())).toEqual({ refreshed: false }); // fresh: nothing to do
		const all = await collectionTrends(manager, { fy: String(fy - 1) });
		const known = await collectionTrends(manager, { fy: String(fy - 1), excludeUnknown: '1' });
		const [own] = await sql<{ assessed: number }[]>`select sum(assessed)::bigint as assessed from receipts where fiscal_year = ${fy - 1} and household_id = ${h.householdId}`;
		expect(all.years[0].points[11].amounts.current.assessed - known.years[0].points[11].amounts.current.assessed).toBe(Number(own.assessed));
		expect(known.filter.excludeUnknown).toBe(true);
		expect(known.asOf.stale).toBe(false);
	});

	it('exports the data behind the charts as CSV with the same figures', async () => {
		const r = await collectionTrends(manager, { fy: String(fy - 1) });
		const csv = await collectionTrendsCsv(manager, { fy: String(fy - 1) }, 'cp932');
		const rows = parse(iconv.decode(Buffer.from(csv.body), 'cp932')) as string[][];
		expect(rows[0].slice(0, 3)).toEqual(['年度', '月', '現年分調定額']);
		const march = rows.find((x) => x[0] === String(fy - 1) && x[1] === '3月')!;
		expect(Number(march[3])).toBe(r.years[0].points[11].amounts.current.received);
		expect(march[4]).toBe(`${(Math.round(r.years[0].points[11].rates.current! * 100_000) / 1000).toFixed(3)}%`);
		// Excel and PDF carry the same March figure
		const x = await collectionTrendsFile(manager, { fy: String(fy - 1) }, 'xlsx');
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(x.body) as unknown as ArrayBuffer);
		const sheet = wb.getWorksheet('現年分')!;
		expect(sheet.getRow(4).getCell(1).value).toBe('月');
		expect(sheet.getRow(16).getCell(1).value).toBe('3月');
		expect(Number(sheet.getRow(16).getCell(2).value)).toBeCloseTo(r.years[0].points[11].rates.current!, 10);
		const pdf = await collectionTrendsFile(manager, { fy: String(fy - 1) }, 'pdf');
		const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf.body) }).promise;
		expect(doc.numPages).toBe(3);
		const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
		expect(text).toContain(`収納率の推移 ${fy - 1}年度`);
		expect(text).toContain(`${(Math.round(r.years[0].points[11].rates.current! * 1000) / 10).toFixed(1)}%`);
		await expect(collectionTrendsFile(manager, {}, 'docx')).rejects.toMatchObject({ code: 'invalid_input', details: { format: expect.any(String) } });
		const utf8 = await collectionTrendsCsv(manager, { fy: String(fy - 1) }, 'utf8');
		expect(Buffer.from(utf8.body).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
	});

	it('names bad input by field, and is for supervisors and managers only', async () => {
		await expect(collectionTrends(manager, { fy: 'x' })).rejects.toMatchObject({ code: 'invalid_input', details: { fy: expect.any(String) } });
		await expect(collectionTrends(manager, { nationality: 'mars' })).rejects.toMatchObject({ code: 'invalid_input', details: { nationality: expect.any(String) } });
		await expect(collectionTrends(manager, { segment: '-3' })).rejects.toMatchObject({ code: 'invalid_input', details: { segment: expect.any(String) } });
		await expect(collectionTrends(manager, { excludeUnknown: 'maybe' })).rejects.toMatchObject({ code: 'invalid_input', details: { excludeUnknown: expect.any(String) } });
		expect((await collectionTrends(await newUser(sql, 'supervisor'), {})).fiscalYear).toBe(fy);
		for (const role of ['operator', 'staff', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(collectionTrends(u, {})).rejects.toMatchObject({ code: 'forbidden' });
			await expect(refreshCollectionTrends(u)).rejects.toMatchObject({ code: 'forbidden' });
		}
		// a manager may sum again now (forced, even when fresh)
		expect(await refreshCollectionTrends(manager)).toMatchObject({ refreshed: true, ms: expect.any(Number) });
	});
});
