/**
 * Recording a call's outcome: validated at the boundary, then one transaction writes the call, the promise or
 * handoff, the phone's status, the household's next place in the queue, releases the claim, writes the access
 * log and publishes the events (delivered on commit). Either all of it happens or none of it.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { arrearsOf } from '../households/households.ts';
import { callablePhoneCount, householdStatus } from '../households/households.queries.ts';
import * as queue from '../queue/claims.queries.ts';
import * as q from './calls.queries.ts';
import { fitsInboundCall, handoffReasons, nextQueueState, parties, partiesFor, promiseFieldProblems, type OutcomeCode } from '../../domain/outcomes.ts';
import { problem, type FieldProblem } from '../../domain/field-problem.ts';
import { allowsCallback, callbackTimeProblem, cancelsOpenCallback, doNotCallUntilProblem, honoursCallback } from '../../domain/callbacks.ts';
import { tokyoDate, tokyoHour } from '../../domain/format.ts';
import { loadCallingRules } from '../queue/rules.ts';
import { placeHousehold } from '../queue/placement.ts';
import { recordOperatorState } from '../queue/states.ts';
import { applyCallbacksOfCall, writeDoNotCall } from '../callbacks/callbacks.ts';
import { id, isoDate, yenAmount } from '../validation.ts';
import { createHandoffOfCall } from '../handoffs/handoffs.ts';
import { notCallableReason } from '../../domain/live-floor.ts';
import { scriptLanguages } from '../../domain/talk-scripts.ts';
import { dataMode } from '../mode.ts';
import { logger } from '../log.ts';
import { trainingRecorded, type TrainingFeedback } from '../training/runs.ts';

/** The callback window a resident asked the ward for: until after from (`order`), not in the past (`pastTime`), within 60 days (`horizon`). */
function callbackWindowProblem(from: Date | null, until: Date | null, now: Date): Record<string, FieldProblem> | null {
	const horizon = now.getTime() + 60 * 86_400_000;
	if (from && from.getTime() > horizon) return { 'handoff.callbackFrom': problem('horizon', 'within 60 days', { days: 60 }) };
	if (until && until.getTime() < now.getTime()) return { 'handoff.callbackUntil': problem('pastTime', 'must be in the future') };
	if (until && until.getTime() > horizon + 86_400_000) return { 'handoff.callbackUntil': problem('horizon', 'within 60 days', { days: 60 }) };
	if (from && until && until.getTime() < from.getTime()) return { 'handoff.callbackUntil': problem('order', 'must be after the start of the window') };
	return null;
}

const idempotencyKey = z.string().trim().min(8, 'at least 8 characters').max(100, 'at most 100 characters');

/**
 * What the call screen sends (the socket event outcome:record, POST /api/calls, the form action). Fields:
 * - callback: a time agreed with the household, for this operator alone (onlyMe) or for anyone; with outcomes of
 *   kind retry, contact, refusal or paid_claim; in the future, within 30 days, inside calling hours.
 * - callbackDone: the operator says this call settled the household's open callback although its time has not
 *   come (a due callback, or one offered by the claim, is settled by any call on the household anyway).
 * - doNotCall: required with outcome kind stop (60 架電停止): a reason and an optional end date (after today).
 * - idempotencyKey: one per filled-in form (the browser's outbox resends with the same key): recorded once.
 */
export const outcomeInput = z.object({
	householdId: id,
	outcomeCode: z.string().regex(/^\d{2}$/, 'must be a two-digit outcome code'),
	party: z.enum(parties as [string, ...string[]]).optional(),
	phoneId: id.optional().nullable(),
	note: z.string().max(4000, 'at most 4000 characters').optional().nullable(),
	startedAt: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).pipe(z.coerce.date()).optional(),
	promise: z
		.object({ amount: yenAmount, dueDate: isoDate })
		.optional()
		.nullable(),
	handoff: z
		.object({
			reason: z.enum(handoffReasons),
			note: z.string().max(2000, 'at most 2000 characters').optional().nullable(),
			/** when the resident wants the ward to call (the window they asked for): from, until (ISO with offset) */
			callbackFrom: z.iso.datetime({ offset: true, message: 'must be a date and time' }).pipe(z.coerce.date()).optional().nullable(),
			callbackUntil: z.iso.datetime({ offset: true, message: 'must be a date and time' }).pipe(z.coerce.date()).optional().nullable()
		})
		.optional()
		.nullable(),
	callback: z
		.object({
			at: z.iso.datetime({ offset: true, message: 'must be a date and time' }).pipe(z.coerce.date()),
			onlyMe: z.boolean().default(false),
			note: z.string().max(500, 'at most 500 characters').optional().nullable()
		})
		.optional()
		.nullable(),
	callbackDone: z.boolean().optional(),
	/** the language of the talk script on screen when saving: scored in training mode (issue #9), not stored */
	scriptLanguage: z.enum(scriptLanguages).optional().nullable(),
	/**
	 * The data set the desk page was opened on (issue #9): a page left open across joining or leaving a training run
	 * must not record a training household's outcome on the real household with the same id, or the reverse.
	 */
	dataMode: z.enum(['real', 'training']).optional(),
	doNotCall: z
		.object({
			reason: z.string().trim().min(1, 'say why the household is not to be called').max(500, 'at most 500 characters'),
			until: isoDate.optional().nullable()
		})
		.optional()
		.nullable(),
	idempotencyKey
});
/** outcomeInput for callers inside the server that have no form (tests, scripts): the key may be left out. */
const outcomeInputOptionalKey = outcomeInput.extend({ idempotencyKey: idempotencyKey.optional().nullable() });
export type OutcomeInput = z.input<typeof outcomeInput>;
type ParsedOutcome = z.infer<typeof outcomeInputOptionalKey>;

export interface RecordedCall {
	callId: number;
	householdId: number;
	/** where the household went: waiting (retry later), closed (handoff, stop, no phone); unchanged for a late outcome on a household someone else holds */
	queueState: string;
	nextEligibleAt: Date | null;
	/** true when this was a retry of an outcome already recorded */
	duplicate: boolean;
	/** recorded after the claim had lapsed (from the browser's outbox) */
	late: boolean;
	/** the callback this call scheduled, if any */
	callbackId?: number | null;
	/** training mode (issue #9): the score of the scenario played on this household */
	training?: TrainingFeedback | null;
}

/** How long after claiming a household an operator's outcome is still accepted once the claim has lapsed. */
export const LATE_OUTCOME_HOURS = 12;

function checkShape(input: ParsedOutcome, outcome: OutcomeCode): Record<string, FieldProblem> {
	const problems: Record<string, FieldProblem> = {};
	const allowedParties = partiesFor(outcome);
	if (input.party && !allowedParties.includes(input.party as never))
		problems.party = problem('party', `must be one of ${allowedParties.join(', ')} for outcome ${outcome.code}`);
	if (outcome.kind === 'promise' && !input.promise) problems.promise = problem('required', 'a promise needs an amount and a date');
	if (outcome.kind !== 'promise' && input.promise) problems.promise = problem('notAllowed', `outcome ${outcome.code} is not a promise`);
	if (outcome.kind === 'handoff' && !input.handoff) problems['handoff.reason'] = problem('required', 'a handoff needs a reason');
	if (outcome.kind !== 'handoff' && input.handoff) problems.handoff = problem('notAllowed', `outcome ${outcome.code} is not a handoff`);
	if (input.callback && !allowsCallback(outcome.kind))
		problems.callback = problem('notAllowed', `no callback with outcome ${outcome.code}: a callback goes with no answer, a contact, a refusal or a payment claim`);
	if (outcome.kind === 'stop' && !input.doNotCall) problems['doNotCall.reason'] = problem('required', 'say why the household is not to be called');
	if (outcome.kind !== 'stop' && input.doNotCall) problems.doNotCall = problem('notAllowed', `outcome ${outcome.code} is not a do-not-call`);
	return problems;
}

/** Outcomes whose wait is the code's own retry time (the others wait on a fact: a promise, a callback …). */
function isRetryKind(kind: OutcomeCode['kind']): boolean {
	return kind === 'retry' || kind === 'contact' || kind === 'refusal' || kind === 'paid_claim' || kind === 'invalid_phone';
}

/** Refuse the outcome: each field's stable code (`details`) and the values of its message (`params`). */
function fail(problems: Record<string, FieldProblem>): never {
	throw fieldProblems(problems);
}

/**
 * Record the outcome of a call. Policy: call.record, and the operator holds the household, or held it within the
 * last 12 hours and has recorded nothing on it since (a late outcome from the browser's outbox).
 *
 * One transaction: the call; the promise, handoff, do-not-call instruction or callback; the open callback it
 * honours or replaces; a wrong number's status; the household's next place in the queue (releasing the claim);
 * the access log; the events (after commit). A late outcome on a household another operator holds now is
 * recorded (the conversation happened) without touching their claim or the queue, and that operator is told
 * (`household:updated`). The same idempotency key twice, even at the same moment, is recorded once
 * (`duplicate: true`, the first call's id).
 *
 * `opts.requireKey`: the socket event, POST /api/calls and the form action pass true (the browser always has a key);
 * callers inside the server may leave the key out.
 */
export async function recordCallOutcome(actor: Actor, raw: unknown, opts: { requireKey?: boolean } = {}): Promise<RecordedCall> {
	requirePermission(actor, 'call.record');
	const parsed = (opts.requireKey ? outcomeInput : outcomeInputOptionalKey).safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const input: ParsedOutcome = parsed.data;
	if (input.dataMode && input.dataMode !== dataMode())
		throw new DomainError('mode_changed', `this desk was opened on ${input.dataMode === 'training' ? 'training' : 'real'} data, and the session now works ${dataMode()} data: reload the page`);
	try {
		const recorded = await record(actor, input);
		// a trainee's save is scored against the scenario the trainer played, after the commit: the call stands whatever
		// the scoring does (a failure leaves the attempt open, and a resend of the same key scores it then)
		if (dataMode() === 'training') return { ...recorded, training: await scoreTrainingCall(actor, input).catch((e) => (logger('training').error({ err: e }, 'scoring a training call failed'), null)) };
		return recorded;
	} catch (e) {
		// two saves with one key in a race the row lock did not serialize (no queue row): the unique index decides
		if (input.idempotencyKey && (e as { code?: string }).code === '23505' && /idempotency/.test((e as { constraint_name?: string }).constraint_name ?? '')) {
			const earlier = await q.callByIdempotencyKey(db(), input.idempotencyKey);
			if (earlier && earlier.operatorId === actor.id && earlier.householdId === input.householdId)
				return { callId: earlier.id, householdId: earlier.householdId, queueState: 'unknown', nextEligibleAt: null, duplicate: true, late: earlier.late };
		}
		throw e;
	}
}

async function scoreTrainingCall(actor: Actor, input: ParsedOutcome): Promise<TrainingFeedback | null> {
	const outcome = await q.outcomeCode(db(), input.outcomeCode);
	if (!outcome) return null;
	return trainingRecorded(actor, {
		householdId: input.householdId,
		outcomeCode: outcome.code,
		outcomeKind: outcome.kind,
		party: (input.party ?? partiesFor(outcome)[0]) as never,
		promise: input.promise ?? null,
		handoffReason: input.handoff?.reason ?? null,
		note: input.note?.trim() || null,
		scriptLanguage: input.scriptLanguage ?? null
	});
}

async function record(actor: Actor, input: ParsedOutcome): Promise<RecordedCall> {
	return db().begin(async (tx) => {
		// Statements sent together are pipelined on the transaction's connection (a save is on the queue's hot path,
		// where round trips are most of the time), but never behind the row lock: a statement pipelined behind a
		// waiting lock does not see what the other transaction committed meanwhile.
		// Lock the household's queue row first: a retried save with the same key waits here for the first one,
		// then finds its call below instead of failing on the claim the first save released.
		const [outcome, held] = await Promise.all([q.outcomeCode(tx, input.outcomeCode), q.lockQueueRow(tx, input.householdId)]);
		if (!outcome) fail({ outcomeCode: problem('unknown', `unknown outcome code ${input.outcomeCode}`) });
		const shape = checkShape(input, outcome);
		if (Object.keys(shape).length) fail(shape);

		const [earlier, rules, phone] = await Promise.all([
			input.idempotencyKey ? q.callByIdempotencyKey(tx, input.idempotencyKey) : undefined,
			loadCallingRules(tx),
			input.phoneId ? q.phoneOfHousehold(tx, input.phoneId, input.householdId) : undefined
		]);
		if (input.idempotencyKey) {
			if (earlier) {
				if (earlier.operatorId !== actor.id || earlier.householdId !== input.householdId)
					throw new DomainError('conflict', 'this idempotency key belongs to another call');
				return { callId: earlier.id, householdId: earlier.householdId, queueState: held?.state ?? 'closed', nextEligibleAt: held?.nextEligibleAt ?? null, duplicate: true, late: earlier.late };
			}
		}
		if (!held) throw new DomainError('claim_not_held', 'you do not hold this household (the claim may have lapsed)');

		// the claim decides: the operator holding the household records on it; one whose claim lapsed (a network
		// loss) may still record the conversation they had, late, but never takes over another operator's work
		const holds = held.state === 'claimed' && held.claimedBy === actor.id;
		let claimedAt = held.claimedAt;
		let claimKind = held.claimKind;
		let otherHolder: number | null = null;
		if (!holds) {
			const evidence = await q.recentClaimWithoutCall(tx, actor.id, input.householdId, LATE_OUTCOME_HOURS);
			if (!evidence) throw new DomainError('claim_not_held', 'you do not hold this household (the claim may have lapsed)');
			claimedAt = evidence.claimedAt;
			claimKind = evidence.reason === 'inbound' ? 'inbound' : evidence.reason === 'callback' ? 'callback' : 'outbound';
			if (held.state === 'claimed' && held.claimedBy !== null) otherHolder = held.claimedBy;
		}
		const late = !holds;
		// the resident called: nobody failed to answer, and no number was dialled wrong (the form offers only these too)
		if (claimKind === 'inbound' && !fitsInboundCall(outcome))
			fail({ outcomeCode: problem('notInbound', `outcome ${outcome.code} cannot be the outcome of an inbound call (the resident called the center)`) });

		const now = new Date();
		if (input.startedAt && (input.startedAt.getTime() > now.getTime() + 60_000 || input.startedAt.getTime() < (claimedAt?.getTime() ?? 0) - 60_000))
			fail({ startedAt: problem('startedAt', 'must lie between the claim and now') });
		if (outcome.kind === 'invalid_phone' && !input.phoneId && (await callablePhoneCount(tx, input.householdId)) > 0)
			fail({ phoneId: problem('phoneRequired', 'required for a wrong or dead number') });

		const today = tokyoDate(now);
		if (input.promise) {
			const { total } = await arrearsOf(tx, input.householdId, today);
			const p = promiseFieldProblems(input.promise, { today, owed: total, horizonDays: rules.promiseHorizonDays });
			if (Object.keys(p).length) fail(p);
		}
		if (input.callback) {
			const problem = callbackTimeProblem(rules, input.callback.at, now);
			if (problem) fail({ 'callback.at': problem });
		}
		if (input.doNotCall) {
			const problem = doNotCallUntilProblem(input.doNotCall.until, today);
			if (problem) fail({ 'doNotCall.until': problem });
		}
		if (input.handoff) {
			const problem = callbackWindowProblem(input.handoff.callbackFrom ?? null, input.handoff.callbackUntil ?? null, now);
			if (problem) fail(problem);
		}

		let dialed: string | null = null;
		if (input.phoneId) {
			if (!phone) fail({ phoneId: problem('notThisHousehold', 'not this household’s phone') });
			dialed = phone.digits ?? phone.raw;
			if (outcome.kind === 'invalid_phone') await q.markPhone(tx, phone.id, outcome.code === '31' ? 'not_in_service' : 'wrong_number', actor.id);
		}

		const call = await q.insertCall(tx, {
			householdId: input.householdId,
			segmentId: held.segmentId,
			operatorId: actor.id,
			phoneId: input.phoneId ?? null,
			dialedNumber: dialed,
			// an inbound hold (受電): the household called the center
			direction: claimKind === 'inbound' ? 'inbound' : 'outbound',
			party: (input.party ?? partiesFor(outcome)[0]) as never,
			outcomeCode: outcome.code,
			note: input.note?.trim() || null,
			startedAt: input.startedAt ?? claimedAt ?? now,
			idempotencyKey: input.idempotencyKey ?? null,
			late
		});
		if (input.promise) {
			await q.insertPromise(tx, { householdId: input.householdId, callId: call.id, amount: input.promise.amount, dueDate: input.promise.dueDate, createdBy: actor.id });
		}
		if (input.handoff) {
			await createHandoffOfCall(tx, actor, {
				householdId: input.householdId,
				callId: call.id,
				reason: input.handoff.reason,
				note: input.handoff.note?.trim() || null,
				callbackFrom: input.handoff.callbackFrom ?? null,
				callbackUntil: input.handoff.callbackUntil ?? null,
				now
			});
		}
		const callbacks = await applyCallbacksOfCall(tx, actor, {
			householdId: input.householdId,
			callId: call.id,
			request: input.callback ? { at: input.callback.at, onlyMe: input.callback.onlyMe, note: input.callback.note } : null,
			honours: (open) => honoursCallback(open, { now, claimKind, operatorSaysDone: input.callbackDone === true }),
			cancelOpen: cancelsOpenCallback(outcome.kind)
		});
		if (callbacks.honoured) await q.linkCallback(tx, call.id, callbacks.honoured);
		if (input.doNotCall) {
			await writeDoNotCall(tx, actor, { householdId: input.householdId, callId: call.id, reason: input.doNotCall.reason, until: input.doNotCall.until ?? null });
		}

		const at = call.recordedAt.toISOString();
		const logged = Promise.all([
			writeAccessLog(tx, actor, { action: 'call.record', householdId: input.householdId, reason: late ? `${outcome.code} late` : outcome.code }),
			publish(tx, {
			type: 'call:recorded',
			data: {
				callId: call.id,
				householdId: input.householdId,
				segmentId: held.segmentId,
				operatorId: actor.id,
				outcomeCode: outcome.code,
				answered: outcome.answered,
				rightParty: outcome.rightParty,
				promise: outcome.kind === 'promise',
				at,
				hour: tokyoHour(call.recordedAt)
			}
			})
		]);
		// the next reads go out with these writes (one round trip), unless the save ends here (a late outcome)
		const facts = otherHolder === null ? Promise.all([callablePhoneCount(tx, input.householdId), householdStatus(tx, input.householdId)]) : null;
		facts?.catch(() => {});
		await logged;
		const result = { callId: call.id, householdId: input.householdId, duplicate: false, late, callbackId: callbacks.scheduled?.id ?? null };

		if (otherHolder !== null) {
			// the conversation happened and is recorded; the household, its claim and its place stay the holder's
			await publish(tx, { type: 'household:updated', data: { householdId: input.householdId, by: actor.id, what: 'call', callId: call.id, phoneId: null, userId: otherHolder } });
			return { ...result, queueState: held.state, nextEligibleAt: held.nextEligibleAt };
		}

		// Release the claim and count the attempt with the outcome's own rule (closures made by hand, e.g. a code
		// with no automatic retry, stay closed), then let the queue place the household from its facts: the
		// promise, handoff, do-not-call instruction and callback written above decide how long it waits.
		const [phones, status] = await facts!;
		const next = nextQueueState(outcome, {
			now,
			promiseDueDate: input.promise?.dueDate ?? null,
			hasCallablePhone: phones > 0,
			resolved: status === 'resolved'
		});
		const retryAfter = next.state === 'waiting' && isRetryKind(outcome.kind) && !callbacks.scheduled ? next.nextEligibleAt : null;
		// One pipeline on the transaction's connection, executed in this order: the move, the operator's wrap-up
		// (unless it is a late outcome: they may be on another household by now), and the placement's reads, which
		// see the move; the move's event goes out as soon as its row is back, before the placement writes its own.
		const quiet = <T>(p: Promise<T>): Promise<T> => (p.catch(() => {}), p);
		const movedP = quiet(queue.moveAfterOutcome(tx, input.householdId, next));
		const wrapUp = late ? null : quiet(recordOperatorState(tx, actor.id, 'wrap_up', { householdId: null }));
		const placing = quiet(placeHousehold(tx, input.householdId, { now, retryAfter, rules, rowLocked: true }));
		const moved = await movedP;
		await publish(tx, {
			type: 'queue:changed',
			data: { householdId: input.householdId, segmentId: held.segmentId, from: held.state, to: moved.state, version: moved.version, fromReason: notCallableReason(held), toReason: notCallableReason(moved) }
		});
		const [placed] = await Promise.all([placing, wrapUp]);

		return { ...result, queueState: placed?.state ?? 'closed', nextEligibleAt: placed?.nextEligibleAt ?? null };
	});
}

/** The outcome codes for the form. */
export async function listOutcomeCodes(actor: Actor): Promise<OutcomeCode[]> {
	requirePermission(actor, 'call.record');
	return q.outcomeCodes(db());
}
