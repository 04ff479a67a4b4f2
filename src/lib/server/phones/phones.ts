/**
 * A household's numbers as the desk learns about them: a number is wrong (別人) or not in service (現在使われて
 * おりません), or works again; a new number is recorded with its source (本人申告 self_report, 勤務先 employer,
 * 調査 research). Who may: the operator holding the household (call.record and the claim), or a supervisor
 * (queue.manage) for a household of their team's segments. Each change is access-logged, publishes
 * `household:updated` and, when nobody holds the household, places it again (a closed "no number" household
 * becomes callable with a new number; one whose last number is gone is closed).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import type { Actor } from '../auth/actor.ts';
import { can } from '../../domain/roles.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { mayOpenHousehold } from '../households/households.ts';
import { parsePhone } from '../../domain/phone.ts';
import { id } from '../validation.ts';
import { placeUnlessHeld } from '../calls/place.ts';
import * as q from './phones.queries.ts';
import type { PhoneSaved } from '../../realtime/events.ts';

export const phoneStatuses = ['wrong_number', 'not_in_service', 'active'] as const;
export const phoneSources = ['self_report', 'employer', 'research'] as const;

export const markPhoneInput = z.object({ householdId: id, phoneId: id, status: z.enum(phoneStatuses) });
export const addPhoneInput = z.object({
	householdId: id,
	number: z.string().max(40, 'at most 40 characters'),
	source: z.enum(phoneSources),
	personId: id.optional().nullable()
});

/** A number as the desk shows it after a change (the phone:mark / phone:add answer). */
export type PhoneView = PhoneSaved;

function view(p: q.PhoneRecord): PhoneView {
	return { id: p.id, householdId: p.householdId, personId: p.personId, raw: p.raw, digits: p.digits, extension: p.extension, kind: p.kind, valid: p.valid, status: p.status, source: p.source };
}

/** Policy: the operator holding the household, or a supervisor whose team's segments include it. */
async function requireMayChangePhones(tx: Db, actor: Actor, householdId: number): Promise<{ holder: number | null }> {
	const mayRecord = can(actor.role, 'call.record');
	const mayManage = can(actor.role, 'queue.manage');
	if (!mayRecord && !mayManage) throw new DomainError('forbidden', `role ${actor.role} may not change phone numbers`);
	// lock the queue row: the claim cannot change hands while the number changes
	await tx`select 1 from call_queue where household_id = ${householdId} for update`;
	const holder = await q.holder(tx, householdId);
	if (mayRecord && holder === actor.id) return { holder };
	if (mayManage && (await mayOpenHousehold(tx, actor, householdId, 'review'))) return { holder };
	if (mayRecord) throw new DomainError('claim_not_held', 'you do not hold this household (the claim may have lapsed)');
	throw new DomainError('forbidden', 'this household is not in your segments');
}

async function afterChange(tx: Db, actor: Actor, householdId: number, phoneId: number, holder: number | null) {
	// the holder's screen (another tab, or the operator a supervisor helps) reloads the numbers
	await publish(tx, { type: 'household:updated', data: { householdId, by: actor.id, what: 'phone', callId: null, phoneId, userId: holder } });
	if (holder === null) await placeUnlessHeld(tx, householdId);
}

/**
 * Mark one of the household's numbers wrong, not in service, or active again. Marking a number that already has
 * that status changes nothing and is answered as it is.
 */
export async function markPhone(actor: Actor, raw: unknown): Promise<PhoneView> {
	if (!can(actor.role, 'call.record') && !can(actor.role, 'queue.manage')) throw new DomainError('forbidden', `role ${actor.role} may not change phone numbers`);
	const parsed = markPhoneInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { householdId, phoneId, status } = parsed.data;
	return db().begin(async (tx) => {
		const { holder } = await requireMayChangePhones(tx, actor, householdId);
		const phone = await q.phoneForUpdate(tx, phoneId, householdId);
		if (!phone) throw new DomainError('not_found', 'that number is not this household’s', { phoneId: 'not this household’s number' });
		if (phone.status === status) return view(phone);
		if (status === 'active' && !phone.valid)
			throw new DomainError('invalid_input', 'this number cannot be dialled (it is not a valid number): record the right number instead', { status: 'the number is not valid' });
		const changed = await q.setStatus(tx, phone.id, status, actor.id > 0 ? actor.id : null);
		await writeAccessLog(tx, actor, { action: 'phone.change', householdId, reason: `phone ${phone.id}: ${phone.status} → ${status}` });
		await afterChange(tx, actor, householdId, phone.id, holder);
		return view(changed);
	});
}

const problemText: Record<string, string> = {
	empty: 'enter a number',
	placeholder: 'enter a number',
	not_a_number: 'this is not a phone number',
	wrong_prefix: 'a Japanese number starts with 0 (or +81)',
	wrong_length: 'wrong number of digits for this kind of number',
	all_zeros: 'this is not a phone number'
};

/**
 * Record a new number for the household, in any format (full-width digits, hyphens, brackets, +81, 内線…),
 * with its source. An invalid number is refused naming `number`; one the household has already is a conflict
 * naming that number.
 */
export async function addPhone(actor: Actor, raw: unknown): Promise<PhoneView> {
	if (!can(actor.role, 'call.record') && !can(actor.role, 'queue.manage')) throw new DomainError('forbidden', `role ${actor.role} may not change phone numbers`);
	const parsed = addPhoneInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const input = parsed.data;
	const phone = parsePhone(input.number);
	if (!phone.valid || !phone.digits) {
		const msg = problemText[phone.problem ?? 'not_a_number'] ?? 'this is not a phone number';
		throw new DomainError('invalid_input', msg, { number: msg });
	}
	const digits = phone.digits;
	return db().begin(async (tx) => {
		const { holder } = await requireMayChangePhones(tx, actor, input.householdId);
		if (input.personId && !(await q.personOfHousehold(tx, input.personId, input.householdId)))
			throw new DomainError('invalid_input', 'that person is not a member of this household', { personId: 'not a member of this household' });
		const same = await q.sameNumber(tx, input.householdId, digits, phone.extension);
		if (same) throw new DomainError('conflict', `this household has that number already (${same.raw}${same.status !== 'active' ? `, ${same.status}` : ''})`, { number: 'recorded already', phoneId: String(same.id) });
		const added = await q.insertPhone(tx, {
			householdId: input.householdId,
			personId: input.personId ?? null,
			raw: input.number.trim(),
			digits,
			extension: phone.extension,
			kind: phone.kind,
			source: input.source,
			addedBy: actor.id
		});
		await writeAccessLog(tx, actor, { action: 'phone.change', householdId: input.householdId, reason: `phone ${added.id} added (${input.source})` });
		await afterChange(tx, actor, input.householdId, added.id, holder);
		return view(added);
	});
}
