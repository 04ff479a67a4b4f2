/**
 * 日報・月報 (issue #8) against the real database: a scripted month (two teams and an operator without one, two
 * segments and inbound calls, promises due with every state, handoffs by reason, payments before and after the
 * first right-party contact, time in state, and statistics kept at an erasure). Every section adds up to the total,
 * the figures equal direct SQL over the rows, the files (PDF, CSV in CP932 and UTF-8, xlsx) carry the same figures,
 * the monthly report is made once on the first working day, bad input is named by field, and only supervisors and
 * managers may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { downloadPeriodReport, periodReport, reportSchedule, runScheduledMonthlyReport, setReportSchedule, storedReport } from '../../src/lib/server/reports/period-report.ts';
import { addsUp, REPORT_COLUMNS } from '../../src/lib/domain/period-report.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

const MONTH = '2026-09';
const at = (day: number, hour: number, min = 0) => new Date(`${MONTH}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(min).padStart(2, '0')}:00+09:00`);

async function call(opts: { household: number; operator: number; segment: number | null; outcome: string; at: Date; direction?: 'outbound' | 'inbound' }) {
	const [c] = await sql<{ id: number }[]>`
		insert into calls (household_id, segment_id, operator_id, direction, party, outcome_code, started_at, ended_at, recorded_at)
		values (${opts.household}, ${opts.segment}, ${opts.operator}, ${opts.direction ?? 'outbound'}, 'self', ${opts.outcome}, ${opts.at}, ${new Date(opts.at.getTime() + 120_000)}, ${opts.at})
		returning id`;
	return c.id;
}

describe('daily and monthly reports', () => {
	let manager: Actor;
	let supervisor: Actor;
	let a1: Actor;
	let a2: Actor;
	let b1: Actor;
	let segA: number;
	let segB: number;
	const hh: number[] = [];
	beforeAll(async () => {
		await resetDb(sql);
		manager = await newUser(sql, 'manager');
		supervisor = await newUser(sql, 'supervisor');
		segA = await newSegment(sql);
		segB = await newSegment(sql);
		a1 = await newOperator(sql, [segA]);
		a2 = await newOperator(sql, [segA, segB]);
		b1 = await newOperator(sql, [segB]);
		// a2's team as typed before the team field normalized it (full width, a trailing space): still A班
		await sql`update users set team = 'A班' where id = ${a1.id}`;
		await sql`update users set team = 'Ａ班　' where id = ${a2.id}`;
		for (let i = 0; i < 8; i++) hh.push(await newHousehold(sql, { segmentId: i < 4 ? segA : segB }));
		// calls on 9/1 and 9/15 (and one on 8/31 and one on 10/1: outside the month)
		await call({ household: hh[0], operator: a1.id, segment: segA, outcome: '10', at: at(1, 9) });
		const rpc0 = await call({ household: hh[0], operator: a1.id, segment: segA, outcome: '40', at: at(1, 10) });
		await call({ household: hh[1], operator: a1.id, segment: segA, outcome: '21', at: at(1, 11) });
		await call({ household: hh[1], operator: a2.id, segment: segA, outcome: '20', at: at(15, 14) }); // first RPC of hh1: a2
		await call({ household: hh[4], operator: a2.id, segment: segB, outcome: '50', at: at(15, 15) });
		await call({ household: hh[5], operator: b1.id, segment: segB, outcome: '10', at: at(15, 16) });
		const rpc5 = await call({ household: hh[5], operator: b1.id, segment: segB, outcome: '40', at: at(15, 18) });
		await call({ household: hh[6], operator: b1.id, segment: null, outcome: '20', at: at(20, 10), direction: 'inbound' });
		await call({ household: hh[7], operator: b1.id, segment: segB, outcome: '10', at: new Date('2026-08-31T23:59:00+09:00') });
		await call({ household: hh[7], operator: b1.id, segment: segB, outcome: '10', at: new Date('2026-10-01T00:00:00+09:00') });
		// promises: due in September with each state, one cancelled, one due in October
		await sql`insert into promises (household_id, call_id, amount, due_date, status, created_by) values
			(${hh[0]}, ${rpc0}, 12000, '2026-09-10', 'kept', ${a1.id}),
			(${hh[0]}, ${rpc0}, 5000, '2026-09-20', 'partly_kept', ${a1.id}),
			(${hh[5]}, ${rpc5}, 8000, '2026-09-25', 'broken', ${b1.id}),
			(${hh[5]}, ${rpc5}, 7000, '2026-09-28', 'cancelled', ${b1.id}),
			(${hh[5]}, ${rpc5}, 9000, '2026-10-05', 'pending', ${b1.id})`;
		// handoffs
		const [h4] = await sql<{ id: number }[]>`select id from calls where household_id = ${hh[4]}`;
		await sql`insert into handoffs (household_id, call_id, reason, created_by, created_at) values
			(${hh[4]}, ${h4.id}, 'installment', ${a2.id}, ${at(15, 15, 5)}),
			(${hh[6]}, null, 'complaint', ${b1.id}, ${at(20, 10, 5)})`;
		// payments: hh0 after its first RPC (9/1) → a1/segA; hh1 before its first RPC (9/15) → not counted, after → a2/segA;
		// hh3 never contacted → not counted
		await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values
			(${hh[0]}, 2025, 1, 12000, '2026-09-08'),
			(${hh[1]}, 2025, 1, 3000, '2026-09-03'),
			(${hh[1]}, 2025, 1, 4000, '2026-09-16'),
			(${hh[3]}, 2025, 1, 9999, '2026-09-16')`;
		await sql`update households set status = 'resolved', resolved_at = ${at(16, 12)} where id = ${hh[3]}`;
		// time in state: a1 on 9/1 from 9:00 to 12:00 (2 h available, 1 h break); b1 from 8/31 evening (available) to 9/1 1:00
		await sql`insert into operator_state_changes (user_id, state, at) values
			(${a1.id}, 'available', ${at(1, 9)}), (${a1.id}, 'break', ${at(1, 11)}), (${a1.id}, 'offline', ${at(1, 12)}),
			(${b1.id}, 'available', ${new Date('2026-08-31T23:00:00+09:00')}), (${b1.id}, 'offline', ${at(1, 1)})`;
		// statistics kept at an erasure for September
		await sql`insert into stats_calls (grain, period, attempts, answered_attempts, households_attempted, households_contacted, right_party_contacts, promises, promised_amount, inbound, handoffs)
			values ('month', '2026-09-01', 5, 3, 2, 2, 1, 1, 6000, 0, 0)`;
		await sql`insert into stats_promises (grain, period, due, kept, broken, cancelled, open, partly_kept) values ('month', '2026-09-01', 3, 1, 1, 1, 0, 0)`;
		await sql`insert into stats_payments (grain, period, amount_after_contact) values ('month', '2026-09-01', 2500)`;
		await sql`insert into stats_handoffs (day, reason, status, handoffs) values ('2026-09-09', 'hardship', 'resolved', 2)`;
		// the call plan: the week of Monday 9/14 for segment A (and one of 10/5, not in September's report)
		const [plan] = await sql<{ id: number }[]>`insert into call_plans (fiscal_year, title) values (2026, '令和8年度 納付案内計画') returning id`;
		await sql`insert into call_plan_weeks (plan_id, week_start, segment_id, target_attempts, target_contacts, target_promises, staff_hours) values
			(${plan.id}, '2026-09-14', ${segA}, 10, 4, 2, 8), (${plan.id}, '2026-10-05', ${segA}, 50, 10, 5, 8)`;
	});

	it('sets the month against the call plan, in the report and its files', async () => {
		const r = await periodReport(manager, { kind: 'month', period: MONTH });
		expect(r.plan?.name).toBe('令和8年度 納付案内計画');
		expect(r.plan?.weeks).toEqual(['2026-09-14']);
		// segment A in the week of 9/14: one call (a2's, 9/15, reaching the payer), no promise
		const a = r.plan!.rows.find((x) => x.key === String(segA))!;
		expect(a).toMatchObject({ targets: { attempts: 10, contacts: 4, promises: 2 }, actuals: { attempts: 1, contacts: 1, promises: 0 } });
		expect(a.progress.attempts).toBeCloseTo(0.1);
		expect(r.plan!.rows.at(-1)!.key).toBe('total');
		const csv = iconv.decode(Buffer.from((await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'csv' })).body), 'cp932');
		expect(csv).toContain('計画対比（月曜日がこの月にある週）: 令和8年度 納付案内計画');
		// a daily report has no plan section; nor a month without a plan
		expect((await periodReport(manager, { kind: 'day', period: '2026-09-15' })).plan).toBeUndefined();
		expect((await periodReport(manager, { kind: 'month', period: '2025-09' })).plan).toBeNull();
	});

	it('adds up in every section, and the figures equal the rows', async () => {
		const r = await periodReport(manager, { kind: 'month', period: MONTH });
		for (const dim of ['operator', 'team', 'segment'] as const) expect(addsUp(r, dim), dim).toEqual([]);
		const t = r.total.measures;
		const [direct] = await sql<{ n: number; households: number; rpc: number }[]>`
			select count(*)::int as n, count(distinct household_id)::int as households,
			  count(distinct household_id) filter (where o.right_party)::int as rpc
			from calls c join outcome_codes o on o.code = c.outcome_code
			where recorded_at >= '2026-09-01T00:00:00+09:00' and recorded_at < '2026-10-01T00:00:00+09:00'`;
		expect(direct.n).toBe(8);
		expect(t.attempts).toBe(direct.n + 5); // + kept statistics
		expect(t.householdsAttempted).toBe(direct.households + 2);
		expect(t.rightPartyContacts).toBe(direct.rpc + 1);
		expect(t).toMatchObject({
			promises: 2 + 1,
			inbound: 1,
			promisesDue: 3 + 2,
			promisesKept: 1 + 1,
			promisesPartlyKept: 1,
			promisesBroken: 1 + 1,
			handoffInstallment: 1,
			handoffComplaint: 1,
			handoffHardship: 2,
			collectedAfterContact: 12000 + 4000 + 2500,
			householdsResolved: 1,
			lettersSent: 0,
			secondsAvailable: 2 * 3600 + 3600,
			secondsBreak: 3600
		});
		const op = (a: Actor) => r.operators.find((o) => o.key === String(a.id))!;
		expect(op(a1).measures).toMatchObject({ attempts: 3, householdsAttempted: 2, rightPartyContacts: 1, promises: 1, promisesDue: 2, promisesKept: 1, collectedAfterContact: 12000, secondsAvailable: 7200, secondsBreak: 3600 });
		expect(op(a1).team).toBe('A班');
		expect(op(a2).team).toBe('A班');
		expect(r.teams.map((x) => x.key).filter((k) => k.includes('班'))).toEqual(['A班']);
		expect(op(a2).measures).toMatchObject({ attempts: 2, handoffInstallment: 1, collectedAfterContact: 4000 });
		expect(op(b1).measures).toMatchObject({ attempts: 3, inbound: 1, promisesBroken: 1, handoffComplaint: 1, secondsAvailable: 3600 });
		expect(op(b1).measures.lettersSent).toBeNull();
		// teams: A班 = a1 + a2; b1 has none
		const teamA = r.teams.find((x) => x.key === 'A班')!;
		expect(teamA.measures.attempts).toBe(5);
		expect(teamA.measures.householdsAttempted).toBe(3); // hh0, hh1 (both a1 and a2: once), hh4
		expect(r.teams.find((x) => x.key === '')!.measures.attempts).toBe(3);
		// segments: inbound has none
		expect(r.segments.find((x) => x.key === String(segA))!.measures.attempts).toBe(4);
		expect(r.segments.find((x) => x.key === '0')!.measures).toMatchObject({ attempts: 1, inbound: 1, handoffComplaint: 1 });
		expect(r.segments.find((x) => x.key === '0')!.measures.secondsAvailable).toBeNull();
		// the erased households are a row of their own in every section
		for (const s of [r.operators, r.teams, r.segments]) expect(s.find((x) => x.key === 'erased')!.measures.attempts).toBe(5);
		expect(r.total.rates.keptRate).toBeCloseTo(2 / 5);
		expect(r.series).toHaveLength(30);
		expect(r.series[0]).toMatchObject({ label: '1', attempts: 3 });
		expect(r.partial).toBeNull();
	});

	it('reports a day by hour', async () => {
		const r = await periodReport(supervisor, { kind: 'day', period: '2026-09-15' });
		expect(r.total.measures.attempts).toBe(4);
		expect(r.series.find((s) => s.label === '18時')).toMatchObject({ attempts: 1, promises: 1 });
		expect(r.operators.map((o) => o.key).sort()).toEqual([String(a2.id), String(b1.id)].sort());
		for (const dim of ['operator', 'team', 'segment'] as const) expect(addsUp(r, dim)).toEqual([]);
	});

	it('writes the same figures to CSV (CP932 and UTF-8), Excel and PDF, and records each file', async () => {
		const r = await periodReport(manager, { kind: 'month', period: MONTH });
		const csv = await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'csv' });
		expect(csv.name).toBe('月報_2026-09.csv');
		const text = iconv.decode(Buffer.from(csv.body), 'cp932');
		expect(text.startsWith('月報 2026年9月')).toBe(true);
		const rows = parse(text, { relax_column_count: true }) as string[][];
		const at = rows.findIndex((x) => x[0] === '' && x.includes('架電件数'));
		const [header, total] = [rows[at], rows[at + 1]];
		expect(total[0]).toBe('合計');
		expect(Number(total[header.indexOf('架電件数')])).toBe(r.total.measures.attempts);
		expect(Number(total[header.indexOf('約束金額（円）')])).toBe(r.total.measures.promisedAmount);
		const a1row = rows.find((x) => x[0] === a1.displayName)!;
		expect(a1row[1]).toBe('A班');
		// rates as percentages (one decimal, as the page shows them), and the header says so; none as a fraction
		const contact = r.total.rates.contactRate!;
		expect(contact).toBeGreaterThan(0);
		expect(header).toContain('接触率（%）');
		expect(header).not.toContain('接触率');
		expect(total[header.indexOf('接触率（%）')]).toBe((Math.round(contact * 10_000) / 100).toFixed(1));
		for (const c of ['応答率（%）', '接触率（%）', '本人接触率（%）', '納付約束率（%）', '約束履行率（%）']) expect(total[header.indexOf(c)], c).toMatch(/^(\d{1,3}\.\d)?$/);
		// the plan's progress too (segment A: 1 call of 10 planned)
		const planAt = rows.findIndex((x) => x[0] === '区分' && x.includes('架電件数 達成率（%）'));
		expect(planAt).toBeGreaterThan(0);
		const segRow = rows.slice(planAt + 1).find((x) => Number(x[1]) === 10)!;
		expect(segRow[rows[planAt].indexOf('架電件数 達成率（%）')]).toBe('10.0');

		const utf8 = await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'csv-utf8' });
		const u = Buffer.from(utf8.body);
		expect([...u.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		// the same text, but for the dashes CP932 has in their Windows forms
		// (and the time it was made)
		const made = /^作成 .*$/m;
		expect(u.toString('utf8').slice(1).replace(made, '')).toBe(text.replace(/～/g, '〜').replace(/―/g, '—').replace(made, ''));

		const xlsx = await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'xlsx' });
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(Buffer.from(xlsx.body) as unknown as ArrayBuffer);
		const ops = wb.getWorksheet('オペレーター別')!;
		const head = (ops.getRow(4).values as unknown[]).map(String);
		const col = head.indexOf('架電件数');
		let sum = 0;
		ops.eachRow((row, i) => {
			if (i > 4) sum += Number(row.getCell(col).value ?? 0);
		});
		expect(sum).toBe(r.total.measures.attempts);
		expect(wb.getWorksheet('注記')!.getRow(1).getCell(1).value).toContain('架電件数');

		const pdf = await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'pdf' });
		expect(Buffer.from(pdf.body).subarray(0, 5).toString()).toBe('%PDF-');
		const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf.body) }).promise;
		let all = '';
		for (let i = 1; i <= doc.numPages; i++) all += (await (await doc.getPage(i)).getTextContent()).items.map((x) => ('str' in x ? x.str : '')).join(' ');
		expect(all).toContain('月報 2026年9月');
		expect(all).toContain(a1.displayName);
		expect(all).toContain('¥18,500'); // collected after contact, total
		const files = (await sql<{ format: string; requestedBy: number; sha256: string }[]>`select format, requested_by, sha256 from report_files where source = 'download' order by id`).slice(-4);
		expect(files.map((f) => f.format)).toEqual(['csv', 'csv-utf8', 'xlsx', 'pdf']);
		expect(files.every((f) => f.requestedBy === manager.id)).toBe(true);
		expect(files[0].sha256).toBe(csv.sha256);
		// in English: (%)
		const en = iconv.decode(Buffer.from((await downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'csv' }, 'en')).body), 'cp932');
		expect(en).toContain('Contact rate (%)');
	});

	it('makes the monthly report once, on the first working day of the next month', async () => {
		// 2026-10-01 is a Thursday (a working day): September's report is due
		// on 9/30, the month due is August (made now, as a catch-up: its first working day, 9/1, has passed)
		expect(await runScheduledMonthlyReport(new Date('2026-09-30T12:00:00+09:00'))).toMatchObject({ month: '2026-08' });
		const made = await runScheduledMonthlyReport(new Date('2026-10-01T06:00:00+09:00'));
		expect(made).toEqual({ month: '2026-09', made: ['pdf', 'xlsx', 'csv'] });
		expect(await runScheduledMonthlyReport(new Date('2026-10-02T06:00:00+09:00'))).toBeNull();
		const { stored, schedule } = await reportSchedule(manager);
		expect(stored.filter((s) => s.period === '2026-09').map((s) => s.format).sort()).toEqual(['csv', 'pdf', 'xlsx']);
		const file = await storedReport(supervisor, { id: stored.find((s) => s.period === '2026-09' && s.format === 'csv')!.id });
		expect(iconv.decode(Buffer.from(file.body), 'cp932')).toContain('月報 2026年9月');
		// off: nothing made
		await setReportSchedule(manager, { monthlyEnabled: false, formats: ['pdf'], version: schedule.version });
		expect(await runScheduledMonthlyReport(new Date('2026-11-02T06:00:00+09:00'))).toBeNull();
		// a stale change is refused and changes nothing
		await expect(setReportSchedule(manager, { monthlyEnabled: true, formats: ['pdf'], version: schedule.version })).rejects.toMatchObject({ code: 'conflict' });
		expect((await reportSchedule(manager)).schedule.monthlyEnabled).toBe(false);
		await setReportSchedule(manager, { monthlyEnabled: true, formats: ['pdf', 'xlsx', 'csv'], version: schedule.version + 1 });
	});

	it('names bad input by field', async () => {
		await expect(periodReport(manager, { kind: 'week', period: MONTH })).rejects.toMatchObject({ code: 'invalid_input', details: { kind: expect.any(String) } });
		await expect(periodReport(manager, { kind: 'month', period: '2026-13' })).rejects.toMatchObject({ code: 'invalid_input', details: { period: expect.any(String) } });
		await expect(periodReport(manager, { kind: 'day', period: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_input', details: { period: 'no_such_date' }, params: { period: { value: '2026-02-30' } }, message: expect.stringContaining('存在しない') });
		await expect(periodReport(manager, { kind: 'month', period: '2026-1' })).rejects.toMatchObject({ details: { period: 'month_format' } });
		await expect(downloadPeriodReport(manager, { kind: 'month', period: MONTH, format: 'docx' })).rejects.toMatchObject({ code: 'invalid_input', details: { format: expect.any(String) } });
		await expect(setReportSchedule(manager, { monthlyEnabled: true, formats: [], version: 1 })).rejects.toMatchObject({ code: 'invalid_input', details: { formats: expect.any(String) } });
		await expect(storedReport(manager, { id: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(storedReport(manager, { id: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
	});

	it('is for supervisors and managers only; the schedule for managers', async () => {
		for (const role of ['operator', 'staff', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(periodReport(u, { kind: 'month', period: MONTH })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(downloadPeriodReport(u, { kind: 'month', period: MONTH, format: 'csv' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		await expect(setReportSchedule(supervisor, { monthlyEnabled: true, formats: ['pdf'], version: 1 })).rejects.toMatchObject({ code: 'forbidden' });
		expect(REPORT_COLUMNS.every((c) => c.formula.ja && c.formula.en)).toBe(true);
	});
});
