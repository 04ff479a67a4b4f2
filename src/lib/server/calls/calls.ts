/**
 * Recording a call's outcome: validated at the boundary, then one transaction writes the call, the promise or
 * handoff, the phone's status, the household's next place in the queue, releases the claim, writes the access
 * log and publishes the events (delivered on commit). Either all of it happens or none of it.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { arrearsOf } from '../households/households.ts';
import { callablePhoneCount, householdStatus } from '../households/households.queries.ts';
import * as queue from '../queue/claims.queries.ts';
import * as q from './calls.queries.ts';
import { handoffReasons, nextQueueState, parties, partiesFor, promiseProblems, type OutcomeCode } from '../../domain/outcomes.ts';
import { tokyoDate } from '../../domain/format.ts';
import { id, isoDate, yenAmount } from '../validation.ts';

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
	handoff: z.object({ reason: z.enum(handoffReasons), note: z.string().max(2000).optional().nullable() }).optional().nullable(),
	/** the browser sends one per form so that a retried save is recorded once */
	idempotencyKey: z.string().min(8).max(100).optional().nullable()
});
export type OutcomeInput = z.input<typeof outcomeInput>;

export interface RecordedCall {
	callId: number;
	householdId: number;
	/** where the household went: waiting (retry later), closed (handoff, stop, no phone) */
	queueState: string;
	nextEligibleAt: Date | null;
	/** true when this was a retry of an outcome already recorded */
	duplicate: boolean;
	/** recorded after the claim had lapsed (from the browser's outbox) */
	late?: boolean;
}

function checkShape(input: z.infer<typeof outcomeInput>, outcome: OutcomeCode): Record<string, string> {
	const problems: Record<string, string> = {};
	const allowedParties = partiesFor(outcome);
	if (input.party && !allowedParties.includes(input.party as never))
		problems.party = `must be one of ${allowedParties.join(', ')} for outcome ${outcome.code}`;
	if (outcome.kind === 'promise' && !input.promise) problems.promise = 'a promise needs an amount and a date';
	if (outcome.kind !== 'promise' && input.promise) problems.promise = `outcome ${outcome.code} is not a promise`;
	if (outcome.kind === 'handoff' && !input.handoff) problems['handoff.reason'] = 'a handoff needs a reason';
	if (outcome.kind !== 'handoff' && input.handoff) problems.handoff = `outcome ${outcome.code} is not a handoff`;
	return problems;
}

/** Record the outcome of a call on the household the operator holds. Policy: call.record. */
export async function recordCallOutcome(actor: Actor, raw: unknown): Promise<RecordedCall> {
	requirePermission(actor, 'call.record');
	const parsed = outcomeInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const input = parsed.data;

	return db().begin(async (tx) => {
		const outcome = await q.outcomeCode(tx, input.outcomeCode);
		if (!outcome) throw new DomainError('invalid_input', `unknown outcome code ${input.outcomeCode}`, { outcomeCode: 'unknown code' });
		const problems = checkShape(input, outcome);
		if (Object.keys(problems).length) throw new DomainError('invalid_input', Object.values(problems).join('; '), problems);

		// Lock the household's queue row first: a retried save with the same key waits here for the first one,
		// then finds its call below instead of failing on the claim the first save released.
		const held = await queue.lockRow(tx, input.householdId);
		if (input.idempotencyKey) {
			const earlier = await q.callByIdempotencyKey(tx, input.idempotencyKey);
			if (earlier) {
				if (earlier.operatorId !== actor.id || earlier.householdId !== input.householdId)
					throw new DomainError('conflict', 'this idempotency key belongs to another call');
				return { callId: earlier.id, householdId: earlier.householdId, queueState: held?.state ?? 'closed', nextEligibleAt: held?.nextEligibleAt ?? null, duplicate: true };
			}
		}
		// the claim decides: only the operator holding the household may record on it
		if (!held || held.state !== 'claimed' || held.claimedBy !== actor.id)
			throw new DomainError('claim_not_held', 'you do not hold this household (the claim may have lapsed)');

		const now = new Date();
		if (input.startedAt && (input.startedAt.getTime() > now.getTime() + 60_000 || input.startedAt.getTime() < (held.claimedAt?.getTime() ?? 0) - 60_000))
			throw new DomainError('invalid_input', 'startedAt must lie between the claim and now', { startedAt: 'must lie between the claim and now' });
		if (outcome.kind === 'invalid_phone' && !input.phoneId && (await callablePhoneCount(tx, input.householdId)) > 0)
			throw new DomainError('invalid_input', 'say which number was wrong', { phoneId: 'required for a wrong or dead number' });

		const today = tokyoDate();
		if (input.promise) {
			const { total } = await arrearsOf(tx, input.householdId, today);
			const p = promiseProblems(input.promise, { today, owed: total });
			if (Object.keys(p).length) throw new DomainError('invalid_input', Object.values(p).join('; '), p);
		}

		let dialed: string | null = null;
		if (input.phoneId) {
			const phone = await q.phoneOfHousehold(tx, input.phoneId, input.householdId);
			if (!phone) throw new DomainError('invalid_input', 'that phone is not this household’s', { phoneId: 'not this household’s phone' });
			dialed = phone.digits ?? phone.raw;
			if (outcome.kind === 'invalid_phone') await q.markPhone(tx, phone.id, outcome.code === '31' ? 'not_in_service' : 'wrong_number');
		}

		const call = await q.insertCall(tx, {
			householdId: input.householdId,
			segmentId: held.segmentId,
			operatorId: actor.id,
			phoneId: input.phoneId ?? null,
			dialedNumber: dialed,
			direction: 'outbound',
			party: (input.party ?? partiesFor(outcome)[0]) as never,
			outcomeCode: outcome.code,
			note: input.note?.trim() || null,
			startedAt: input.startedAt ?? held.claimedAt ?? new Date(),
			idempotencyKey: input.idempotencyKey ?? null
		});
		if (input.promise) {
			await q.insertPromise(tx, { householdId: input.householdId, callId: call.id, amount: input.promise.amount, dueDate: input.promise.dueDate, createdBy: actor.id });
		}
		if (input.handoff) {
			await q.insertHandoff(tx, { householdId: input.householdId, callId: call.id, reason: input.handoff.reason, note: input.handoff.note?.trim() || null, createdBy: actor.id });
		}

		const next = nextQueueState(outcome, {
			now: new Date(),
			promiseDueDate: input.promise?.dueDate ?? null,
			hasCallablePhone: (await callablePhoneCount(tx, input.householdId)) > 0,
			resolved: (await householdStatus(tx, input.householdId)) === 'resolved'
		});
		const moved = await queue.moveAfterOutcome(tx, input.householdId, next);

		await writeAccessLog(tx, actor, { action: 'call.record', householdId: input.householdId, reason: outcome.code });
		const at = call.recordedAt.toISOString();
		await publish(tx, {
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
				at
			}
		});
		await publish(tx, { type: 'queue:changed', data: { householdId: input.householdId, segmentId: held.segmentId, from: 'claimed', to: moved.state, version: moved.version } });
		await publish(tx, { type: 'operator:state', data: { operatorId: actor.id, state: 'idle', householdId: null, at } });

		return { callId: call.id, householdId: input.householdId, queueState: moved.state, nextEligibleAt: moved.nextEligibleAt, duplicate: false };
	});
}

/** The outcome codes for the form. */
export async function listOutcomeCodes(actor: Actor): Promise<OutcomeCode[]> {
	requirePermission(actor, 'call.record');
	return q.outcomeCodes(db());
}
