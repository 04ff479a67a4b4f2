/**
 * Staff handoffs (職員引継ぎ, issue #7): the list and detail for ward staff, taking and assigning, notes, resolving
 * with an outcome and returning to the call center with an instruction for operators; the SLA targets per reason
 * (supervisors, administrators); counts and ages for the supervisor console and managers' reports.
 *
 * Every change: permission → validated input (zod) → one transaction (the row locked, its version compared:
 * two staff taking the same handoff, the second is refused with `handoff_changed` and nothing changes) → the
 * history row, the access log, and `handoff:changed` published on commit. Returning, or resolving with an outcome
 * that lets calls resume, places the household in the queue again (queue/placement.ts via placeUnlessHeld).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { can } from '../../domain/roles.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { readHouseholdCard } from '../households/households.ts';
import { placeUnlessHeld } from '../calls/place.ts';
import { tokyoDate } from '../../domain/format.ts';
import {
	assigneeFilters,
	defaultSlaDays,
	handoffReasons,
	isOverdue,
	listSorts,
	recallNotBeforeProblem,
	resolutionCodeList,
	resumesCalls,
	slaDueAt,
	stateFilters,
	summarize,
	transition,
	type HandoffAction,
	type HandoffReason,
	type HandoffState,
	type HandoffSummary
} from '../../domain/handoffs.ts';
import * as q from './handoffs.queries.ts';

export type { HandoffSummary };

// ─── made by an outcome (calls.ts, inside its transaction) ─────────────────

/**
 * A handoff from an operator's outcome (code 50 職員引継ぎ): due by the SLA of its reason as it stands now; the
 * history's first row; `handoff:changed` on commit (staff lists update).
 */
export async function createHandoffOfCall(
	tx: Db,
	actor: Actor,
	h: { householdId: number; callId: number; reason: HandoffReason; note: string | null; callbackFrom: Date | null; callbackUntil: Date | null; now: Date }
): Promise<number> {
	const sla = await q.slaDays(tx);
	const dueAt = slaDueAt(h.now, sla[h.reason] ?? defaultSlaDays[h.reason]);
	const row = await q.insertHandoff(tx, { ...h, createdBy: actor.id, dueAt });
	await publish(tx, { type: 'handoff:changed', data: { handoffId: row.id, status: 'new', reason: h.reason, assignedTo: null, version: 1, by: actor.id, what: 'created', at: row.createdAt.toISOString() } });
	return row.id;
}

// ─── reading ──────────────────────────────────────────────────────────────

const listInput = z.object({
	state: z.enum(stateFilters).default('open'),
	reason: z.enum(handoffReasons).nullish().transform((v) => v ?? null),
	assignee: z.enum(assigneeFilters).default('any'),
	overdue: z.union([z.boolean(), z.enum(['1', 'true', 'on', '0', 'false', ''])]).optional().transform((v) => v === true || v === '1' || v === 'true' || v === 'on'),
	sort: z.enum(listSorts).default('age')
});
export type HandoffListFilter = z.infer<typeof listInput>;

export interface HandoffListItem extends q.HandoffRow {
	nhiNumber: string;
	payerName: string | null;
	payerKana: string | null;
	overdue: boolean;
}

/** At most this many rows in the list (oldest or most overdue first). */
export const LIST_LIMIT = 200;

/**
 * The staff queue: handoffs in the actor's scope (the pool and their own), filtered by state (open by default),
 * reason, assignee (any, unassigned, mine) and overdue, sorted by age (oldest first) or due time (soonest first).
 * Each household listed is written to the access log (its NHI number and payer's name are shown).
 */
export async function listHandoffs(actor: Actor, raw: Record<string, unknown> = {}, now = new Date()): Promise<{ filter: HandoffListFilter; items: HandoffListItem[] }> {
	requirePermission(actor, 'handoff.view');
	const parsed = listInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const filter = parsed.data;
	const items = await db().begin(async (tx) => {
		const rows = await q.listHandoffs(tx, { ...filter, userId: actor.id, now, limit: LIST_LIMIT });
		for (const hid of new Set(rows.map((r) => r.householdId)))
			await writeAccessLog(tx, actor, { action: 'household.view', householdId: hid, fields: ['identity', 'payer', 'handoffs'], reason: 'handoff' });
		return rows;
	});
	return { filter, items: items.map((r) => ({ ...r, overdue: isOverdue(r, now) })) };
}

const handoffIdInput = z.object({ handoffId: id });

/**
 * One handoff for a staff member: the handoff with its history, the operator's record of the call, and the
 * household's card as the staff field policy allows (readHouseholdCard, reason `handoff`: access-logged). A
 * handoff outside the actor's scope (assigned to another staff member) is refused as not found, and the refusal
 * is logged (`household.denied`).
 */
export async function handoffDetail(actor: Actor, raw: unknown, now = new Date()) {
	requirePermission(actor, 'handoff.view');
	const parsed = handoffIdInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { handoffId } = parsed.data;
	const h = await q.handoffInScope(db(), handoffId, actor.id);
	if (!h) {
		const exists = await q.handoffExists(db(), handoffId);
		if (exists) await db().begin((tx) => writeAccessLog(tx, actor, { action: 'household.denied', householdId: exists.householdId, reason: `handoff ${handoffId}` }));
		throw new DomainError('not_found', 'no such handoff in your queue');
	}
	const card = await readHouseholdCard(actor, { householdId: h.householdId, reason: 'handoff' });
	const [events, call, staff] = await Promise.all([q.history(db(), h.id), h.callId ? q.callRecord(db(), h.callId) : null, q.staffMembers(db())]);
	return { handoff: { ...h, overdue: isOverdue(h, now) }, history: events, call, card, staff };
}

// ─── changing ─────────────────────────────────────────────────────────────

const version = z.union([z.number(), z.string().trim().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number)]).pipe(z.number().int().positive());
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

const takeInput = z.object({ handoffId: id, version });
const assignInput = z.object({
	handoffId: id,
	version,
	/** a staff member's user id, or empty/null for the pool */
	assignee: z.union([id, z.literal(''), z.null()]).transform((v) => (v === '' ? null : v))
});
const noteInput = z.object({
	handoffId: id,
	note: text(2000).min(1, 'write the note'),
	/** the staff member reached the resident: stops the SLA clock */
	contacted: z.union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0', ''])]).optional().transform((v) => v === true || v === 'on' || v === 'true' || v === '1')
});
const resolveInput = z.object({
	handoffId: id,
	version,
	code: z.enum(resolutionCodeList, { message: 'choose how it was resolved' }),
	text: text(2000).optional().nullable().transform((v) => v || null)
});
const returnInput = z.object({
	handoffId: id,
	version,
	instruction: text(2000).min(1, 'write the instruction for the operators'),
	// 再架電は次の日以降: optional; checked against today below (recallNotBeforeProblem)
	notBefore: z.unknown().optional()
});

export interface HandoffChanged {
	handoffId: number;
	householdId: number;
	status: HandoffState;
	version: number;
	/** with a return (or a resolution that lets calls resume): where the household went in the queue */
	queueState?: string | null;
}

/**
 * The common part of a change: lock the handoff in the actor's scope, check the version the page showed and the
 * transition, apply `change`, write the history, the access log and the event. A stale version or a transition
 * the state no longer allows is refused with `handoff_changed` (details: the current state and assignee).
 */
async function change(
	actor: Actor,
	handoffId: number,
	expected: number | null,
	action: HandoffAction,
	apply: (tx: Db, h: q.HandoffRow, to: HandoffState) => Promise<{ version: number | null; event: { kind: string; note: string | null; assignedTo: number | null }; queueState?: string | null; assignedTo?: number | null }>
): Promise<HandoffChanged> {
	return db().begin(async (tx) => {
		const h = await q.handoffInScope(tx, handoffId, actor.id, { lock: true });
		if (!h) {
			const exists = await q.handoffExists(tx, handoffId);
			// taken by another staff member meanwhile (no longer in this actor's scope): a clear refusal, not "not found"
			if (exists) throw stale('taken_by_other', null, null);
			throw new DomainError('not_found', 'no such handoff in your queue');
		}
		if (expected !== null && h.version !== expected) throw stale('changed', h.status, h.assignedToName);
		const t = transition(h.status, action, { actorId: actor.id, assignedTo: h.assignedTo });
		if (!t.ok) throw stale(t.problem, h.status, h.assignedToName);
		const r = await apply(tx, h, t.to);
		const newVersion = r.version ?? h.version;
		await q.insertEvent(tx, { handoffId, userId: actor.id, kind: r.event.kind, fromStatus: h.status, toStatus: t.to, assignedTo: r.event.assignedTo, note: r.event.note });
		await writeAccessLog(tx, actor, { action: `handoff.${action}` as const, householdId: h.householdId, reason: `handoff ${handoffId}` });
		await publish(tx, {
			type: 'handoff:changed',
			data: { handoffId, status: t.to, reason: h.reason, assignedTo: r.assignedTo !== undefined ? r.assignedTo : h.assignedTo, version: newVersion, by: actor.id, what: action, at: new Date().toISOString() }
		});
		return { handoffId, householdId: h.householdId, status: t.to, version: newVersion, queueState: r.queueState };
	});
}

function stale(problem: 'changed' | 'closed' | 'not_taken' | 'taken_by_other', status: HandoffState | null, assignee: string | null): DomainError {
	const messages = {
		changed: 'another staff member changed this handoff first: nothing was changed; reload to see it as it is now',
		closed: 'this handoff is closed already (resolved or returned): nothing was changed',
		not_taken: 'take the handoff first: only a handoff in progress can be resolved or returned',
		taken_by_other: 'another staff member has this handoff: nothing was changed'
	};
	return new DomainError('handoff_changed', messages[problem], { handoff: problem, status: status ?? '', assignee: assignee ?? '' });
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
	const p = schema.safeParse(raw);
	if (!p.success) throw invalidInput(p.error.issues);
	return p.data;
}

/** Take a handoff for oneself (new → in progress). Two staff taking the same one: the second is refused. */
export async function takeHandoff(actor: Actor, raw: unknown): Promise<HandoffChanged> {
	requirePermission(actor, 'handoff.work');
	const input = parse(takeInput, raw);
	return change(actor, input.handoffId, input.version, 'take', async (tx, h, to) => ({
		version: await q.update(tx, h.id, h.version, { status: to, ...(h.assignedTo === actor.id ? {} : { assignedTo: actor.id, assignedBy: actor.id }) }),
		event: { kind: 'taken', note: null, assignedTo: actor.id },
		assignedTo: actor.id
	}));
}

/**
 * Assign a handoff to a staff member (or back to the pool with none). It becomes new again for the assignee to
 * take up; the assigner no longer sees it unless it is their own or the pool's.
 */
export async function assignHandoff(actor: Actor, raw: unknown): Promise<HandoffChanged> {
	requirePermission(actor, 'handoff.work');
	const input = parse(assignInput, raw);
	if (input.assignee !== null && !(await q.isActiveStaff(db(), input.assignee)))
		throw new DomainError('invalid_input', 'assignee: not an active staff member', { assignee: 'not an active staff member' });
	return change(actor, input.handoffId, input.version, 'assign', async (tx, h, to) => ({
		version: await q.update(tx, h.id, h.version, { status: to, assignedTo: input.assignee, assignedBy: actor.id }),
		event: { kind: 'assigned', note: null, assignedTo: input.assignee },
		assignedTo: input.assignee
	}));
}

/** A note on an open handoff; "contacted" records the first contact with the resident (the SLA is met). */
export async function addHandoffNote(actor: Actor, raw: unknown): Promise<HandoffChanged> {
	requirePermission(actor, 'handoff.work');
	const input = parse(noteInput, raw);
	// a note changes no state: it does not need the version the page showed (nor does it move it)
	return change(actor, input.handoffId, null, 'note', async (tx, h) => {
		if (input.contacted) await q.markContacted(tx, h.id);
		return { version: null, event: { kind: input.contacted ? 'contact' : 'note', note: input.note, assignedTo: null } };
	});
}

/**
 * Resolve a handoff in progress with an outcome (resolutionCodes) and text. The household stays out of the calls
 * unless the outcome lets them resume (架電再開), in which case it is placed in the queue again.
 */
export async function resolveHandoff(actor: Actor, raw: unknown): Promise<HandoffChanged> {
	requirePermission(actor, 'handoff.work');
	const input = parse(resolveInput, raw);
	return change(actor, input.handoffId, input.version, 'resolve', async (tx, h, to) => {
		const resumes = resumesCalls(input.code);
		const v = await q.update(tx, h.id, h.version, { status: to, resolutionCode: input.code, resolutionText: input.text, resumesCalls: resumes, closedBy: actor.id });
		const placed = await placeUnlessHeld(tx, h.householdId);
		return { version: v, event: { kind: 'resolved', note: input.text ? `${input.code}: ${input.text}` : input.code, assignedTo: null }, queueState: placed?.state ?? null };
	});
}

/**
 * Return a handoff in progress to the call center with an instruction: the household re-enters the queue (placed
 * from its facts now that no handoff holds it) and operators see the instruction on the household's card until an
 * answered call is recorded after the return. With `notBefore` (再架電は次の日以降, 'YYYY-MM-DD'), the queue does
 * not offer the household before that day (calling-rules.ts notBeforeSuppression); `opts.now` is for tests.
 */
export async function returnHandoff(actor: Actor, raw: unknown, opts: { now?: Date } = {}): Promise<HandoffChanged> {
	requirePermission(actor, 'handoff.work');
	// "call again, but not before" (再架電は次の日以降): blank, or today or later (Tokyo) and at most
	// RECALL_HORIZON_DAYS ahead; refused together with the other fields' problems, by a code the page words
	const fields = (raw ?? {}) as Record<string, unknown>;
	const bad = recallNotBeforeProblem(fields.notBefore, tokyoDate(opts.now ?? new Date()));
	const p = returnInput.safeParse(raw);
	if (!p.success || bad) {
		const e = p.success ? null : invalidInput(p.error.issues);
		const details = { ...(e?.details ?? {}), ...(bad ? { notBefore: bad.code } : {}) };
		const message = [e?.message, bad ? `notBefore: ${bad.text}` : null].filter(Boolean).join('; ');
		throw new DomainError('invalid_input', message, details, bad?.params ? { notBefore: bad.params } : undefined);
	}
	const input = p.data;
	const notBefore = typeof input.notBefore === 'string' && input.notBefore.trim() ? input.notBefore.trim() : null;
	return change(actor, input.handoffId, input.version, 'return', async (tx, h, to) => {
		const v = await q.update(tx, h.id, h.version, { status: to, instruction: input.instruction, closedBy: actor.id });
		await q.insertInstruction(tx, { householdId: h.householdId, handoffId: h.id, reason: h.reason, instruction: input.instruction, notBefore, returnedBy: actor.id });
		const placed = await placeUnlessHeld(tx, h.householdId);
		return { version: v, event: { kind: 'returned', note: input.instruction, assignedTo: null }, queueState: placed?.state ?? null };
	});
}

// ─── SLA targets ──────────────────────────────────────────────────────────

export async function handoffSlaTargets(actor: Actor) {
	requirePermission(actor, 'handoff.configure');
	return q.slaTargets(db());
}

const slaInput = z.object({
	reason: z.enum(handoffReasons),
	workingDays: z
		.union([z.number(), z.string().trim().regex(/^\d{1,2}$/, 'a whole number of working days').transform(Number)])
		.pipe(z.number().int('a whole number of working days').min(1, 'at least 1 working day').max(30, 'at most 30 working days')),
	version
});

/**
 * Change one reason's target (working days). Open handoffs of that reason are due anew from when they were made
 * (the target applies to the work in hand). A save over someone else's newer one is refused (`conflict`).
 */
export async function saveHandoffSla(actor: Actor, raw: unknown): Promise<{ reason: HandoffReason; workingDays: number; recomputed: number }> {
	requirePermission(actor, 'handoff.configure');
	const input = parse(slaInput, raw);
	return db().begin(async (tx) => {
		if (!(await q.saveSla(tx, input.reason, input.workingDays, input.version, actor.id)))
			throw new DomainError('conflict', 'someone changed this target first: nothing was saved; reload to see it', { workingDays: 'changed by someone else' });
		const open = await q.openOfReason(tx, input.reason);
		await q.setDueAt(tx, open.map((o) => ({ id: o.id, dueAt: slaDueAt(o.createdAt, input.workingDays) })));
		await writeAccessLog(tx, actor, { action: 'handoff.sla', reason: `${input.reason} ${input.workingDays}` });
		await publish(tx, { type: 'handoff:changed', data: { handoffId: 0, status: 'new', reason: input.reason, assignedTo: null, version: 0, by: actor.id, what: 'sla', at: new Date().toISOString() } });
		return { reason: input.reason, workingDays: input.workingDays, recomputed: open.length };
	});
}

// ─── counts and ages ──────────────────────────────────────────────────────

/** Open handoffs by reason: counts (open, untaken, overdue) and ages. No personal data. For the live floor view. */
export async function handoffSummary(db_: Db, now = new Date()): Promise<HandoffSummary> {
	return summarize(await q.openFigures(db_), now);
}

/** The same for a person: managers' reports (reports.view) and supervisors (floor.view). */
export async function handoffSummaryFor(actor: Actor, now = new Date()): Promise<HandoffSummary> {
	if (!actor || !(can(actor.role, 'reports.view') || can(actor.role, 'floor.view'))) requirePermission(actor, 'reports.view');
	return handoffSummary(db(), now);
}

/** For the operator's card (field group `instructions`). */
export { openInstruction } from './handoffs.queries.ts';
