/** SQL of the ward-data tables (households, persons, phones, receipts …), read for a household's card. */
import type { Db } from '../db.ts';
import type { ReceiptRow } from '../../domain/arrears.ts';

export async function householdExists(db: Db, id: number): Promise<{ id: number; nhiNumber: string } | undefined> {
	const [h] = await db<{ id: number; nhiNumber: string }[]>`select id, nhi_number from households where id = ${id}`;
	return h;
}

export async function householdStatus(db: Db, householdId: number): Promise<string | null> {
	const [r] = await db<{ status: string }[]>`select status from households where id = ${householdId}`;
	return r?.status ?? null;
}

/** Who holds the household's claim now, if anyone. */
export async function heldBy(db: Db, householdId: number): Promise<number | null> {
	const [r] = await db<{ claimedBy: number | null }[]>`select claimed_by from call_queue where household_id = ${householdId} and state = 'claimed'`;
	return r?.claimedBy ?? null;
}

export async function payer(db: Db, householdId: number) {
	const [p] = await db<{ name: string; nameKana: string | null; birthDate: string | null; hasGaiji: boolean }[]>`
		select p.name, p.name_kana, p.birth_date::text as birth_date, p.has_gaiji
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

export async function promises(db: Db, householdId: number) {
	return db<{ id: number; amount: number; dueDate: string; status: string; createdAt: Date }[]>`
		select id, amount, due_date::text as due_date, status, created_at from promises
		where household_id = ${householdId} order by created_at desc limit 10`;
}

export async function address(db: Db, householdId: number) {
	const [a] = await db<{ postalCode: string | null; address: string | null; addressExtra: string | null }[]>`
		select postal_code, address, address_extra from households where id = ${householdId}`;
	return a;
}

export async function members(db: Db, householdId: number) {
	return db<{ residentNumber: string; name: string; nameKana: string | null; relationship: string | null; birthDate: string | null; nationality: string | null }[]>`
		select resident_number, name, name_kana, relationship, birth_date::text as birth_date, nationality
		from persons where household_id = ${householdId} order by id`;
}

export async function income(db: Db, householdId: number) {
	const [r] = await db<{ fiscalYear: number; totalIncome: number | null; reductionClass: string | null; cardClass: string | null }[]>`
		select fiscal_year, total_income, reduction_class, card_class from household_years
		where household_id = ${householdId} order by fiscal_year desc limit 1`;
	return r;
}

export async function bankTransfer(db: Db, householdId: number) {
	const [r] = await db<{ enabled: boolean; startsOn: string | null; endsOn: string | null; bankCode: string | null }[]>`
		select enabled, starts_on::text as starts_on, ends_on::text as ends_on, bank_code from bank_transfers where household_id = ${householdId}`;
	return r ?? null;
}

export async function caseHistory(db: Db, householdId: number) {
	return db<{ recordedAt: Date | null; kind: string | null; counterpart: string | null; content: string | null }[]>`
		select recorded_at, kind, counterpart, content from case_history
		where household_id = ${householdId} order by recorded_at desc nulls last limit 20`;
}

export async function handoffs(db: Db, householdId: number) {
	return db<{ id: number; reason: string; status: string; note: string | null; createdAt: Date }[]>`
		select id, reason, status, note, created_at from handoffs where household_id = ${householdId} order by created_at desc limit 10`;
}
