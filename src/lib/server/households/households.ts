/**
 * Reading a household's data. This is the one way household data leaves the database for a person: it applies
 * the role's field policy (only allowed parts are selected at all) and writes the access log in the same
 * transaction.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { fieldsFor, type CardField } from '../../domain/fields.ts';
import { overduePeriods, totalOwed, type ArrearsPeriod } from '../../domain/arrears.ts';
import { formatPhone } from '../../domain/phone.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './households.queries.ts';
import { id } from '../validation.ts';

export interface HouseholdCard {
	id: number;
	/** the parts this reader was allowed to see */
	fields: CardField[];
	nhiNumber?: string;
	payerName?: string;
	payerKana?: string | null;
	/** the name holds ward-defined characters (外字) that may not display */
	payerNameHasGaiji?: boolean;
	language?: string;
	phones?: (q.PhoneRow & { display: string | null })[];
	arrears?: { periods: ArrearsPeriod[]; total: number; byYear: { fiscalYear: number; owed: number }[]; asOf: string };
	lastContacts?: Awaited<ReturnType<typeof q.lastContacts>>;
	promises?: Awaited<ReturnType<typeof q.promises>>;
	address?: Awaited<ReturnType<typeof q.address>>;
	birthDate?: string | null;
	members?: Awaited<ReturnType<typeof q.members>>;
	income?: Awaited<ReturnType<typeof q.income>>;
	bankTransfer?: Awaited<ReturnType<typeof q.bankTransfer>>;
	caseHistory?: Awaited<ReturnType<typeof q.caseHistory>>;
	handoffs?: Awaited<ReturnType<typeof q.handoffs>>;
}

const readReasons = ['outbound', 'inbound', 'handoff', 'review'] as const;
const input = z.object({ householdId: id, reason: z.enum(readReasons) });

/** Arrears as of a Tokyo date, by period and by fiscal year. */
export async function arrearsOf(tx: Db, householdId: number, today = tokyoDate()) {
	const periods = overduePeriods(await q.receipts(tx, householdId), today);
	const byYear = new Map<number, number>();
	for (const p of periods) byYear.set(p.fiscalYear, (byYear.get(p.fiscalYear) ?? 0) + p.owed);
	return {
		periods,
		total: totalOwed(periods),
		byYear: [...byYear].map(([fiscalYear, owed]) => ({ fiscalYear, owed })),
		asOf: today
	};
}

/**
 * The household's card as this actor may see it. Policy: household.read, then the field policy of the role.
 * Written to the access log with the fields disclosed and the reason (outbound call, inbound call, …).
 */
export async function readHouseholdCard(actor: Actor, raw: { householdId: unknown; reason: unknown }): Promise<HouseholdCard> {
	requirePermission(actor, 'household.read');
	const parsed = input.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { householdId, reason } = parsed.data;
	const allowed = new Set(fieldsFor(actor.role));

	return db().begin(async (tx) => {
		const h = await q.householdExists(tx, householdId);
		if (!h) throw new DomainError('not_found', `household ${householdId} not found`);
		// Access limited per person: an operator reads the household they hold, for the call they are making.
		// (Inbound calls get their own search-and-open flow, logged with reason 'inbound'.)
		if (actor.role === 'operator' && !(reason === 'outbound' && (await q.heldBy(tx, householdId)) === actor.id))
			throw new DomainError('forbidden', 'operators read only the household they hold');
		const card: HouseholdCard = { id: h.id, fields: [...allowed] };
		if (allowed.has('nhiNumber')) card.nhiNumber = h.nhiNumber;
		if (allowed.has('payerName') || allowed.has('payerKana') || allowed.has('birthDate')) {
			const p = await q.payer(tx, householdId);
			if (allowed.has('payerName')) {
				card.payerName = p?.name ?? '';
				card.payerNameHasGaiji = p?.hasGaiji ?? false;
			}
			if (allowed.has('payerKana')) card.payerKana = p?.nameKana ?? null;
			if (allowed.has('birthDate')) card.birthDate = p?.birthDate ?? null;
		}
		if (allowed.has('language')) card.language = await q.language(tx, householdId);
		if (allowed.has('phones'))
			card.phones = (await q.phones(tx, householdId)).map((p) => ({ ...p, display: p.digits && p.valid ? formatPhone(p.digits) : null }));
		if (allowed.has('arrears')) card.arrears = await arrearsOf(tx, householdId);
		if (allowed.has('lastContacts')) card.lastContacts = await q.lastContacts(tx, householdId);
		if (allowed.has('promises')) card.promises = await q.promises(tx, householdId);
		if (allowed.has('address')) card.address = await q.address(tx, householdId);
		if (allowed.has('members')) card.members = await q.members(tx, householdId);
		if (allowed.has('income')) card.income = await q.income(tx, householdId);
		if (allowed.has('bankTransfer')) card.bankTransfer = await q.bankTransfer(tx, householdId);
		if (allowed.has('caseHistory')) card.caseHistory = await q.caseHistory(tx, householdId);
		if (allowed.has('handoffs')) card.handoffs = await q.handoffs(tx, householdId);

		await writeAccessLog(tx, actor, { action: 'household.view', householdId, fields: card.fields, reason });
		return card;
	});
}
