/**
 * SQL of the ward-data tables (households, persons, phones, receipts …), read for a household's card. One query
 * per field group (src/lib/domain/fields.ts): the use case runs a group's query only when the reader's role may
 * see that group, so columns a role may not read are never selected. Each query selects only its group's columns.
 */
import type { Db } from '../db.ts';
import type { ReceiptRow } from '../../domain/arrears.ts';
import type { ScopeRule } from '../../domain/access-scope.ts';

export async function householdStatus(db: Db, householdId: number): Promise<string | null> {
	const [r] = await db<{ status: string }[]>`select status from households where id = ${householdId}`;
	return r?.status ?? null;
}

/**
 * Whether the user may open the household under a scope rule (access-scope.ts): the rule is a `where` over the
 * assignment tables, so the answer for a household outside the scope is the same as for one that does not exist,
 * and nothing of it is read.
 */
export async function householdInScope(db: Db, householdId: number, userId: number, rule: ScopeRule): Promise<boolean> {
	const scope = {
		held: () => db`exists (
			select 1 from call_queue q where q.household_id = h.id and q.state = 'claimed' and q.claimed_by = ${userId})`,
		ownSegments: () => db`exists (
			select 1 from call_queue q
			where q.household_id = h.id
			  and ((q.state = 'claimed' and q.claimed_by = ${userId})
			       or exists (select 1 from operator_segments os where os.user_id = ${userId} and os.segment_id = q.segment_id)))`,
		teamSegments: () => db`exists (
			select 1 from call_queue q join operator_segments os on os.segment_id = q.segment_id
			where q.household_id = h.id and (os.user_id = ${userId} or os.assigned_by = ${userId}))`,
		handedOff: () => db`exists (
			select 1 from handoffs ho where ho.household_id = h.id and (ho.assigned_to is null or ho.assigned_to = ${userId}))`,
		inbound: () => db`true`,
		heldInbound: () => db`exists (
			select 1 from call_queue q where q.household_id = h.id and q.state = 'claimed' and q.claimed_by = ${userId} and q.claim_kind = 'inbound')`
	}[rule]();
	const [r] = await db<{ id: number }[]>`select h.id from households h where h.id = ${householdId} and ${scope}`;
	return r !== undefined;
}

/**
 * The 国保記号番号 of the household this user holds now (claimed by them), or null when they hold nothing: the
 * label a notice names their own claim by. Selects that one column of that one row only.
 */
export async function heldLabel(db: Db, userId: number): Promise<{ householdId: number; nhiNumber: string } | null> {
	const [r] = await db<{ householdId: number; nhiNumber: string }[]>`
		select h.id as household_id, h.nhi_number from call_queue q join households h on h.id = q.household_id
		where q.state = 'claimed' and q.claimed_by = ${userId}`;
	return r ?? null;
}

// ─── one reader per field group ─────────────────────────────────────────────

export async function identity(db: Db, householdId: number): Promise<string> {
	const [r] = await db<{ nhiNumber: string }[]>`select nhi_number from households where id = ${householdId}`;
	return r.nhiNumber;
}

/** The payer: the head of household (by resident number, else by 続柄 世帯主, else the first person). */
export async function payer(db: Db, householdId: number) {
	const [p] = await db<{ name: string; nameKana: string | null; hasGaiji: boolean }[]>`
		select p.name, p.name_kana, p.has_gaiji
		from households h join persons p on p.household_id = h.id
		where h.id = ${householdId}
		order by (p.resident_number = h.head_resident_number) desc, (p.relationship = '世帯主') desc, p.id
		limit 1`;
	return p;
}

export async function language(db: Db, householdId: number): Promise<string> {
	const [r] = await db<{ language: string }[]>`select language from households where id = ${householdId}`;
	return r?.language ?? 'ja';
}

export interface PhoneRow {
	id: number;
	raw: string;
	digits: string | null;
	extension: string | null;
	kind: string;
	valid: boolean;
	status: string;
	source: string;
}

export async function phones(db: Db, householdId: number): Promise<PhoneRow[]> {
	return db<PhoneRow[]>`
		select id, raw, digits, extension, kind, valid, status, source from phones
		where household_id = ${householdId}
		order by (valid and status = 'active') desc, (kind = 'mobile') desc, id`;
}

/** Phones that may still be dialled. */
export async function callablePhoneCount(db: Db, householdId: number): Promise<number> {
	const [r] = await db<{ n: number }[]>`
		select count(*)::int as n from phones where household_id = ${householdId} and valid and status = 'active'`;
	return r.n;
}

/** What arrears need from 収納情報, and nothing else (the arrears group). */
export async function receipts(db: Db, householdId: number): Promise<ReceiptRow[]> {
	return db<ReceiptRow[]>`
		select fiscal_year, period, assessed, received_total, due_date::text as due_date
		from receipts where household_id = ${householdId}
		order by fiscal_year, period`;
}

export async function lastContacts(db: Db, householdId: number, limit = 5) {
	return db<
		{ id: number; at: Date; outcomeCode: string; labelJa: string; labelEn: string; party: string; direction: string; note: string | null; operator: string }[]
	>`
		select c.id, c.started_at as at, c.outcome_code, o.label_ja, o.label_en, c.party, c.direction, c.note, u.display_name as operator
		from calls c join outcome_codes o on o.code = c.outcome_code join users u on u.id = c.operator_id
		where c.household_id = ${householdId}
		order by c.recorded_at desc limit ${limit}`;
}

/** The household's promises, newest first: made, amount, due, state and the money counted towards each (reconciliation). */
export async function promises(db: Db, householdId: number) {
	const rows = await db<{ id: number; amount: number; dueDate: string; status: string; paid: number; createdAt: Date }[]>`
		select id, amount, due_date::text as due_date, status, paid_amount as paid, created_at from promises
		where household_id = ${householdId} order by created_at desc, id desc limit 20`;
	return rows.map((r) => ({ ...r, amount: Number(r.amount), paid: Number(r.paid) }));
}

export async function address(db: Db, householdId: number) {
	const [a] = await db<{ postalCode: string | null; address: string | null; addressExtra: string | null }[]>`
		select postal_code, address, address_extra from households where id = ${householdId}`;
	return a;
}

export async function handoffs(db: Db, householdId: number) {
	return db<
		{ id: number; reason: string; status: string; note: string | null; createdAt: Date; assignedTo: number | null; resolutionCode: string | null; instruction: string | null; closedAt: Date | null }[]
	>`
		select id, reason, status, note, created_at, assigned_to, resolution_code, instruction, closed_at
		from handoffs where household_id = ${householdId} order by created_at desc limit 10`;
}

export { openInstruction } from '../handoffs/handoffs.queries.ts';

export async function members(db: Db, householdId: number) {
	return db<
		{
			residentNumber: string;
			name: string;
			nameKana: string | null;
			hasGaiji: boolean;
			sex: string | null;
			relationship: string | null;
			birthDate: string | null;
			nationality: string | null;
			postalCode: string | null;
			address: string | null;
			phoneRaw: string | null;
			residentSince: string | null;
			residentSinceReason: string | null;
			residentUntil: string | null;
			residentUntilReason: string | null;
			deathDate: string | null;
		}[]
	>`
		select resident_number, name, name_kana, has_gaiji, sex, relationship, birth_date::text as birth_date, nationality,
		       postal_code, address, phone_raw, resident_since::text as resident_since, resident_since_reason,
		       resident_until::text as resident_until, resident_until_reason, death_date::text as death_date
		from persons where household_id = ${householdId} order by id`;
}

/** 収納情報 in full (ward staff). */
export async function receiptDetails(db: Db, householdId: number) {
	return db<
		{
			fiscalYear: number;
			equivalentYear: number | null;
			period: number;
			assessed: number;
			assessedCare: number | null;
			assessedElderly: number | null;
			dueDate: string | null;
			receivedTotal: number;
			receivedCare: number | null;
			receivedElderly: number | null;
			paidOn: string | null;
			receivedOn: string | null;
			receivingInstitution: string | null;
			lastPaidOn: string | null;
			lastReceivedOn: string | null;
		}[]
	>`
		select fiscal_year, equivalent_year, period, assessed, assessed_care, assessed_elderly, due_date::text as due_date,
		       received_total, received_care, received_elderly, paid_on::text as paid_on, received_on::text as received_on,
		       receiving_institution, last_paid_on::text as last_paid_on, last_received_on::text as last_received_on
		from receipts where household_id = ${householdId} order by fiscal_year, period`;
}

/** 世帯情報 per assessment year, without income (that is its own group). */
export async function assessment(db: Db, householdId: number) {
	return db<
		{
			fiscalYear: number;
			reassessedOn: string | null;
			reductionClass: string | null;
			cardClass: string | null;
			cardIssuedOn: string | null;
			cardExpiresOn: string | null;
			insuredCount: number | null;
		}[]
	>`
		select fiscal_year, reassessed_on::text as reassessed_on, reduction_class, card_class, card_issued_on::text as card_issued_on,
		       card_expires_on::text as card_expires_on, insured_count
		from household_years where household_id = ${householdId} order by fiscal_year desc`;
}

/** 総所得世帯合計 per year, and the income-based part of the premium (所得割賦課標準額, 所得割額). */
export async function income(db: Db, householdId: number) {
	const byYear = await db<{ fiscalYear: number; totalIncome: number | null }[]>`
		select fiscal_year, total_income from household_years where household_id = ${householdId} order by fiscal_year desc`;
	const premiumBase = await db<{ fiscalYear: number; premiumType: string; incomeBase: number | null; incomeLevy: number | null }[]>`
		select fiscal_year, premium_type, income_base, income_levy from premiums
		where household_id = ${householdId} order by fiscal_year desc, premium_type`;
	return { byYear, premiumBase };
}

/** 国保料情報 without its income-based part. */
export async function premiums(db: Db, householdId: number) {
	return db<
		{
			fiscalYear: number;
			premiumType: string;
			perCapita: number | null;
			perCapitaReduction: number | null;
			overCap: number | null;
			exemption: number | null;
			annualPremium: number | null;
			previousAnnualPremium: number | null;
		}[]
	>`
		select fiscal_year, premium_type, per_capita, per_capita_reduction, over_cap, exemption, annual_premium, previous_annual_premium
		from premiums where household_id = ${householdId} order by fiscal_year desc, premium_type`;
}

export async function bankTransfer(db: Db, householdId: number) {
	const [r] = await db<
		{ enabled: boolean; startsOn: string | null; endsOn: string | null; bankCode: string | null; branchCode: string | null; accountHolder: string | null }[]
	>`
		select enabled, starts_on::text as starts_on, ends_on::text as ends_on, bank_code, branch_code, account_holder
		from bank_transfers where household_id = ${householdId}`;
	return r ?? null;
}

export async function paymentManagers(db: Db, householdId: number) {
	return db<{ kind: string | null; name: string | null; address: string | null }[]>`
		select kind, name, address from payment_managers where household_id = ${householdId} order by id`;
}

export async function employers(db: Db, householdId: number) {
	return db<{ residentNumber: string; name: string | null; address: string | null; phoneRaw: string | null; businessType: string | null }[]>`
		select p.resident_number, e.name, e.address, e.phone_raw, e.business_type
		from employers e join persons p on p.id = e.person_id
		where p.household_id = ${householdId} order by p.id, e.id`;
}

export async function eligibility(db: Db, householdId: number) {
	return db<
		{
			residentNumber: string;
			kind: string;
			acquiredOn: string | null;
			acquiredFiledOn: string | null;
			acquiredReason: string | null;
			lostOn: string | null;
			lostFiledOn: string | null;
			lostReason: string | null;
		}[]
	>`
		select p.resident_number, e.kind, e.acquired_on::text as acquired_on, e.acquired_filed_on::text as acquired_filed_on, e.acquired_reason,
		       e.lost_on::text as lost_on, e.lost_filed_on::text as lost_filed_on, e.lost_reason
		from eligibility e join persons p on p.id = e.person_id
		where p.household_id = ${householdId} order by p.id, e.kind`;
}

export async function caseHistory(db: Db, householdId: number) {
	return db<{ recordedAt: Date | null; kind: string | null; place: string | null; counterpart: string | null; content: string | null; residentNumber: string | null }[]>`
		select c.recorded_at, c.kind, c.place, c.counterpart, c.content, p.resident_number
		from case_history c left join persons p on p.id = c.person_id
		where c.household_id = ${householdId} order by c.recorded_at desc nulls last, c.id desc limit 50`;
}
