/**
 * What each operator is doing: available, on a household (a claim), wrap-up (after an outcome, for the rules'
 * wrapUpSeconds: the desk then asks for the next household; the server only records), break (with a reason),
 * offline (their last socket went away, or presence timed out). Every change is written to operator_states and
 * operator_state_changes and published as operator:state (to the floor and the operator's own room).
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { breakReasons, type OperatorState } from '../../realtime/events.ts';
import * as q from './states.queries.ts';

export interface OperatorStateView {
	state: OperatorState;
	since: Date;
	breakReason: string | null;
}

/**
 * Record an operator's state inside the caller's transaction and publish it. Nothing is written when the state
 * (and break reason) is what it was already, so `since` keeps counting. Returns the state in force.
 */
export async function recordOperatorState(
	tx: Db,
	userId: number,
	state: OperatorState,
	opts: { breakReason?: string | null; householdId?: number | null } = {}
): Promise<OperatorStateView> {
	const breakReason = state === 'break' ? (opts.breakReason ?? 'other') : null;
	// one statement: compare, write, record the change and publish (states.queries.ts changeState)
	const r = await q.changeState(tx, userId, state, breakReason, opts.householdId);
	return { state: r.state, since: r.since, breakReason: r.breakReason };
}

/**
 * Presence changed (presence.ts): offline when the user's last connection went away; back online, an operator
 * who was offline (or never had a state) is available again, or on a household when they still hold one.
 * Only operators have states.
 */
export async function syncPresenceState(tx: Db, userId: number, connected: boolean): Promise<void> {
	if ((await q.roleOf(tx, userId)) !== 'operator') return;
	if (!connected) {
		await recordOperatorState(tx, userId, 'offline', { householdId: null });
		return;
	}
	const cur = await q.stateOf(tx, userId);
	if (cur && cur.state !== 'offline') return;
	// a trainee (issue #9) whose session works an open training run is on the floor as 研修, not available
	if (await q.inTrainingRun(tx, userId)) {
		await recordOperatorState(tx, userId, 'break', { breakReason: 'training', householdId: null });
		return;
	}
	const held = await q.heldHousehold(tx, userId);
	await recordOperatorState(tx, userId, held ? 'on_household' : 'available', { householdId: held });
}

/** An operator's state now (offline when never recorded). */
export async function operatorState(actor: Actor): Promise<OperatorStateView> {
	requirePermission(actor, 'queue.claim');
	const r = await q.stateOf(db(), actor.id);
	return r ? { state: r.state, since: r.since, breakReason: r.breakReason } : { state: 'offline', since: new Date(), breakReason: null };
}

const setStateInput = z
	.object({
		state: z.enum(['available', 'wrap_up', 'break'], { message: 'must be available, wrap_up or break' }),
		breakReason: z.enum(breakReasons, { message: `must be one of ${breakReasons.join(', ')}` }).nullish(),
		/** free text with the reason 'other' (stored as "other: …" within the column's 100 characters) */
		breakNote: z.string().trim().max(90, { message: 'at most 90 characters' }).nullish()
	})
	.strict()
	.superRefine((v, ctx) => {
		if (v.state === 'break' && !v.breakReason) ctx.addIssue({ code: 'custom', path: ['breakReason'], message: 'a break needs a reason' });
		if (v.state !== 'break' && (v.breakReason || v.breakNote)) ctx.addIssue({ code: 'custom', path: ['breakReason'], message: 'only with a break' });
	});

/**
 * The operator sets their own state (socket operator:set-state): available, wrap-up, or a break with a reason.
 * Refused ('conflict') while they hold a household: record its outcome or give it back first.
 */
export async function setOperatorState(actor: Actor, raw: unknown): Promise<OperatorStateView> {
	requirePermission(actor, 'queue.claim');
	const parsed = setStateInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { state, breakReason, breakNote } = parsed.data;
	return db().begin(async (tx) => {
		if (await q.heldHousehold(tx, actor.id))
			throw new DomainError('conflict', 'you hold a household: record its outcome or give it back first');
		const reason = state === 'break' ? (breakNote ? `${breakReason}: ${breakNote}` : breakReason!) : null;
		return recordOperatorState(tx, actor.id, state, { breakReason: reason, householdId: null });
	});
}
