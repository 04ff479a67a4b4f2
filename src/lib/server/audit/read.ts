/**
 * The auditor's use cases: read the access log page by page under a filter, and export the filtered log as CSV.
 * Policy: audit.view, checked here (the route guard is only the first line). Both are themselves logged:
 * every read as `audit.view` with its filter, every export as `audit.export` with its SHA-256.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { fieldProblems } from '../errors.ts';
import { issueProblems, problem, type FieldProblem } from '../../domain/field-problem.ts';
import { isRealDate } from '../../domain/date-range.ts';
import { id } from '../validation.ts';
import { writeAccessLog, type AccessEntry } from './audit.ts';
import { cursorAccessLog, listAccessLog, type AccessLogFilter, type AccessLogRow } from './audit.queries.ts';
import { csvField } from '../exports/exports.ts';
import { accessActionKey, accessActions, type AccessAction } from '../../domain/audit-actions.ts';
import { tokyoDate, tokyoTime, wareki } from '../../domain/format.ts';
import { translator } from '../../i18n/index.ts';

// Every action the writer accepts must be one the auditor can filter by, and the other way round.
type MissingFromFilter = Exclude<AccessEntry['action'], AccessAction>;
type UnknownToWriter = Exclude<AccessAction, AccessEntry['action']>;
const actionsAgree: [MissingFromFilter, UnknownToWriter] extends [never, never] ? true : { add_to_src_lib_domain_audit_actions: MissingFromFilter; unknown: UnknownToWriter } = true;
void actionsAgree;

/** Rows a page. */
export const AUDIT_PAGE_SIZE = 100;

const WHEN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A Tokyo date ('2026-04-01') or date and time ('2026-04-01T09:30', seconds optional) as an instant: its start,
 * or for `end` the instant just after it (the whole day, minute or second is included). Tokyo has no DST: UTC+9.
 * Null when it is not a real date or time.
 */
export function tokyoInstant(s: string, edge: 'start' | 'end'): Date | null {
	const m = WHEN.exec(s);
	if (!m) return null;
	const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
	if (h > 23 || mi > 59 || sec > 59) return null;
	const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
	const check = new Date(ms);
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
	const step = edge === 'start' ? 0 : m[6] !== undefined ? 1000 : m[4] !== undefined ? 60_000 : 86_400_000;
	return new Date(ms - 9 * 3600_000 + step);
}

/** An optional parameter: absent, null and blank are all "not given". */
const text = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), schema.optional());
const when = z
	.string()
	.trim()
	.regex(WHEN, 'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)')
	.superRefine((s, ctx) => {
		if (tokyoInstant(s, 'start') !== null) return;
		// a day that does not exist (2026-02-30), or an hour or minute out of range (T25:00)
		if (!isRealDate(s.slice(0, 10))) ctx.addIssue({ code: 'custom', message: 'not a real date', params: { code: 'no_such_date', value: s.slice(0, 10) } });
		else ctx.addIssue({ code: 'custom', message: 'not a real time', params: { code: 'date_time_format' } });
	});
const filterFields = {
	// compared without regard to letter case (login IDs are unique in any case: users.ts)
	user: text(z.string().trim().regex(/^[A-Za-z0-9._-]{2,64}$/, 'must be a user ID (2–64 letters, digits, ".", "_" or "-")')),
	household: text(
		z
			.string()
			.trim()
			.transform((s) => s.normalize('NFKC'))
			.pipe(z.string().regex(/^[0-9A-Za-z-]{1,20}$/, 'must be a 国保記号番号 (up to 20 letters, digits or "-")'))
	),
	from: text(when),
	to: text(when),
	action: text(z.enum(accessActions, { message: `must be one of: ${accessActions.join(', ')}` }))
};
const fromBeforeTo = (v: { from?: string; to?: string }) => !v.from || !v.to || tokyoInstant(v.from, 'start')! < tokyoInstant(v.to, 'end')!;
const order = { message: 'must not be before from', path: ['to'], params: { code: 'date_order' } };
const pageSchema = z.strictObject({ ...filterFields, before: text(id) }).refine(fromBeforeTo, order);
const exportSchema = z.strictObject(filterFields).refine(fromBeforeTo, order);

/** The format code of each filter field's malformed value (worded by the page as validation.<code>). */
const formatCodes: Record<string, string> = { user: 'login_id_format', household: 'nhi_number_format', from: 'date_time_format', to: 'date_time_format' };

/**
 * A refused filter: each field's problem as a stable code (details) with its values (params), so the page keeps
 * the form and names the field in the user's language; the message stays English for API readers and logs.
 */
function refusal(raw: unknown, issues: z.core.$ZodIssue[]) {
	return fieldProblems(issueProblems(raw, issues, { formatCode: (k) => formatCodes[k] ?? 'invalid' }));
}

/** The filter as given (normalized), for the form and for the log's `reason`. */
export interface AuditFilterInput {
	user?: string;
	household?: string;
	from?: string;
	to?: string;
	action?: AccessAction;
}

type Raw = URLSearchParams | Record<string, string | null | undefined>;

/** Query parameters as one value each; a parameter given twice is refused, not silently narrowed. */
function single(raw: Raw): Record<string, string | null | undefined> {
	if (!(raw instanceof URLSearchParams)) return raw;
	const out: Record<string, string> = {};
	for (const k of new Set(raw.keys())) {
		const all = raw.getAll(k);
		if (all.length > 1) throw fieldProblems({ [k]: problem('invalid', 'given more than once') } satisfies Record<string, FieldProblem>);
		out[k] = all[0];
	}
	return out;
}

function toQuery(f: AuditFilterInput): AccessLogFilter {
	return {
		user: f.user ?? null,
		household: f.household ?? null,
		from: f.from ? tokyoInstant(f.from, 'start') : null,
		toBefore: f.to ? tokyoInstant(f.to, 'end') : null,
		action: f.action ?? null
	};
}

/** The filter in the log's `reason`: JSON of the given parameters, in a fixed order. */
function describe(f: AuditFilterInput, before?: number | null): string {
	const given = { user: f.user, household: f.household, from: f.from, to: f.to, action: f.action, before: before ?? undefined };
	return `filter ${JSON.stringify(given)}`;
}

export interface AccessLogPage {
	rows: AccessLogRow[];
	filter: AuditFilterInput;
	/** the `before` of the next (older) page, or null on the last page */
	next: number | null;
	/** whether this is a later page (the form offers "newest") */
	paged: boolean;
}

/**
 * One page of the access log, newest first, under a filter (user login id, household 国保記号番号, Tokyo time
 * range, action; `before` = keyset cursor). Every read is logged as `audit.view` with the filter. Policy: audit.view.
 */
export async function readAccessLog(actor: Actor, raw: Raw): Promise<AccessLogPage> {
	requirePermission(actor, 'audit.view');
	const given = single(raw);
	const parsed = pageSchema.safeParse(given);
	if (!parsed.success) throw refusal(given, parsed.error.issues);
	const { before, ...filter } = parsed.data;
	return db().begin(async (tx) => {
		const rows = await listAccessLog(tx, toQuery(filter), { beforeId: before ?? null, limit: AUDIT_PAGE_SIZE + 1 });
		await writeAccessLog(tx, actor, { action: 'audit.view', reason: describe(filter, before) });
		const more = rows.length > AUDIT_PAGE_SIZE;
		if (more) rows.pop();
		return { rows, filter, next: more ? rows[rows.length - 1].id : null, paged: before !== undefined };
	});
}

/** CSV columns of the export (docs/api.md). */
export const AUDIT_CSV_HEADERS = [
	'ログID',
	'連鎖番号',
	'日時',
	'日時（和暦）',
	'ユーザーID',
	'役割',
	'操作',
	'操作名',
	'国保記号番号',
	'世帯番号',
	'項目',
	'理由',
	'IPアドレス',
	'リクエストID',
	'ハッシュ',
	// last, so the columns before keep their places: the note an inbound lookup's `note sha256:…` stands for,
	// empty once erased
	'受電メモ'
] as const;

/**
 * A text cell a spreadsheet would run as a formula (= + - @, tab, CR at the start) gets a leading apostrophe,
 * the usual guard: the log holds what people typed (search terms, reasons).
 */
function cell(v: string | number | null | undefined): string {
	if (typeof v === 'string' && /^[=+\-@\t\r]/.test(v)) return csvField(`'${v}`);
	return csvField(v);
}

// the export's names are Japanese whatever the auditor's language: one file format for the ward
const tJa = translator('ja');

function actionName(action: string): string {
	const key = accessActionKey(action);
	const name = tJa(key);
	return name === key ? action : name;
}

function roleName(role: string | null): string | null {
	if (!role) return null;
	const name = tJa(`role.${role}`);
	return name === `role.${role}` ? role : name;
}

function csvLine(r: AccessLogRow): string {
	const day = tokyoDate(r.at);
	return (
		[
			r.id,
			r.chainSeq,
			`${day} ${tokyoTime(r.at)}`,
			wareki(day),
			r.loginId ?? (r.userId !== null ? `#${r.userId}` : null),
			roleName(r.role),
			r.action,
			actionName(r.action),
			r.nhiNumber,
			r.householdId,
			r.fields?.join(' '),
			r.reason?.replace(/\r?\n/g, '\r\n'),
			r.ip,
			r.requestId,
			r.hash,
			r.note?.replace(/\r?\n/g, '\r\n')
		]
			.map(cell)
			.join(',') + '\r\n'
	);
}

export interface AuditExport {
	rows: number;
	bytes: number;
	sha256: string;
	/** access-log-YYYYMMDD-HHMMSS.csv, Tokyo time */
	fileName: string;
}

/**
 * Write the filtered access log (oldest first, one consistent snapshot) as CSV to `out`: UTF-8 with a BOM, CRLF,
 * RFC 4180 quoting. After the file is complete, log `audit.export` with its row count, SHA-256 and filter; the
 * caller hands the file out only after this returns. `out` is not ended here. Policy: audit.view.
 */
export async function exportAccessLogCsv(actor: Actor, raw: Raw, out: Writable): Promise<AuditExport> {
	requirePermission(actor, 'audit.view');
	const given = single(raw);
	const parsed = exportSchema.safeParse(given);
	if (!parsed.success) throw refusal(given, parsed.error.issues);
	const filter = parsed.data;
	const hash = createHash('sha256');
	let bytes = 0;
	let rows = 0;
	const write = async (s: string) => {
		const buf = Buffer.from(s, 'utf8');
		hash.update(buf);
		bytes += buf.length;
		if (!out.write(buf)) await once(out, 'drain');
	};
	const now = new Date();
	await db().begin('isolation level repeatable read read only', async (tx) => {
		await write('\uFEFF' + AUDIT_CSV_HEADERS.join(',') + '\r\n');
		for await (const batch of cursorAccessLog(tx, toQuery(filter))) {
			rows += batch.length;
			await write(batch.map(csvLine).join(''));
		}
	});
	const sha256 = hash.digest('hex');
	await writeAccessLog(db(), actor, { action: 'audit.export', reason: `CSV ${rows} rows, ${bytes} bytes, sha256 ${sha256}; ${describe(filter)}` });
	const stamp = `${tokyoDate(now).replace(/-/g, '')}-${tokyoTime(now).replace(/:/g, '')}`;
	return { rows, bytes, sha256, fileName: `access-log-${stamp}.csv` };
}
