import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { exportCallResults } from '../../src/lib/server/exports/exports.ts';
import { systemActor } from '../../src/lib/server/auth/actor.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(async () => {
	await resetDb(sql);
	await sql`truncate exports restart identity`;
});

async function run(actor = systemActor('cli:test'), opts: { from?: string; to?: string; encoding?: string } = {}) {
	const out = new PassThrough();
	const chunks: Buffer[] = [];
	out.on('data', (c) => chunks.push(c));
	const today = tokyoDate();
	const r = await exportCallResults(actor, { from: opts.from ?? today, to: opts.to ?? today, encoding: opts.encoding }, out, { fileName: '架電結果.csv', source: 'test' });
	out.end();
	return { r, bytes: Buffer.concat(chunks) };
}

function inDays(n: number) {
	const d = new Date(`${tokyoDate()}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

describe('export of call results (架電結果.csv)', () => {
	it('writes CP932 with CRLF, the contract header, one row per call, and records the export', async () => {
		const seg = await newSegment(sql);
		const h1 = await newHousehold(sql, { segmentId: seg, owed: 90_000 });
		await newHousehold(sql, { segmentId: seg, owed: 50_000 });
		const op = await newOperator(sql, [seg]);
		await claimNextHousehold(op);
		await recordCallOutcome(op, { householdId: h1, outcomeCode: '40', party: 'self', promise: { amount: 20_000, dueDate: inDays(5) }, note: '本人、給料日に払うとのこと。\n「髙橋」様、①番窓口〜' });
		const c2 = await claimNextHousehold(op);
		await recordCallOutcome(op, { householdId: c2.householdId, outcomeCode: '50', party: 'self', handoff: { reason: 'hardship' }, note: '失業中 − 相談希望' });

		const { r, bytes } = await run();
		expect(r.rows).toBe(2);
		const text = iconv.decode(bytes, 'cp932');
		const lines = text.split('\r\n');
		expect(lines[0]).toBe('国保記号番号,住民番号,架電日時,架電先電話番号,発着区分,応答区分,相手,納付約束日,納付約束額,引継ぎ区分,会話記録,オペレータID');
		expect(text.endsWith('\r\n')).toBe(true);
		expect(/(?<!\r)\n/.test(text)).toBe(false); // every line break is CRLF, inside quotes too
		expect(text).toContain(`,発信,40 納付約束,本人,${inDays(5).replace(/-/g, '/')},20000,,"本人、給料日に払うとのこと。\r\n「髙橋」様、①番窓口～",${op.loginId}`);
		expect(text).toContain(',50 職員引継ぎ,本人,,,生活困窮,失業中 － 相談希望,');
		expect(text).not.toContain('?');
		expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
		const [rec] = await sql<{ rows: number; encoding: string; sha256: string }[]>`select rows, encoding, sha256 from exports`;
		expect(rec).toMatchObject({ rows: 2, encoding: 'cp932' });
		expect(rec.sha256).toMatch(/^[0-9a-f]{64}$/);
		const [log] = await sql<{ action: string }[]>`select action from access_log where action = 'export'`;
		expect(log.action).toBe('export');
	});

	it('writes UTF-8 with a BOM on request, and refuses bad ranges and roles', async () => {
		const { bytes } = await run(undefined, { encoding: 'utf8' });
		expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
		expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toMatch(/^国保記号番号,/);
		await expect(run(undefined, { from: '2026-12-01', to: '2026-11-01' })).rejects.toMatchObject({ code: 'invalid_input', details: { to: 'date_order' } });
		await expect(run(undefined, { from: '2026-02-30', to: '2026-03-01' })).rejects.toMatchObject({ code: 'invalid_input', details: { from: 'no_such_date' }, params: { from: { value: '2026-02-30' } } });
		await expect(run(await newUser(sql, 'operator'))).rejects.toMatchObject({ code: 'forbidden' });
	});
});
