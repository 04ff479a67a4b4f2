/**
 * The field policy and the access scope against the real database: for each role, a household rich in data
 * (income, bank account, employer, eligibility, case history …) is read and the answer holds exactly the keys of
 * the role's field groups, and none of the values of the others; households outside a person's scope are refused
 * with 403 and a `household.denied` access-log row.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { readHouseholdCard, type HouseholdCard } from '../../src/lib/server/households/households.ts';
import { assignOperator } from '../../src/lib/server/segments/segments.ts';
import { listHandoffs } from '../../src/lib/server/handoffs/handoffs.ts';
import { fieldGroupInfo, fieldsFor } from '../../src/lib/domain/fields.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';
import type { Role } from '../../src/lib/domain/roles.ts';
import { GET } from '../../src/routes/api/households/[id]/+server.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(() => resetDb(sql));

/** Values only staff may see; none of them may appear anywhere in an operator's or supervisor's answer. */
const secret = {
	totalIncome: 4_837_215, // 総所得世帯合計
	incomeBase: 3_911_777, // 所得割賦課標準額
	incomeLevy: 421_093, // 所得割額
	annualPremium: 577_311,
	reductionClass: '七割軽減テスト',
	bankCode: '9871',
	branchCode: '654',
	accountHolder: 'コウザメイギ　テスト',
	employer: '株式会社勤務先テスト',
	employerPhone: '03-9999-1234',
	eligibilityReason: '社保離脱テスト事由',
	caseHistory: '経過記録テスト：差押予告を送付',
	caseCounterpart: '交渉相手テスト',
	manager: '管理人テスト花子',
	spouse: '試験　花子スパウス',
	spouseBirth: '1961-02-03',
	payerBirth: '1958-07-09',
	institution: 'テスト信用金庫収納'
};

/** A household (via the factory) with every kind of ward data, plus a call, a promise and a handoff. */
async function richHousehold(segmentId: number, createdBy: Actor): Promise<number> {
	const h = await newHousehold(sql, { segmentId, owed: 48_000 });
	const [payer] = await sql<{ id: number }[]>`update persons set birth_date = ${secret.payerBirth} where household_id = ${h} returning id`;
	await sql`update households set postal_code = '160-0023', address_extra = 'テストハイツ101' where id = ${h}`;
	const [spouse] = await sql<{ id: number }[]>`
		insert into persons (resident_number, household_id, fiscal_year, name, name_kana, relationship, birth_date, nationality, sex)
		values (${'S' + h}, ${h}, 2025, ${secret.spouse}, 'シケン　ハナコ', '妻', ${secret.spouseBirth}, 'VN', '2') returning id`;
	await sql`update receipts set receiving_institution = ${secret.institution}, paid_on = '2025-07-01' where household_id = ${h}`;
	await sql`insert into household_years (household_id, fiscal_year, reduction_class, card_class, insured_count, total_income)
		values (${h}, 2025, ${secret.reductionClass}, '短期証', 2, ${secret.totalIncome})`;
	await sql`insert into premiums (household_id, fiscal_year, income_base, income_levy, per_capita, annual_premium)
		values (${h}, 2025, ${secret.incomeBase}, ${secret.incomeLevy}, 98000, ${secret.annualPremium})`;
	await sql`insert into bank_transfers (household_id, enabled, starts_on, bank_code, branch_code, account_holder)
		values (${h}, true, '2024-04-01', ${secret.bankCode}, ${secret.branchCode}, ${secret.accountHolder})`;
	await sql`insert into payment_managers (household_id, kind, name, address) values (${h}, '相続人', ${secret.manager}, '大阪府大阪市1-1')`;
	await sql`insert into employers (person_id, name, address, phone_raw, business_type)
		values (${payer.id}, ${secret.employer}, '東京都港区1-1', ${secret.employerPhone}, '製造業')`;
	await sql`insert into eligibility (person_id, kind, acquired_on, acquired_reason) values (${spouse.id}, '国保', '2020-04-01', ${secret.eligibilityReason})`;
	await sql`insert into case_history (household_id, person_id, recorded_at, kind, place, counterpart, content)
		values (${h}, ${payer.id}, '2025-09-01T10:00:00+09:00', '交渉', '窓口', ${secret.caseCounterpart}, ${secret.caseHistory})`;
	const [call] = await sql<{ id: number }[]>`
		insert into calls (household_id, segment_id, operator_id, party, outcome_code, note, started_at)
		values (${h}, ${segmentId}, ${createdBy.id}, 'self', '40', '来月払うとのこと', now() - interval '2 days') returning id`;
	await sql`insert into promises (household_id, call_id, amount, due_date, created_by) values (${h}, ${call.id}, 10000, '2026-12-01', ${createdBy.id})`;
	await sql`insert into handoffs (household_id, call_id, reason, note, created_by) values (${h}, ${call.id}, 'installment', '分納の相談希望', ${createdBy.id})`;
	return h;
}

/** The keys an answer must have for a role: id, fields, and the card keys of the role's groups. */
function expectedKeys(role: Role): string[] {
	return ['id', 'fields', ...fieldsFor(role).flatMap((g) => [...fieldGroupInfo[g].cardKeys])].sort();
}

function expectNoSecrets(card: HouseholdCard) {
	const json = JSON.stringify(card);
	for (const [k, v] of Object.entries(secret)) expect(json, `${k} leaked`).not.toContain(String(v));
}

async function logRows(userId: number) {
	return sql<{ action: string; householdId: number | null; fields: string[] | null; reason: string | null }[]>`
		select action, household_id, fields, reason from access_log where user_id = ${userId} and action like 'household.%' order by id`;
}

/** Call the API route as SvelteKit would, as this user. */
async function apiGet(user: Actor, id: string, query = 'reason=review') {
	const url = new URL(`http://kansho.test/api/households/${id}?${query}`);
	const res = await GET({ locals: { user }, params: { id }, url } as never);
	const text = await res.text();
	return { status: res.status, body: JSON.parse(text), text };
}

describe('field policy per role (real database)', () => {
	it('gives an operator the call card only: exactly its keys, and no income, bank, employer, eligibility or case history', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await richHousehold(seg, op);
		expect((await claimNextHousehold(op)).householdId).toBe(h);

		const card = await readHouseholdCard(op, { householdId: h, reason: 'outbound' });

		expect(Object.keys(card).sort()).toEqual(expectedKeys('operator'));
		expect(card.fields).toEqual(['identity', 'payer', 'language', 'phones', 'address', 'arrears', 'promises', 'contacts', 'instructions']);
		expect(card.payerName).toMatch(/^試験　太郎/);
		expect(card.payerKana).toBe('シケン　タロウ');
		expect(card.address).toEqual({ postalCode: '160-0023', address: '東京都新宿区西新宿1-1-1', addressExtra: 'テストハイツ101' });
		expect(card.arrears?.periods).toEqual([{ fiscalYear: 2025, period: 1, dueDate: '2025-06-30', owed: 48_000 }]);
		expect(card.promises).toMatchObject([{ amount: 10_000, dueDate: '2026-12-01', status: 'pending', paid: 0 }]);
		expect(card.lastContacts).toMatchObject([{ outcomeCode: '40', note: '来月払うとのこと' }]);
		expect(card.phones?.[0].display).toMatch(/^090-/);
		expectNoSecrets(card);

		// and the same through the API, as JSON
		const res = await apiGet(op, String(h), 'reason=outbound');
		expect(res.status).toBe(200);
		expect(Object.keys(res.body).sort()).toEqual(expectedKeys('operator'));
		for (const [k, v] of Object.entries(secret)) expect(res.text, `${k} leaked`).not.toContain(String(v));

		const logs = await logRows(op.id);
		expect(logs.filter((l) => l.action === 'household.view')).toEqual([
			{ action: 'household.view', householdId: h, fields: card.fields, reason: 'outbound' },
			{ action: 'household.view', householdId: h, fields: card.fields, reason: 'outbound' }
		]);
	});

	it('never selects the staff-only tables for an operator (they are locked, and the read still completes)', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await richHousehold(seg, op);
		await claimNextHousehold(op);
		// an ACCESS EXCLUSIVE lock blocks even a SELECT: if the operator's read touched any of these tables, it would wait
		const locker = await sql.reserve();
		try {
			await locker`begin`;
			await locker`lock table household_years, premiums, bank_transfers, payment_managers, employers, eligibility, case_history, handoffs in access exclusive mode`;
			const timeout = new Promise<'blocked'>((r) => setTimeout(() => r('blocked'), 5_000));
			const result = await Promise.race([readHouseholdCard(op, { householdId: h, reason: 'outbound' }).then(() => 'read' as const), timeout]);
			expect(result).toBe('read');
		} finally {
			await locker`rollback`;
			locker.release();
		}
	});

	it('gives a supervisor what operators see, within their segments', async () => {
		const seg = await newSegment(sql);
		const sv = await newUser(sql, 'supervisor');
		const op = await newUser(sql, 'operator');
		await assignOperator(sql, op.id, seg, sv.id); // the supervisor runs this segment: they assigned its operator
		const h = await richHousehold(seg, op);

		const card = await readHouseholdCard(sv, { householdId: h, reason: 'review' });

		expect(Object.keys(card).sort()).toEqual(expectedKeys('supervisor'));
		expect(card.fields).toEqual(fieldsFor('operator'));
		expectNoSecrets(card);
	});

	it('gives ward staff the fuller record of a household handed off to them', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await richHousehold(seg, op);
		const staff = await newUser(sql, 'staff');

		const card = await readHouseholdCard(staff, { householdId: h, reason: 'handoff' });

		expect(Object.keys(card).sort()).toEqual(expectedKeys('staff'));
		expect(card.income?.byYear).toEqual([{ fiscalYear: 2025, totalIncome: secret.totalIncome }]);
		expect(card.income?.premiumBase).toEqual([{ fiscalYear: 2025, premiumType: '医療', incomeBase: secret.incomeBase, incomeLevy: secret.incomeLevy }]);
		expect(card.premiums).toMatchObject([{ annualPremium: secret.annualPremium, perCapita: 98_000 }]);
		expect(card.premiums?.[0]).not.toHaveProperty('incomeBase'); // income is its own group
		expect(card.assessment).toMatchObject([{ fiscalYear: 2025, reductionClass: secret.reductionClass, insuredCount: 2 }]);
		expect(card.assessment?.[0]).not.toHaveProperty('totalIncome');
		expect(card.bankTransfer).toEqual({ enabled: true, startsOn: '2024-04-01', endsOn: null, bankCode: secret.bankCode, branchCode: secret.branchCode, accountHolder: secret.accountHolder });
		expect(card.employers).toMatchObject([{ name: secret.employer, phoneRaw: secret.employerPhone, businessType: '製造業' }]);
		expect(card.eligibility).toMatchObject([{ kind: '国保', acquiredOn: '2020-04-01', acquiredReason: secret.eligibilityReason }]);
		expect(card.caseHistory).toMatchObject([{ kind: '交渉', counterpart: secret.caseCounterpart, content: secret.caseHistory }]);
		expect(card.paymentManagers).toEqual([{ kind: '相続人', name: secret.manager, address: '大阪府大阪市1-1' }]);
		expect(card.members?.map((m) => [m.name.slice(0, 5), m.birthDate, m.nationality])).toEqual([
			['試験　太郎', secret.payerBirth, 'JP'],
			['試験　花子', secret.spouseBirth, 'VN']
		]);
		expect(card.receipts).toMatchObject([{ fiscalYear: 2025, period: 1, assessed: 48_000, receivingInstitution: secret.institution, paidOn: '2025-07-01' }]);
		expect(card.handoffs).toMatchObject([{ reason: 'installment', status: 'new', note: '分納の相談希望' }]);
		const [log] = await logRows(staff.id);
		expect(log).toEqual({ action: 'household.view', householdId: h, fields: fieldsFor('staff'), reason: 'handoff' });
	});

	it('refuses managers, administrators and auditors with 403, reads nothing, and logs the refusal', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await richHousehold(seg, op);
		for (const role of ['manager', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(readHouseholdCard(u, { householdId: h, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
			const res = await apiGet(u, String(h));
			expect(res.status).toBe(403);
			expect(res.body.code).toBe('forbidden');
			expect(res.text).not.toContain('試験');
			expect(await logRows(u.id)).toEqual([
				{ action: 'household.denied', householdId: h, fields: null, reason: 'review' },
				{ action: 'household.denied', householdId: h, fields: null, reason: 'review' }
			]);
		}
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where action = 'household.view'`;
		expect(n).toBe(0);
	});
});

describe('access scope per person', () => {
	it('refuses an operator a household outside their segments with 403 and a denied row, and the answer tells nothing', async () => {
		const mine = await newSegment(sql);
		const other = await newSegment(sql);
		const op = await newOperator(sql, [mine]);
		const outside = await richHousehold(other, op);

		await expect(readHouseholdCard(op, { householdId: outside, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
		const res = await apiGet(op, String(outside));
		expect(res.status).toBe(403);
		expect(res.body).toEqual({ code: 'forbidden', message: 'this household is not in your access scope' });
		// a household that does not exist gets the very same answer
		const missing = await apiGet(op, '999999');
		expect(missing.status).toBe(403);
		expect(missing.body).toEqual(res.body);

		expect(await logRows(op.id)).toEqual([
			{ action: 'household.denied', householdId: outside, fields: null, reason: 'review' },
			{ action: 'household.denied', householdId: outside, fields: null, reason: 'review' },
			{ action: 'household.denied', householdId: 999999, fields: null, reason: 'review' }
		]);
	});

	it('lets an operator read the household they hold, and review their segments, but call only the held one', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const held = await newHousehold(sql, { segmentId: seg, owed: 90_000 });
		const sameSegment = await newHousehold(sql, { segmentId: seg, owed: 1_000 });
		expect((await claimNextHousehold(op)).householdId).toBe(held);

		expect((await readHouseholdCard(op, { householdId: held, reason: 'outbound' })).id).toBe(held);
		expect((await readHouseholdCard(op, { householdId: sameSegment, reason: 'review' })).id).toBe(sameSegment);
		await expect(readHouseholdCard(op, { householdId: sameSegment, reason: 'outbound' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(readHouseholdCard(op, { householdId: held, reason: 'handoff' })).rejects.toMatchObject({ code: 'forbidden' });

		expect((await logRows(op.id)).map((l) => [l.action, l.householdId, l.reason])).toEqual([
			['household.claim', held, 'outbound'],
			['household.view', held, 'outbound'],
			['household.view', sameSegment, 'review'],
			['household.denied', sameSegment, 'outbound'],
			['household.denied', held, 'handoff']
		]);
	});

	it('keeps the held household readable after the operator is moved to another segment mid-call', async () => {
		const a = await newSegment(sql);
		const b = await newSegment(sql);
		const op = await newOperator(sql, [a]);
		const held = await newHousehold(sql, { segmentId: a });
		const stillInA = await newHousehold(sql, { segmentId: a, owed: 1 });
		await claimNextHousehold(op);
		await sql`delete from operator_segments where user_id = ${op.id}`;
		await assignOperator(sql, op.id, b);

		expect((await readHouseholdCard(op, { householdId: held, reason: 'outbound' })).id).toBe(held);
		expect((await readHouseholdCard(op, { householdId: held, reason: 'review' })).id).toBe(held);
		await expect(readHouseholdCard(op, { householdId: stillInA, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('lets an operator look up an inbound caller anywhere, only with a note, kept beside the log with its hash in the log', async () => {
		const mine = await newSegment(sql);
		const other = await newSegment(sql);
		const op = await newOperator(sql, [mine]);
		const h = await richHousehold(other, op);

		await expect(readHouseholdCard(op, { householdId: h, reason: 'inbound' })).rejects.toMatchObject({ code: 'invalid_input', details: { note: expect.any(String) } });
		await expect(readHouseholdCard(op, { householdId: h, reason: 'inbound', note: '  ' })).rejects.toMatchObject({ code: 'invalid_input' });
		const noNote = await apiGet(op, String(h), 'reason=inbound');
		expect(noNote.status).toBe(400);
		expect(noNote.body.details.note).toMatch(/note/);

		const res = await apiGet(op, String(h), `reason=inbound&note=${encodeURIComponent('本人から折り返し、記号番号を口頭確認')}`);
		expect(res.status).toBe(200);
		expect(Object.keys(res.body).sort()).toEqual(expectedKeys('operator'));
		for (const [k, v] of Object.entries(secret)) expect(res.text, `${k} leaked`).not.toContain(String(v));
		// the chained row holds the note's SHA-256, never its text (the log is never erased; the note must be)
		const note = '本人から折り返し、記号番号を口頭確認';
		const digest = createHash('sha256').update(note, 'utf8').digest('hex');
		expect(await logRows(op.id)).toEqual([{ action: 'household.view', householdId: h, fields: fieldsFor('operator'), reason: `inbound (note sha256:${digest})` }]);
		const [{ n: inLog }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where reason like ${'%本人%'} or reason like ${'%記号番号%'}`;
		expect(inLog).toBe(0);
		const [logRow] = await sql<{ id: number }[]>`select id from access_log where user_id = ${op.id} and action = 'household.view'`;
		expect(await sql`select access_log_id, household_id, note from access_log_notes`).toEqual([{ accessLogId: logRow.id, householdId: h, note }]);

		// a refused inbound lookup (no such household) keeps its note the same way
		await expect(readHouseholdCard(op, { householdId: 999999, reason: 'inbound', note: '  山田様から、番号違い  ' })).rejects.toMatchObject({ code: 'forbidden' });
		const trimmed = '山田様から、番号違い';
		const [denied] = await sql<{ id: number; reason: string }[]>`select id, reason from access_log where user_id = ${op.id} and action = 'household.denied'`;
		expect(denied.reason).toBe(`inbound (note sha256:${createHash('sha256').update(trimmed, 'utf8').digest('hex')})`);
		expect(await sql`select household_id, note from access_log_notes where access_log_id = ${denied.id}`).toEqual([{ householdId: 999999, note: trimmed }]);
		// other reasons write no note
		await readHouseholdCard(op, { householdId: h, reason: 'review', note: 'ignored' }).catch(() => {});
		expect((await sql`select 1 from access_log_notes`).length).toBe(2);
	});

	it('keeps a supervisor to the segments they run', async () => {
		const run = await newSegment(sql);
		const assigned = await newSegment(sql);
		const elsewhere = await newSegment(sql);
		const sv = await newUser(sql, 'supervisor');
		const op = await newUser(sql, 'operator');
		await assignOperator(sql, op.id, run, sv.id);
		await assignOperator(sql, sv.id, assigned);
		const inRun = await newHousehold(sql, { segmentId: run });
		const inAssigned = await newHousehold(sql, { segmentId: assigned });
		const outside = await newHousehold(sql, { segmentId: elsewhere });

		expect((await readHouseholdCard(sv, { householdId: inRun, reason: 'review' })).id).toBe(inRun);
		expect((await readHouseholdCard(sv, { householdId: inAssigned, reason: 'review' })).id).toBe(inAssigned);
		await expect(readHouseholdCard(sv, { householdId: outside, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(readHouseholdCard(sv, { householdId: inRun, reason: 'outbound' })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await logRows(sv.id)).map((l) => l.action)).toEqual(['household.view', 'household.view', 'household.denied', 'household.denied']);
	});

	it('keeps ward staff to households handed off to them or to the staff pool', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const staff = await newUser(sql, 'staff');
		const colleague = await newUser(sql, 'staff');
		const pooled = await richHousehold(seg, op); // an unassigned handoff
		const noHandoff = await newHousehold(sql, { segmentId: seg });
		const toColleague = await newHousehold(sql, { segmentId: seg });
		await sql`insert into handoffs (household_id, reason, created_by, assigned_to, status) values (${toColleague}, 'hardship', ${op.id}, ${colleague.id}, 'in_progress')`;

		expect((await readHouseholdCard(staff, { householdId: pooled, reason: 'handoff' })).id).toBe(pooled);
		await expect(readHouseholdCard(staff, { householdId: noHandoff, reason: 'handoff' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(readHouseholdCard(staff, { householdId: toColleague, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await readHouseholdCard(colleague, { householdId: toColleague, reason: 'review' })).id).toBe(toColleague);
		// the staff page's list of open handoffs follows the same rule, and logs each household it shows
		expect((await listHandoffs(staff)).items.map((r) => r.householdId)).toEqual([pooled]);
		expect((await listHandoffs(colleague)).items.map((r) => r.householdId)).toEqual([pooled, toColleague]);
		expect((await logRows(staff.id)).map((l) => [l.action, l.householdId, l.fields])).toEqual([
			['household.view', pooled, fieldsFor('staff')],
			['household.denied', noHandoff, null],
			['household.denied', toColleague, null],
			['household.view', pooled, ['identity', 'payer', 'handoffs']]
		]);
	});

	it('answers malformed input with 400 naming the field, and reads nothing', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		for (const [id, query, field] of [
			['abc', 'reason=review', 'householdId'],
			['1e20', 'reason=review', 'householdId'],
			['-3', 'reason=review', 'householdId'],
			['1', 'reason=curiosity', 'reason'],
			['1', `reason=inbound&note=${'x'.repeat(201)}`, 'note']
		] as const) {
			const res = await apiGet(op, id, query);
			expect(res.status, `${id} ${query}`).toBe(400);
			expect(res.body.code).toBe('invalid_input');
			expect(Object.keys(res.body.details)).toEqual([field]);
		}
		expect(await logRows(op.id)).toEqual([]);
	});
});
