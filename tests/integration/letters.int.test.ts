/**
 * Reminder letters (issue #7 part 3) on the real database: candidates with their exclusions, a batch's life
 * (generated → printed → sealed → mailed, its PDF made, downloaded and deleted), the access log per household, an
 * operator printing only the batches assigned to them, returned mail flagging the address, the template and
 * settings, and the sweeper.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// the PDFs live under DATA_DIR: never the developer's ./data
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-letters-int-'));
process.env.DATA_DIR = DATA_DIR;

import { resetDb, testSql } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser } from '../helpers/factories.ts';
import {
	advanceBatch,
	assignBatch,
	createBatch,
	downloadPdf,
	generationDone,
	letterSetup,
	myBatches,
	previewCandidates,
	recordReturn,
	resolveReturn,
	saveSettings,
	saveTemplate,
	templatePlaceholders,
	sweepLetters,
	writeLabelsCsv
} from '../../src/lib/server/letters/letters.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { replaceInstalledTemplate } from '../../src/lib/server/letters/letters.queries.ts';
import { DEMO_LETTER_TEMPLATE } from '../../src/lib/server/demo/letter-template.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import { referenceNumber } from '../../src/lib/domain/letters.ts';
import { eraseAllPersonalData } from '../../src/lib/server/erasure/erasure.ts';
import { ERASE_PHRASE } from '../../src/lib/domain/erasure.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
	await closeRedis();
	fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DomainError) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

async function pdfText(file: string): Promise<string[]> {
	const pdf = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false }).promise;
	const pages: string[] = [];
	for (let i = 1; i <= pdf.numPages; i++) {
		const tc = await (await pdf.getPage(i)).getTextContent();
		pages.push(tc.items.map((x) => ('str' in x ? x.str : '')).join(''));
	}
	await pdf.destroy();
	return pages;
}

async function streamToBuffer(s: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of s) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
}

let seg: number;
let sv: Actor;
let staff: Actor;
let admin: Actor;
let op: Actor;

async function resetLetters() {
	await sql`truncate letter_returns, letter_batch_items, letter_batches restart identity cascade`;
	await sql`delete from letter_templates where version > 1`;
	// a ward's details, not the installed placeholders (〇〇区役所, 03-0000-0000), which refuse every batch
	await replaceInstalledTemplate(sql, DEMO_LETTER_TEMPLATE);
	await sql`update letter_settings set attempts_threshold = 6, distinct_slots = 2, resend_interval_days = 90, pdf_keep_days = 7, version = 1`;
}

/** A household with no phone at all (a letter candidate), its head named `name`, at a postal address. */
async function noPhoneHousehold(name: string, owed = 20_000): Promise<number> {
	const id = await newHousehold(sql, { segmentId: seg, owed, phone: null });
	await sql`update households set postal_code = '1600023', address = '東京都新宿区西新宿二丁目8番1号', address_extra = 'テストハイツ101' where id = ${id}`;
	await sql`update persons set name = ${name} where household_id = ${id}`;
	return id;
}

/** `n` unanswered outbound calls, at the given Tokyo hours, days ago. */
async function unansweredCalls(householdId: number, hours: number[]) {
	for (const [i, h] of hours.entries()) {
		const at = new Date(Date.now() - (i + 1) * 86_400_000);
		const tokyo = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), h - 9, 0, 0));
		await sql`insert into calls (household_id, operator_id, party, outcome_code, started_at) values (${householdId}, ${op.id}, 'none', '10', ${tokyo})`;
	}
}

beforeEach(async () => {
	await resetDb(sql);
	await resetLetters();
	seg = await newSegment(sql);
	sv = await newUser(sql, 'supervisor');
	staff = await newUser(sql, 'staff');
	admin = await newUser(sql, 'admin');
	op = await newUser(sql, 'operator');
});

describe('candidates on the database', () => {
	it('counts households without a callable number and unreached ones, and names each exclusion', async () => {
		await noPhoneHousehold('電話　なし');
		const invalid = await newHousehold(sql, { segmentId: seg, phone: '12345' }); // not a number: invalid
		const dead = await newHousehold(sql, { segmentId: seg });
		await sql`update phones set status = 'not_in_service' where household_id = ${dead}`;
		const unreached = await newHousehold(sql, { segmentId: seg });
		await unansweredCalls(unreached, [10, 14, 19, 10, 14, 19]); // 6 calls in 3 slots
		const oneSlot = await newHousehold(sql, { segmentId: seg });
		await unansweredCalls(oneSlot, [10, 10, 10, 10, 10, 10, 10]); // 7 calls, mornings only
		const answered = await newHousehold(sql, { segmentId: seg });
		await unansweredCalls(answered, [10, 14, 19, 10, 14, 19]);
		await sql`insert into calls (household_id, operator_id, party, outcome_code, started_at) values (${answered}, ${op.id}, 'family', '21', now() - interval '1 hour')`;
		await newHousehold(sql, { segmentId: seg }); // reachable, never called: no candidate
		// exclusions
		const dnc = await noPhoneHousehold('架電　停止');
		await sql`insert into do_not_call (household_id, reason, created_by) values (${dnc}, '本人の申出', ${sv.id})`;
		const handoff = await noPhoneHousehold('引継　中');
		await sql`insert into handoffs (household_id, reason, created_by) values (${handoff}, 'installment', ${sv.id})`;
		const promise = await noPhoneHousehold('約束　あり');
		await sql`insert into promises (household_id, amount, due_date, created_by) values (${promise}, 5000, current_date + 7, ${sv.id})`;
		const paid = await noPhoneHousehold('入金　あり');
		await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${paid}, 2025, 1, 1000, current_date - 2)`;
		const resolved = await noPhoneHousehold('完了　済み');
		await sql`update households set status = 'resolved' where id = ${resolved}`;
		const noAddress = await newHousehold(sql, { segmentId: seg, phone: null });
		await sql`update households set address = null where id = ${noAddress}`;

		const p = await previewCandidates(staff);
		expect(p.candidates).toEqual({ no_phone: 3, unreached: 1 });
		expect(p.total).toBe(4);
		expect(p.excluded).toMatchObject({ do_not_call: 1, handoff: 1, promise: 1, payment: 1, no_address: 1, address_flagged: 0 });
		// resolved households are not looked at at all
		expect(p.excluded.resolved).toBe(0);
		void invalid;

		// the settings decide "unreached": 7 calls in one slot count when one slot is enough
		await saveSettings(admin, { attemptsThreshold: '6', distinctSlots: '1', resendIntervalDays: '90', pdfKeepDays: '7', version: '1' });
		expect((await previewCandidates(staff)).candidates.unreached).toBe(2);
	});

	it('is for supervisors and staff only', async () => {
		for (const who of [op, admin, await newUser(sql, 'manager'), await newUser(sql, 'auditor')]) {
			expect((await refusal(previewCandidates(who))).code).toBe('forbidden');
			expect((await refusal(createBatch(who, {}))).code).toBe('forbidden');
		}
	});
});

describe('a batch', () => {
	it('is made, downloaded, printed, sealed and mailed; every household is in the access log; the PDF is deleted once mailed', async () => {
		const a = await noPhoneHousehold('山田　花子', 50_000);
		const b = await noPhoneHousehold('\uE001川　太郎', 30_000); // a 外字 in the name
		await sql`insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date) values (${a}, 2024, 10, 12345, 0, '2025-03-31')`;

		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '10' });
		expect(r.households).toBe(2);
		await generationDone(r.batchId);
		const [batch] = await sql`select * from letter_batches where id = ${r.batchId}`;
		expect(batch).toMatchObject({ state: 'generated', households: 2, progressDone: 2, gaijiLetters: 1, createdBy: staff.id });
		expect(fs.existsSync(batch.pdfPath)).toBe(true);
		expect(batch.pdfPath.startsWith(path.join(DATA_DIR, 'letters'))).toBe(true);
		expect(batch.pdfExpiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);

		// one page per household, largest arrears first, with the reference number, the name, address, amounts and contact
		const items = await sql<{ householdId: number; seq: number; referenceNumber: string }[]>`select household_id, seq, reference_number from letter_batch_items where batch_id = ${r.batchId} order by seq`;
		expect(items.map((i) => i.householdId)).toEqual([a, b]);
		const pages = await pdfText(batch.pdfPath);
		expect(pages).toHaveLength(2);
		const page1 = pages[0].replace(/\s+/g, '');
		expect(page1).toContain('山田花子様');
		expect(page1).toContain('〒160-0023');
		expect(page1).toContain('東京都新宿区西新宿二丁目8番1号');
		expect(page1).toContain('テストハイツ101');
		expect(page1).toContain('¥50,000');
		expect(page1).toContain('¥12,345');
		expect(page1).toContain('¥62,345'); // the total
		expect(page1).toContain('令和6年度');
		expect(page1).toContain('国保納付勧奨センター');
		expect(page1).toContain(items[0].referenceNumber);
		// the 外字 is marked, never printed as some other character
		expect(pages[1].replace(/\s+/g, '')).toContain('〓川太郎様');

		const gen = await sql`select household_id, fields from access_log where action = 'letter.generate' order by household_id`;
		expect(gen.map((g) => g.householdId)).toEqual([a, b].sort((x, y) => x - y));
		expect(gen[0].fields).toEqual(['name', 'address', 'arrears']);

		// download: the file as made, one access-log row per household
		const d = await downloadPdf(sv, { batchId: r.batchId });
		const bytes = await streamToBuffer(d.stream);
		expect(bytes.length).toBe(batch.pdfBytes);
		expect(d.sha256).toBe(batch.pdfSha256);
		const dl = await sql`select household_id, user_id, reason from access_log where action = 'letter.download'`;
		expect(dl).toHaveLength(2);
		expect(dl[0]).toMatchObject({ userId: sv.id });
		expect(dl[0].reason).toContain(`letter batch #${r.batchId} PDF`);

		// labels CSV in CP932: 〒, address, 方書, name 様, reference number, 外字 flag
		const out = new PassThrough();
		const buf = streamToBuffer(out);
		const lr = await writeLabelsCsv(staff, { batchId: r.batchId, encoding: 'cp932' }, out);
		out.end();
		const csv = iconv.decode(await buf, 'cp932');
		expect(lr.rows).toBe(2);
		expect(csv.split('\r\n')[0]).toBe('郵便番号,住所,方書,氏名,整理番号,外字');
		expect(csv).toContain(`160-0023,東京都新宿区西新宿二丁目8番1号,テストハイツ101,山田　花子 様,${items[0].referenceNumber},`);
		expect(csv).toContain(`〓川　太郎 様,${items[1].referenceNumber},有`);
		expect(await sql`select 1 from access_log where action = 'letter.download' and reason like '%labels CSV%'`).toHaveLength(2);

		// the steps, in order, each with who and when
		let v = batch.version as number;
		expect((await refusal(advanceBatch(staff, { batchId: r.batchId, step: 'sealed', version: v }))).code).toBe('conflict');
		let row = await advanceBatch(staff, { batchId: r.batchId, step: 'printed', version: v });
		expect(row).toMatchObject({ state: 'printed', printedByName: staff.displayName });
		expect(row.printedAt).toBeInstanceOf(Date);
		// a stale version is refused
		expect((await refusal(advanceBatch(staff, { batchId: r.batchId, step: 'sealed', version: v }))).code).toBe('conflict');
		v = row.version;
		row = await advanceBatch(sv, { batchId: r.batchId, step: 'sealed', version: v });
		expect(row).toMatchObject({ state: 'sealed', sealedByName: sv.displayName });
		row = await advanceBatch(sv, { batchId: r.batchId, step: 'mailed', version: row.version });
		expect(row).toMatchObject({ state: 'mailed', mailedByName: sv.displayName, pdfAvailable: false });
		expect(row.pdfDeletedAt).toBeInstanceOf(Date);
		expect(fs.existsSync(batch.pdfPath)).toBe(false);
		expect((await refusal(downloadPdf(sv, { batchId: r.batchId }))).code).toBe('not_found');
		expect((await sql`select reason from access_log where action = 'letter.state' order by id`).map((x) => x.reason)).toEqual([
			expect.stringContaining('generated → printed'),
			expect.stringContaining('printed → sealed'),
			expect.stringContaining('sealed → mailed')
		]);

		// mailed now: not a candidate again within the re-send interval
		const p = await previewCandidates(staff);
		expect(p.total).toBe(0);
		expect(p.excluded.recent_letter).toBe(2);
	});

	it('takes households once: a second batch while the first is not mailed finds none', async () => {
		await noPhoneHousehold('一回　だけ');
		const r = await createBatch(sv, { reasons: ['no_phone', 'unreached'], limit: '100' });
		await generationDone(r.batchId);
		const e = await refusal(createBatch(sv, { reasons: ['no_phone'], limit: '100' }));
		expect(e.code).toBe('conflict');
		expect((await previewCandidates(sv)).excluded.pending_batch).toBe(1);
		// a refused batch wrote nothing
		expect(await sql`select 1 from letter_batches`).toHaveLength(1);
	});

	it('refuses bad input, naming the field, and changes nothing', async () => {
		await noPhoneHousehold('入力　確認');
		for (const [input, field] of [
			[{ reasons: [] }, 'reasons'],
			[{ reasons: ['sometimes'] }, 'reasons.0'],
			[{ limit: '0' }, 'limit'],
			[{ limit: 'many' }, 'limit'],
			[{ limit: '100', assignedTo: String(sv.id) }, 'assignedTo']
		] as const) {
			const e = await refusal(createBatch(staff, input));
			expect(e.code).toBe('invalid_input');
			expect(Object.keys(e.details ?? {})).toContain(field);
			if (field === 'assignedTo') expect(e.details).toMatchObject({ assignedTo: 'not_active_operator' });
		}
		expect(await sql`select 1 from letter_batches`).toHaveLength(0);
		expect(await sql`select 1 from access_log where action = 'letter.generate'`).toHaveLength(0);
	});
});

describe('the batch size (最大件数) is required and refused by field, in codes the page words', () => {
	it('an absent or blank limit is refused (never defaulted to thousands of letters); full-width digits are read', async () => {
		await noPhoneHousehold('件数　確認');
		for (const [input, code, params] of [
			[{ reasons: ['no_phone'] }, 'required', undefined],
			[{ reasons: ['no_phone'], limit: '' }, 'required', undefined],
			[{ reasons: ['no_phone'], limit: '   ' }, 'required', undefined],
			[{ reasons: ['no_phone'], limit: '0' }, 'min_value', { min: 1 }],
			[{ reasons: ['no_phone'], limit: '20001' }, 'max_value', { max: 20_000 }],
			[{ reasons: ['no_phone'], limit: '2.5' }, 'whole_number', undefined],
			[{ reasons: ['no_phone'], limit: '五' }, 'whole_number', undefined]
		] as const) {
			const e = await refusal(createBatch(staff, input));
			expect(e.code, JSON.stringify(input)).toBe('invalid_input');
			expect(e.details, JSON.stringify(input)).toEqual({ limit: code });
			expect(e.params?.limit, JSON.stringify(input)).toEqual(params);
		}
		expect(await sql`select 1 from letter_batches`).toHaveLength(0);
		// ５ typed in full width is 5
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '５' });
		expect(r.households).toBe(1);
		await generationDone(r.batchId);
	});
});

describe('placeholder letter settings refuse a batch', () => {
	it('while the template holds the installed 〇〇区役所 / 03-0000-0000, with a code naming the fields; the preview says so too', async () => {
		// the text a new installation has (migration 00019), as in the demo database before this fix
		await sql`update letter_templates set letterhead = ${'〇〇区役所\n区民部 国保年金課 収納係'}, contact = ${'〇〇区役所 収納係\n〒000-0000 東京都〇〇区〇〇1-1-1　電話 03-0000-0000（代表）'}, center_phone = '03-0000-0000' where version = 1`;
		await noPhoneHousehold('仮の　連絡先');
		expect((await previewCandidates(staff)).placeholders).toEqual(['letterhead', 'contact', 'centerPhone']);
		expect(await templatePlaceholders(op)).toEqual(['letterhead', 'contact', 'centerPhone']);
		const e = await refusal(createBatch(staff, { reasons: ['no_phone'], limit: '10' }));
		expect(e.code).toBe('letter_placeholders');
		expect(e.status).toBe(409);
		expect(e.details).toEqual({ letterhead: 'placeholder', contact: 'placeholder', centerPhone: 'placeholder' });
		expect(await sql`select 1 from letter_batches`).toHaveLength(0);
		expect(await sql`select 1 from access_log where action = 'letter.generate'`).toHaveLength(0);

		// an administrator fills in the ward's details: batches may be made
		await saveTemplate(admin, { ...DEMO_LETTER_TEMPLATE, basedOn: '1' });
		expect((await previewCandidates(staff)).placeholders).toEqual([]);
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '10' });
		expect(r.households).toBe(1);
		await generationDone(r.batchId);
	});
});

describe('operators print only the batches assigned to them', () => {
	it('downloads an assigned batch (logged), and is refused any other, the labels and everything else', async () => {
		await noPhoneHousehold('印刷　担当');
		const other = await newUser(sql, 'operator');
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '100', assignedTo: String(op.id) });
		await generationDone(r.batchId);
		expect((await myBatches(op)).map((b) => b.id)).toEqual([r.batchId]);
		expect(await myBatches(other)).toEqual([]);

		const d = await downloadPdf(op, { batchId: String(r.batchId) });
		d.stream.destroy();
		expect(await sql`select 1 from access_log where action = 'letter.download' and user_id = ${op.id} and role = 'operator'`).toHaveLength(1);

		expect((await refusal(downloadPdf(other, { batchId: r.batchId }))).code).toBe('forbidden');
		expect((await refusal(writeLabelsCsv(op, { batchId: r.batchId }, new PassThrough()))).code).toBe('forbidden');
		expect((await refusal(advanceBatch(op, { batchId: r.batchId, step: 'printed', version: 1 }))).code).toBe('forbidden');
		expect((await refusal(assignBatch(op, { batchId: r.batchId, operatorId: String(op.id) }))).code).toBe('forbidden');
		expect(await sql`select 1 from access_log where action = 'letter.download' and user_id = ${other.id}`).toHaveLength(0);

		// reassigned: the first operator loses it
		await assignBatch(sv, { batchId: r.batchId, operatorId: String(other.id) });
		expect((await refusal(downloadPdf(op, { batchId: r.batchId }))).code).toBe('forbidden');
		expect((await myBatches(other)).map((b) => b.id)).toEqual([r.batchId]);
		// only active operators can be assigned: refused at the field by a stable code (the page words it), nothing changed
		const notOperator = await refusal(assignBatch(sv, { batchId: r.batchId, operatorId: String(staff.id) }));
		expect(notOperator).toMatchObject({ code: 'invalid_input', details: { operatorId: 'not_active_operator' } });
		const disabled = await newUser(sql, 'operator');
		await sql`update users set disabled_at = now() where id = ${disabled.id}`;
		expect(await refusal(assignBatch(sv, { batchId: r.batchId, operatorId: String(disabled.id) }))).toMatchObject({ details: { operatorId: 'not_active_operator' } });
		expect(await refusal(assignBatch(sv, { batchId: r.batchId, operatorId: 'x' }))).toMatchObject({ details: { operatorId: expect.stringMatching(/^[a-z_]+$/) } });
		const [still] = await sql<{ assignedTo: number }[]>`select assigned_to from letter_batches where id = ${r.batchId}`;
		expect(still.assignedTo).toBe(other.id);
	});
});

describe('returned mail', () => {
	it('is recorded by reference number and flags the address until staff resolve it', async () => {
		const h = await noPhoneHousehold('返戻　太郎');
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '100' });
		await generationDone(r.batchId);
		const [item] = await sql<{ referenceNumber: string }[]>`select reference_number from letter_batch_items where batch_id = ${r.batchId}`;
		const typed = item.referenceNumber.replace(/-/g, '').replace(/\d/g, (x) => String.fromCharCode(0xff10 + Number(x))); // full-width, no hyphens

		// a wrong check digit is refused, naming the field
		const bad = item.referenceNumber.slice(0, -1) + String((Number(item.referenceNumber.slice(-1)) + 1) % 10);
		const e = await refusal(recordReturn(staff, { referenceNumber: bad, returnedOn: tokyoDate() }));
		expect(e.code).toBe('invalid_input');
		expect(e.details).toEqual({ referenceNumber: 'reference_check_digit' });
		// each refusal is a code the page words in the user's language, never an English sentence
		for (const [input, details] of [
			[{ referenceNumber: '', returnedOn: tokyoDate() }, { referenceNumber: 'required' }],
			[{ returnedOn: tokyoDate() }, { referenceNumber: 'required' }],
			[{ referenceNumber: 'L-12-3', returnedOn: tokyoDate() }, { referenceNumber: 'reference_format' }],
			[{ referenceNumber: item.referenceNumber, returnedOn: '2099-01-01' }, { returnedOn: 'future_date' }],
			[{ referenceNumber: item.referenceNumber, returnedOn: '1.1.2026' }, { returnedOn: 'date_format' }]
		] as const) {
			const x = await refusal(recordReturn(staff, input));
			expect(x.code, JSON.stringify(input)).toBe('invalid_input');
			expect(x.details, JSON.stringify(input)).toEqual(details);
		}
		// a well-formed number no letter has: said so, with the number
		const unknown = await refusal(recordReturn(staff, { referenceNumber: referenceNumber(999, 1), returnedOn: tokyoDate() }));
		expect(unknown.code).toBe('not_found');
		expect(unknown.details).toEqual({ referenceNumber: 'reference_unknown' });
		expect(unknown.params).toEqual({ referenceNumber: { ref: referenceNumber(999, 1) } });

		const ret = await recordReturn(staff, { referenceNumber: typed, returnedOn: tokyoDate(), reason: 'unknown_address', note: '宛所に尋ねあたりません' });
		expect(ret).toMatchObject({ householdId: h, referenceNumber: item.referenceNumber });
		const [flag] = await sql`select household_id, batch_id, resolved_at from letter_returns`;
		expect(flag).toMatchObject({ householdId: h, batchId: r.batchId, resolvedAt: null });
		const [log] = await sql`select household_id, reason from access_log where action = 'letter.returned'`;
		expect(log.householdId).toBe(h);
		// the note is personal free text: kept beside the log (erasable), not in the chained row
		expect(log.reason).not.toContain('尋ねあたりません');
		// the same number again: it is valid, it was recorded already, and the refusal says that
		const again = await refusal(recordReturn(staff, { referenceNumber: item.referenceNumber, returnedOn: tokyoDate() }));
		expect(again.code).toBe('conflict');
		expect(again.details).toEqual({ referenceNumber: 'return_recorded_already' });
		expect(again.params).toEqual({ referenceNumber: { ref: item.referenceNumber } });

		// flagged: no letter while the address is unchecked, even past the re-send interval
		await sql`update letter_batches set state = 'mailed', mailed_at = now() - interval '200 days'`;
		expect((await previewCandidates(staff)).excluded.address_flagged).toBe(1);
		await resolveReturn(staff, { returnId: ret.returnId });
		expect((await previewCandidates(staff)).total).toBe(1);
		expect((await refusal(resolveReturn(staff, { returnId: ret.returnId }))).code).toBe('not_found');
	});
});

describe('template and settings', () => {
	it('saves the template as a new version (refusing a stale one) and batches keep theirs', async () => {
		const { template } = await letterSetup(admin);
		expect(template.version).toBe(1);
		const text = { letterhead: '新宿区役所\n国保年金課', title: '催告書', body: '至急納付してください。', howToPay: '納付書で', contact: '国保年金課 03-1111-2222', centerName: '新宿区国保センター', centerPhone: '03-9999-0000', centerHours: '平日9時〜17時' };
		const v2 = await saveTemplate(admin, { ...text, basedOn: '1' });
		expect(v2.version).toBe(2);
		expect((await refusal(saveTemplate(admin, { ...text, basedOn: '1' }))).code).toBe('conflict');
		const e = await refusal(saveTemplate(admin, { ...text, title: '  ', basedOn: '2' }));
		expect(e.details).toEqual({ title: 'required' });
		const long = await refusal(saveTemplate(admin, { ...text, centerPhone: '0'.repeat(41), basedOn: '2' }));
		expect(long.details).toEqual({ centerPhone: 'too_long' });
		expect(long.params).toEqual({ centerPhone: { max: 40 } });
		expect((await refusal(saveTemplate(staff, { ...text, basedOn: '2' }))).code).toBe('forbidden');

		await noPhoneHousehold('版　確認');
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '100' });
		await generationDone(r.batchId);
		const [b] = await sql`select pdf_path from letter_batches where id = ${r.batchId}`;
		const page = (await pdfText(b.pdfPath))[0].replace(/\s+/g, '');
		expect(page).toContain('新宿区国保センター');
		expect(page).toContain('03-9999-0000');
		expect(page).toContain('国保年金課03-1111-2222');
		expect(await sql`select 1 from access_log where action = 'letter.configure'`).toHaveLength(1);
	});

	it('validates the settings by field', async () => {
		const e = await refusal(saveSettings(admin, { attemptsThreshold: '0', distinctSlots: '4', resendIntervalDays: 'x', pdfKeepDays: '7', version: '1' }));
		// codes the page words in the user's language, with the bound they name (never English sentences)
		expect(e.details).toEqual({ attemptsThreshold: 'min_value', distinctSlots: 'max_value', resendIntervalDays: 'whole_number' });
		expect(e.params).toEqual({ attemptsThreshold: { min: 1 }, distinctSlots: { max: 3 } });
		const blank = await refusal(saveSettings(admin, { attemptsThreshold: '', distinctSlots: '２', resendIntervalDays: '90', version: '1' }));
		expect(blank.details).toEqual({ attemptsThreshold: 'required', pdfKeepDays: 'required' });
		expect((await letterSetup(admin)).settings.attemptsThreshold).toBe(6);
	});
});

describe('the sweeper', () => {
	it('deletes PDFs past their keeping period and fails generations that stopped', async () => {
		await noPhoneHousehold('期限　切れ');
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '100' });
		await generationDone(r.batchId);
		const [b] = await sql`select pdf_path from letter_batches where id = ${r.batchId}`;
		await sql`update letter_batches set pdf_expires_at = now() - interval '1 minute' where id = ${r.batchId}`;
		const [t] = await sql`select id from letter_templates order by version desc limit 1`;
		await sql`insert into letter_batches (template_id, households, issued_on, progress_at) values (${t.id}, 3, current_date, now() - interval '1 hour')`;
		const s = await sweepLetters();
		expect(s).toEqual({ failed: 1, deleted: 1 });
		expect(fs.existsSync(b.pdfPath)).toBe(false);
		expect(await sql`select state from letter_batches order by id`).toEqual([{ state: 'generated' }, { state: 'failed' }]);
		expect((await refusal(downloadPdf(staff, { batchId: r.batchId }))).code).toBe('not_found');
	});
});

describe('erasure at contract end', () => {
	it('empties the letter tables and deletes the PDFs', async () => {
		await noPhoneHousehold('消去　対象');
		const r = await createBatch(staff, { reasons: ['no_phone'], limit: '100' });
		await generationDone(r.batchId);
		const [item] = await sql<{ referenceNumber: string }[]>`select reference_number from letter_batch_items`;
		await recordReturn(staff, { referenceNumber: item.referenceNumber, returnedOn: tokyoDate(), note: '転居' });
		const [b] = await sql`select pdf_path from letter_batches`;
		expect(fs.existsSync(b.pdfPath)).toBe(true);
		const done = await eraseAllPersonalData(admin, { phrase: ERASE_PHRASE, password: TEST_PASSWORD });
		expect(done.households).toBe(1);
		for (const t of ['letter_batch_items', 'letter_returns', 'letter_batches']) expect(await sql`select 1 from ${sql(t)}`, t).toHaveLength(0);
		expect(fs.existsSync(b.pdfPath)).toBe(false);
		expect(fs.readdirSync(path.join(DATA_DIR, 'letters'))).toEqual([]);
		// counts as text: the pool camel-cases json keys, and these keys are table names
		const [e] = await sql<{ counts: string; files: { found: number; deleted: number } }[]>`select counts::text as counts, files from erasures order by id desc limit 1`; // this test's (an earlier file may have erased too)
		expect(JSON.parse(e.counts)).toMatchObject({ letter_batch_items: 1, letter_returns: 1, letter_batches: 1 });
		expect(e.files).toMatchObject({ found: 1, deleted: 1 });
		// the template and settings are not personal data: kept
		expect(await sql`select 1 from letter_templates`).toHaveLength(1);
	});
});
