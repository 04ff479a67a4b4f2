/**
 * Reading a household's data. This is the one way household data leaves the database for a person. In order:
 * the role may read households at all (roles.ts), the input is well formed, the household is in the reader's
 * access scope for the stated reason (access-scope.ts, checked by a `where` in SQL), and then only the field
 * groups the role may see (fields.ts) are selected, each by its own query. The read is written to the access log
 * in the same transaction, with the groups disclosed and the reason; a refusal is logged as `household.denied`.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import type { Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { noteSha256, writeAccessLog } from '../audit/audit.ts';
import { can } from '../../domain/roles.ts';
import { fieldsFor, type CardKeyOf, type FieldGroup } from '../../domain/fields.ts';
import { accessLogReason, heldInboundLogReason, noteFreeRuleFor, readReasons, reasonNeedsNote, scopeRuleFor, type ReadReason } from '../../domain/access-scope.ts';
import { overduePeriods, totalOwed, type ArrearsPeriod } from '../../domain/arrears.ts';
import { formatPhone } from '../../domain/phone.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './households.queries.ts';
import { id } from '../validation.ts';

type Rows<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;

/** A household as one reader may see it: only the keys of the field groups their role may read are present. */
export interface HouseholdCard {
	id: number;
	/** the field groups this reader was allowed to see (and that were selected) */
	fields: FieldGroup[];
	/** identity */
	nhiNumber?: string;
	/** payer */
	payerName?: string;
	payerKana?: string | null;
	/** the name holds ward-defined characters (外字) that may not display */
	payerNameHasGaiji?: boolean;
	/** language: the talk-script language */
	language?: string;
	phones?: (q.PhoneRow & { display: string | null })[];
	/** address: for reminder letters */
	address?: Rows<typeof q.address> | null;
	arrears?: { periods: ArrearsPeriod[]; total: number; byYear: { fiscalYear: number; owed: number }[]; asOf: string };
	promises?: Rows<typeof q.promises>;
	/** contacts: this center's recent calls */
	lastContacts?: Rows<typeof q.lastContacts>;
	handoffs?: Rows<typeof q.handoffs>;
	/** instructions: the ward staff's instruction on a handoff returned to the center (until an answered call follows it) */
	staffInstruction?: Rows<typeof q.openInstruction>;
	members?: Rows<typeof q.members>;
	receipts?: Rows<typeof q.receiptDetails>;
	assessment?: Rows<typeof q.assessment>;
	income?: Rows<typeof q.income>;
	premiums?: Rows<typeof q.premiums>;
	bankTransfer?: Rows<typeof q.bankTransfer>;
	paymentManagers?: Rows<typeof q.paymentManagers>;
	employers?: Rows<typeof q.employers>;
	eligibility?: Rows<typeof q.eligibility>;
	caseHistory?: Rows<typeof q.caseHistory>;
}

// every card key a group names must be a key of the card (fields.ts and this type cannot drift apart)
type AssertKeys<K extends keyof HouseholdCard> = K;
export type GroupKeys = AssertKeys<CardKeyOf<FieldGroup>>;

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

/** The SQL behind each field group; a group's reader runs only when the role may read the group. */
const readers: { [G in FieldGroup]: (tx: Db, householdId: number) => Promise<Pick<HouseholdCard, CardKeyOf<G>>> } = {
	identity: async (tx, h) => ({ nhiNumber: await q.identity(tx, h) }),
	payer: async (tx, h) => {
		const p = await q.payer(tx, h);
		return { payerName: p?.name ?? '', payerKana: p?.nameKana ?? null, payerNameHasGaiji: p?.hasGaiji ?? false };
	},
	language: async (tx, h) => ({ language: await q.language(tx, h) }),
	phones: async (tx, h) => ({
		phones: (await q.phones(tx, h)).map((p) => ({ ...p, display: p.digits && p.valid ? formatPhone(p.digits) : null }))
	}),
	address: async (tx, h) => ({ address: (await q.address(tx, h)) ?? null }),
	arrears: async (tx, h) => ({ arrears: await arrearsOf(tx, h) }),
	promises: async (tx, h) => ({ promises: await q.promises(tx, h) }),
	contacts: async (tx, h) => ({ lastContacts: await q.lastContacts(tx, h) }),
	instructions: async (tx, h) => ({ staffInstruction: await q.openInstruction(tx, h) }),
	handoffs: async (tx, h) => ({ handoffs: await q.handoffs(tx, h) }),
	members: async (tx, h) => ({ members: await q.members(tx, h) }),
	receipts: async (tx, h) => ({ receipts: await q.receiptDetails(tx, h) }),
	assessment: async (tx, h) => ({ assessment: await q.assessment(tx, h) }),
	income: async (tx, h) => ({ income: await q.income(tx, h) }),
	premiums: async (tx, h) => ({ premiums: await q.premiums(tx, h) }),
	bankTransfer: async (tx, h) => ({ bankTransfer: await q.bankTransfer(tx, h) }),
	paymentManagers: async (tx, h) => ({ paymentManagers: await q.paymentManagers(tx, h) }),
	employers: async (tx, h) => ({ employers: await q.employers(tx, h) }),
	eligibility: async (tx, h) => ({ eligibility: await q.eligibility(tx, h) }),
	caseHistory: async (tx, h) => ({ caseHistory: await q.caseHistory(tx, h) })
};

const input = z
	.object({
		householdId: id,
		reason: z.enum(readReasons),
		/** for inbound lookups: who called and what about (kept in access_log_notes, erasable; the log row holds its SHA-256) */
		note: z
			.string()
			.trim()
			.max(200, 'at most 200 characters')
			.nullish()
			.transform((s) => (s ? s : null))
	})
	.superRefine((v, ctx) => {
		// no note at all may still be the held inbound call read again (readHouseholdCard checks that); a short one never
		if (reasonNeedsNote(v.reason) && v.note !== null && v.note.length < 4) ctx.addIssue({ code: 'custom', ...noteMissing() });
	});
const noteMissing = () => ({ path: ['note'], message: 'an inbound lookup needs a note: who called and what about (4 characters or more)' });

/** Write a refusal to the access log in its own transaction (the read itself rolled nothing in). */
async function logDenied(actor: Actor, householdId: number | null, reason: string | null, note: string | null = null) {
	await db().begin((tx) => writeAccessLog(tx, actor, { action: 'household.denied', householdId, reason, note }));
}

const forbidden = () => new DomainError('forbidden', 'this household is not in your access scope');

/**
 * The household's card as this actor may see it, for a stated reason (`outbound`, `review`, `inbound` with a note,
 * `handoff`). Refused with `forbidden` (and a `household.denied` access-log row) when the role reads no household
 * data, or the household is outside the actor's scope for that reason; the answer is the same whether or not the
 * household exists, so a refusal discloses nothing. Malformed input is `invalid_input`.
 */
export async function readHouseholdCard(
	actor: Actor,
	raw: { householdId: unknown; reason: unknown; note?: unknown }
): Promise<HouseholdCard> {
	if (!actor) throw new DomainError('unauthenticated', 'sign in first');
	if (!can(actor.role, 'household.read')) {
		const h = id.safeParse(raw.householdId);
		await logDenied(actor, h.success ? h.data : null, typeof raw.reason === 'string' ? raw.reason.slice(0, 40) : null);
		throw new DomainError('forbidden', `role ${actor.role} may not read households`);
	}
	const parsed = input.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { householdId, reason, note } = parsed.data;
	// the note (who called: personal data) goes beside the log row, erasable; the chained reason keeps its hash
	// without its note, an inbound read is only the held inbound call read again (a reload, the desk): its note
	// was logged when it was opened (issue: the desk answered 400 for a held inbound call). Any other household
	// still needs the note; the scope is checked again inside the transaction below.
	const noteFree = reasonNeedsNote(reason) && note === null;
	if (noteFree && !(await q.householdInScope(db(), householdId, actor.id, 'heldInbound'))) throw invalidInput([noteMissing()]);
	const logReason = noteFree ? heldInboundLogReason : accessLogReason(reason, note ? noteSha256(note) : null);
	const logNote = reasonNeedsNote(reason) ? note : null;

	const rule = noteFree ? noteFreeRuleFor(actor.role, reason) : scopeRuleFor(actor.role, reason);
	if (!rule) {
		await logDenied(actor, householdId, logReason, logNote);
		throw new DomainError('forbidden', `role ${actor.role} may not read a household for reason ${reason}`);
	}
	const groups = fieldsFor(actor.role);

	const card = await db().begin(async (tx) => {
		if (!(await q.householdInScope(tx, householdId, actor.id, rule))) {
			await writeAccessLog(tx, actor, { action: 'household.denied', householdId, reason: logReason, note: logNote });
			return null;
		}
		const card: HouseholdCard = { id: householdId, fields: [...groups] };
		for (const g of groups) Object.assign(card, await readers[g](tx, householdId));
		await writeAccessLog(tx, actor, { action: 'household.view', householdId, fields: groups, reason: logReason, note: logNote });
		return card;
	});
	if (!card) throw forbidden();
	return card;
}

/**
 * The label (国保記号番号) of the household this actor holds now, for a notice that names their own claim (the
 * inbound page: "you hold 12345678 on the desk"); null when they hold nothing or their role may not see the
 * identity group. Not a read of the household, so not logged as `household.view`: it gives back only the number
 * of the claim the holder took (logged as `household.claim` then) and has on the desk (logged as a view when the
 * desk opened it), selected by the claim itself, so it cannot name any household but the one held.
 */
export async function heldHouseholdLabel(actor: Actor): Promise<{ householdId: number; label: string | null } | null> {
	if (!actor) throw new DomainError('unauthenticated', 'sign in first');
	if (!can(actor.role, 'household.read')) throw new DomainError('forbidden', `role ${actor.role} may not read households`);
	const held = await q.heldLabel(db(), actor.id);
	if (!held) return null;
	return { householdId: held.householdId, label: fieldsFor(actor.role).includes('identity') ? held.nhiNumber : null };
}

/** For other features (e.g. an inbound-call search) that must apply the same scope: may this actor open it? */
export async function mayOpenHousehold(tx: Db, actor: Actor, householdId: number, reason: ReadReason): Promise<boolean> {
	if (!can(actor.role, 'household.read')) return false;
	const rule = scopeRuleFor(actor.role, reason);
	return rule !== null && q.householdInScope(tx, householdId, actor.id, rule);
}
