/** SQL of the phones table as the desk changes it (numbers marked wrong / not in service, numbers added). */
import type { Db } from '../db.ts';
import type { PhoneSaved } from '../../realtime/events.ts';

export interface PhoneRecord extends PhoneSaved {
	statusChangedAt: Date | null;
	statusChangedBy: number | null;
}

const cols = 'id, household_id, person_id, raw, digits, extension, kind, valid, status, source, status_changed_at, status_changed_by';

export async function phoneForUpdate(db: Db, phoneId: number, householdId: number): Promise<PhoneRecord | undefined> {
	const [r] = await db<PhoneRecord[]>`select ${db.unsafe(cols)} from phones where id = ${phoneId} and household_id = ${householdId} for update`;
	return r;
}

export async function setStatus(db: Db, phoneId: number, status: PhoneRecord['status'], by: number | null): Promise<PhoneRecord> {
	const [r] = await db<PhoneRecord[]>`
		update phones set status = ${status}, status_changed_at = now(), status_changed_by = ${by}
		where id = ${phoneId} returning ${db.unsafe(cols)}`;
	return r;
}

/** A number of the household with the same digits (and extension), if any. */
export async function sameNumber(db: Db, householdId: number, digits: string, extension: string | null): Promise<PhoneRecord | undefined> {
	const [r] = await db<PhoneRecord[]>`
		select ${db.unsafe(cols)} from phones
		where household_id = ${householdId} and digits = ${digits} and extension is not distinct from ${extension}
		limit 1`;
	return r;
}

export async function personOfHousehold(db: Db, personId: number, householdId: number): Promise<boolean> {
	const [r] = await db`select 1 from persons where id = ${personId} and household_id = ${householdId}`;
	return !!r;
}

export async function insertPhone(
	db: Db,
	p: { householdId: number; personId: number | null; raw: string; digits: string; extension: string | null; kind: string; source: string; addedBy: number }
): Promise<PhoneRecord> {
	const [r] = await db<PhoneRecord[]>`
		insert into phones (household_id, person_id, raw, digits, extension, kind, valid, status, source, added_by)
		values (${p.householdId}, ${p.personId}, ${p.raw}, ${p.digits}, ${p.extension}, ${p.kind}, true, 'active', ${p.source}, ${p.addedBy})
		returning ${db.unsafe(cols)}`;
	return r;
}

/** Who holds the household now (a live claim), if anyone. */
export async function holder(db: Db, householdId: number): Promise<number | null> {
	const [r] = await db<{ claimedBy: number | null }[]>`
		select claimed_by from call_queue where household_id = ${householdId} and state = 'claimed'`;
	return r?.claimedBy ?? null;
}
