/**
 * 日報・月報 (issue #8): the daily and monthly report per operator, team and segment and in total, on the page and
 * as PDF, CSV (CP932 or UTF-8) and Excel; every file made is recorded (report_files), and the monthly report can be
 * made by the sweeper on the first working day of the next month (kept in report_files for managers to download).
 * Aggregates only: a report names operators and segments, never a household, so nothing here is written to the
 * access log (as the manager's page). Policy: reports.view (supervisors, managers); the schedule: reports.schedule.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems, invalidInput } from '../errors.ts';
import { problem } from '../../domain/field-problem.ts';
import { tokyoDate } from '../../domain/format.ts';
import { tokyoAt } from '../../domain/tokyo-time.ts';
import { stateSeconds, timedStates } from '../../domain/performance.ts';
import { daysOfMonth, firstWorkingDayOf } from '../../domain/collection-rate.ts';
import {
	assembleReport,
	nextMonth,
	previousMonth,
	reportPeriod,
	stateKey,
	type Dimension,
	type PeriodReport,
	type ReportKind,
	type ReportMeasures
} from '../../domain/period-report.ts';
import * as q from './period-report.queries.ts';
import { stateChanges } from './performance.queries.ts';
import { renderReport, reportFileName, type ReportFormat, reportFormats } from './report-files.ts';
import { sha256Hex } from '../erasure/certificate.ts';
import { planMonthProgress } from '../plan/plan.ts';

type Lang = 'ja' | 'en';

/** The period, or an invalid_input refusal naming the field with its stable code (validation.<code>). */
function parsePeriod(raw: { kind?: unknown; period?: unknown }) {
	const p = reportPeriod(raw.kind, raw.period);
	if ('error' in p) throw fieldProblems({ [p.field]: problem(p.code, p.error, p.params) });
	return p;
}

/** Read and assemble the report of a period (no policy check: callers check). */
export async function buildPeriodReport(sql: Db, kind: ReportKind, period: string, lang: Lang, now = new Date()): Promise<PeriodReport> {
	const p = parsePeriod({ kind, period });
	const [calls, promises, handoffs, payments, totals, erased, changes, series] = await Promise.all([
		q.callMeasures(sql, p.from, p.to),
		q.promiseMeasures(sql, p.from, p.to),
		q.handoffMeasures(sql, p.from, p.to),
		q.paymentMeasures(sql, p.from, p.to),
		q.totalsOnly(sql, p.from, p.to),
		q.erasedMeasures(sql, kind, p.from, p.to),
		stateChanges(sql, tokyoAt(p.from), tokyoAt(p.to)),
		q.series(sql, kind, p.from, p.to)
	]);
	const live: Record<Dimension | 'total', Map<string, Partial<ReportMeasures>>> = { operator: new Map(), team: new Map(), segment: new Map(), total: new Map([['', {}]]) };
	for (const rows of [calls, promises, handoffs, payments])
		for (const { dim, key, ...m } of rows) {
			const map = live[dim];
			map.set(key, { ...map.get(key), ...m });
		}
	live.total.set('', { ...live.total.get(''), ...totals });

	// time in each state: operators (and the supervisors who took calls) from their recorded changes
	const byUser = new Map<number, { state: string; at: Date }[]>();
	for (const c of changes) byUser.set(c.userId, [...(byUser.get(c.userId) ?? []), c]);
	const seconds = new Map<string, Record<string, number>>();
	for (const [userId, list] of byUser) {
		const s = stateSeconds(list, tokyoAt(p.from), tokyoAt(p.to), now);
		if (timedStates.some((k) => s[k] > 0)) seconds.set(String(userId), s);
	}
	const userIds = [...new Set([...live.operator.keys(), ...seconds.keys()].map(Number))];
	const segmentIds = [...live.segment.keys()].map(Number).filter((n) => n > 0);
	const { users, segments } = await q.names(sql, userIds, segmentIds);
	const operatorNames = new Map(users.map((u) => [String(u.id), { name: u.displayName, team: u.team }]));
	const addTime = (map: Map<string, Partial<ReportMeasures>>, key: string, s: Record<string, number>) => {
		const m = { ...(map.get(key) ?? {}) } as Record<string, number>;
		for (const k of timedStates) m[stateKey[k]] = (m[stateKey[k]] ?? 0) + s[k];
		map.set(key, m as Partial<ReportMeasures>);
	};
	for (const [userId, s] of seconds) {
		addTime(live.operator, userId, s);
		addTime(live.team, operatorNames.get(userId)?.team ?? '', s);
		addTime(live.total, '', s);
	}
	const series_ =
		kind === 'day'
			? Array.from({ length: 24 }, (_, h) => series.find((r) => Number(r.bucket) === h) ?? { bucket: h, attempts: 0, rightPartyContacts: 0, promises: 0 })
					.filter((r) => (r.bucket as number) >= 7 && (r.bucket as number) <= 21)
					.map((r) => ({ label: `${r.bucket}${lang === 'ja' ? '時' : ':00'}`, attempts: r.attempts, rightPartyContacts: r.rightPartyContacts, promises: r.promises }))
			: daysOfMonth(period).map((d) => {
					const r = series.find((x) => x.bucket === d);
					return { label: String(Number(d.slice(8))), attempts: r?.attempts ?? 0, rightPartyContacts: r?.rightPartyContacts ?? 0, promises: r?.promises ?? 0 };
				});
	const report = assembleReport({
		...p,
		generatedAt: now.toISOString(),
		today: tokyoDate(now),
		live,
		erased: erased,
		operatorNames,
		segmentNames: new Map(segments.map((s) => [String(s.id), lang === 'ja' ? s.nameJa : s.nameEn])),
		series: series_,
		lang
	});
	if (kind === 'month') {
		const plan = await planMonthProgress({ month: period }, now);
		const label = (ja: string, en: string) => (lang === 'ja' ? ja : en);
		report.plan = plan
			? {
					name: plan.planName,
					weeks: plan.weeks,
					rows: [
						...plan.segments.map((s) => ({ key: String(s.segmentId), label: label(s.nameJa, s.nameEn), targets: s.targets, actuals: s.actuals, progress: s.progress })),
						{ key: 'total', label: label('合計', 'Total'), targets: plan.total.targets, actuals: plan.total.actuals, progress: plan.total.progress }
					]
				}
			: null;
	}
	return report;
}

/** The report of a day or a month for the page. Policy: reports.view. */
export async function periodReport(actor: Actor, raw: { kind?: unknown; period?: unknown }, lang: Lang = 'ja', now = new Date()): Promise<PeriodReport> {
	requirePermission(actor, 'reports.view');
	const p = parsePeriod(raw);
	return buildPeriodReport(db(), p.kind, p.period, lang, now);
}

const formatInput = z.enum(reportFormats, { error: `format: one of ${reportFormats.join(', ')} / 形式は ${reportFormats.join('・')} のいずれかです` });

export interface ReportDownload {
	name: string;
	contentType: string;
	body: Uint8Array;
	sha256: string;
}

/** Make a report file and record it (who, when, which, SHA-256). Policy: reports.view. */
export async function downloadPeriodReport(
	actor: Actor,
	raw: { kind?: unknown; period?: unknown; format?: unknown },
	lang: Lang = 'ja',
	now = new Date()
): Promise<ReportDownload> {
	requirePermission(actor, 'reports.view');
	const p = parsePeriod(raw);
	const f = formatInput.safeParse(raw.format);
	if (!f.success) throw invalidInput(f.error.issues.map((i) => ({ ...i, path: ['format'] })));
	const report = await buildPeriodReport(db(), p.kind, p.period, lang, now);
	const file = await renderReport(report, f.data, lang);
	const sha256 = sha256Hex(file.body);
	await db()`insert into report_files (kind, period, format, source, requested_by, bytes, sha256)
		values (${p.kind}, ${p.from}, ${f.data}, 'download', ${actor.id}, ${file.body.byteLength}, ${sha256})`;
	return { name: reportFileName(p.kind, p.period, f.data), contentType: file.contentType, body: file.body, sha256 };
}

// ---------------------------------------------------------------------------------------------------------
// The scheduled monthly report

export interface ReportSchedule {
	monthlyEnabled: boolean;
	formats: ReportFormat[];
	version: number;
	updatedAt: Date;
}

export interface StoredReport {
	id: number;
	kind: ReportKind;
	period: string;
	format: ReportFormat;
	bytes: number;
	sha256: string;
	createdAt: Date;
}

export async function reportSchedule(actor: Actor): Promise<{ schedule: ReportSchedule; stored: StoredReport[]; nextRun: string }> {
	requirePermission(actor, 'reports.view');
	const sql = db();
	const [[schedule], stored] = await Promise.all([
		sql<ReportSchedule[]>`select monthly_enabled, formats, version, updated_at from report_schedule`,
		sql<StoredReport[]>`select id, kind, to_char(period, 'YYYY-MM') as period, format, bytes, sha256, created_at from report_files
			where source = 'schedule' order by period desc, format limit 120`
	]);
	const thisMonth = tokyoDate().slice(0, 7);
	const first = firstWorkingDayOf(thisMonth);
	const next = tokyoDate() <= first ? first : firstWorkingDayOf(nextMonth(thisMonth));
	return { schedule, stored, nextRun: next };
}

const scheduleInput = z.object({
	monthlyEnabled: z.boolean(),
	formats: z.array(formatInput).min(1, 'formats: choose at least one / 形式を1つ以上選んでください'),
	version: z.coerce.number().int().positive()
});

/** Change the monthly report's schedule (stale versions refused). Policy: reports.schedule. */
export async function setReportSchedule(actor: Actor, raw: unknown): Promise<ReportSchedule> {
	requirePermission(actor, 'reports.schedule');
	const parsed = scheduleInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const s = parsed.data;
	const [row] = await db()<ReportSchedule[]>`
		update report_schedule set monthly_enabled = ${s.monthlyEnabled}, formats = ${[...new Set(s.formats)]}::text[], version = version + 1,
		  updated_by = ${actor.id}, updated_at = now()
		where version = ${s.version}
		returning monthly_enabled, formats, version, updated_at`;
	if (!row) throw new DomainError('conflict', 'スケジュールは他の人が変更しました。読み込み直してください / the schedule was changed by someone else: reload');
	return row;
}

/**
 * The sweeper's job: on or after the first working day of a month, make last month's report in the scheduled
 * formats, once (a unique index per month and format: two instances cannot both store it). Returns what it made.
 */
export async function runScheduledMonthlyReport(now = new Date()): Promise<{ month: string; made: ReportFormat[] } | null> {
	const sql = db();
	const [schedule] = await sql<{ monthlyEnabled: boolean; formats: ReportFormat[] }[]>`select monthly_enabled, formats from report_schedule`;
	if (!schedule?.monthlyEnabled) return null;
	const today = tokyoDate(now);
	const thisMonth = today.slice(0, 7);
	if (today < firstWorkingDayOf(thisMonth)) return null;
	const month = previousMonth(thisMonth);
	const have = await sql<{ format: string }[]>`select format from report_files where source = 'schedule' and kind = 'month' and period = ${`${month}-01`}`;
	const missing = schedule.formats.filter((f) => !have.some((h) => h.format === f));
	if (!missing.length) return null;
	const report = await buildPeriodReport(sql, 'month', month, 'ja', now);
	const made: ReportFormat[] = [];
	for (const format of missing) {
		const file = await renderReport(report, format, 'ja');
		const [row] = await sql`insert into report_files (kind, period, format, source, bytes, sha256, content)
			values ('month', ${`${month}-01`}, ${format}, 'schedule', ${file.body.byteLength}, ${sha256Hex(file.body)}, ${Buffer.from(file.body)})
			on conflict (kind, period, format) where source = 'schedule' do nothing returning id`;
		if (row) made.push(format);
	}
	return { month, made };
}

/** A stored (scheduled) report file. Policy: reports.view. */
export async function storedReport(actor: Actor, raw: { id?: unknown }): Promise<ReportDownload> {
	requirePermission(actor, 'reports.view');
	const id = z.coerce.number().int().positive().safeParse(raw.id);
	if (!id.success) throw invalidInput([{ path: ['id'], message: 'id: a report number / 帳票番号が正しくありません' }]);
	const [r] = await db()<{ kind: ReportKind; period: string; format: ReportFormat; content: Buffer; sha256: string }[]>`
		select kind, to_char(period, 'YYYY-MM') as period, format, content, sha256 from report_files where id = ${id.data} and source = 'schedule'`;
	if (!r) throw new DomainError('not_found', 'no such scheduled report');
	return { name: reportFileName(r.kind, r.period, r.format), contentType: contentTypes[r.format], body: new Uint8Array(r.content), sha256: r.sha256 };
}

const contentTypes: Record<ReportFormat, string> = {
	pdf: 'application/pdf',
	csv: 'text/csv; charset=Shift_JIS',
	'csv-utf8': 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
};
