/**
 * Export of call results (架電結果.csv) back to the ward's system: one row per call attempt in a date range,
 * CP932 (default) or UTF-8 with BOM, CRLF, RFC 4180 quoting. Only roles allowed to export may run it; every
 * export is recorded and written to the access log.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { db } from '../db.ts';
import type { Actor } from '../auth/actor.ts';
import { requireExportAllowed } from './policy.ts';
import { fieldProblems, invalidInput } from '../errors.ts';
import { dateRangeProblems } from '../../domain/date-range.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { isoDate } from '../validation.ts';
import { cp932Safe } from './cp932.ts';

export const CALL_RESULT_HEADERS = [
	'国保記号番号',
	'住民番号',
	'架電日時',
	'架電先電話番号',
	'発着区分',
	'応答区分',
	'相手',
	'納付約束日',
	'納付約束額',
	'引継ぎ区分',
	'会話記録',
	'オペレータID'
] as const;

const input = z.object({ from: isoDate, to: isoDate, encoding: z.enum(['cp932', 'utf8']).default('cp932') });

const partyJa: Record<string, string> = { self: '本人', family: '家族', other: 'その他', none: 'なし' };
const directionJa: Record<string, string> = { outbound: '発信', inbound: '着信' };
const handoffJa: Record<string, string> = { installment: '分納相談', hardship: '生活困窮', reduction: '減免・軽減', complaint: '苦情', other: 'その他' };

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF. */
export function csvField(v: string | number | null | undefined): string {
	if (v === null || v === undefined) return '';
	const s = String(v);
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface ExportResult {
	exportId: number;
	rows: number;
	bytes: number;
	sha256: string;
	/** characters CP932 cannot hold, written as 〓 */
	replacedCharacters: number;
}

/**
 * Write 架電結果.csv for calls started from `from` to `to` (Tokyo dates, inclusive) to `out`. Policy: exports.run and
 * the administrator's choice of roles (policy.ts). Recorded in `exports` and in the access log (`export`) with its
 * SHA-256, in one transaction, once the file is complete.
 */
export async function exportCallResults(
	actor: Actor,
	raw: { from: unknown; to: unknown; encoding?: unknown },
	out: Writable,
	meta: { fileName: string; source: string }
): Promise<ExportResult> {
	await requireExportAllowed(actor);
	// the dates as the page checks them (src/lib/domain/date-range.ts): a stable code per field, worded by the page
	const problems = dateRangeProblems(raw, { required: true });
	if (Object.keys(problems).length) throw fieldProblems(problems);
	const parsed = input.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { from, to, encoding } = parsed.data;
	const sql = db();
	const hash = createHash('sha256');
	let bytes = 0;
	let rows = 0;
	let replaced = 0;
	const write = async (text: string) => {
		let t = text;
		if (encoding === 'cp932') {
			const safe = cp932Safe(text);
			t = safe.text;
			replaced += safe.replaced;
		}
		const buf = encoding === 'cp932' ? iconv.encode(t, 'cp932') : Buffer.from(t, 'utf8');
		hash.update(buf);
		bytes += buf.length;
		if (!out.write(buf)) await once(out, 'drain');
	};
	if (encoding === 'utf8') await write('\uFEFF');
	await write(CALL_RESULT_HEADERS.join(',') + '\r\n');

	const cursor = sql<
		{ nhiNumber: string; residentNumber: string | null; startedAt: string; dialed: string | null; direction: string; outcome: string; party: string; promiseDate: string | null; promiseAmount: number | null; handoffReason: string | null; note: string | null; operator: string }[]
	>`
		select h.nhi_number, h.head_resident_number as resident_number,
		  to_char(c.started_at at time zone 'Asia/Tokyo', 'YYYY/MM/DD HH24:MI:SS') as started_at,
		  c.dialed_number as dialed, c.direction, c.outcome_code || ' ' || o.label_ja as outcome, c.party,
		  to_char(p.due_date, 'YYYY/MM/DD') as promise_date, p.amount as promise_amount, ho.reason as handoff_reason, c.note, u.login_id as operator
		from calls c
		join households h on h.id = c.household_id
		join outcome_codes o on o.code = c.outcome_code
		join users u on u.id = c.operator_id
		left join promises p on p.call_id = c.id
		left join handoffs ho on ho.call_id = c.id
		where c.started_at >= (${from}::date::timestamp at time zone 'Asia/Tokyo')
		  and c.started_at < ((${to}::date + 1)::timestamp at time zone 'Asia/Tokyo')
		order by c.started_at, c.id`.cursor(500);

	for await (const batch of cursor) {
		let chunk = '';
		for (const r of batch) {
			rows++;
			chunk +=
				[
					r.nhiNumber,
					r.residentNumber,
					r.startedAt,
					r.dialed,
					directionJa[r.direction] ?? r.direction,
					r.outcome,
					partyJa[r.party] ?? r.party,
					r.promiseDate,
					r.promiseAmount,
					r.handoffReason ? (handoffJa[r.handoffReason] ?? r.handoffReason) : null,
					r.note?.replace(/\r?\n/g, '\r\n'),
					r.operator
				]
					.map(csvField)
					.join(',') + '\r\n';
		}
		await write(chunk);
	}
	const sha256 = hash.digest('hex');
	const exportId = await sql.begin(async (tx) => {
		const [rec] = await tx<{ id: number }[]>`
			insert into exports (started_by, source, date_from, date_to, encoding, rows, bytes, sha256, file_name)
			values (${actor.id > 0 ? actor.id : null}, ${meta.source}, ${from}, ${to}, ${encoding}, ${rows}, ${bytes}, ${sha256}, ${meta.fileName})
			returning id`;
		// the hash goes into the hash-chained log itself, so a file handed on can be matched to this row for good
		await writeAccessLog(tx, actor, { action: 'export', reason: `export #${rec.id} 架電結果 ${from}..${to} (${rows} rows, ${bytes} bytes, sha256 ${sha256}; ${meta.source})` });
		return rec.id;
	});
	return { exportId, rows, bytes, sha256, replacedCharacters: replaced };
}
