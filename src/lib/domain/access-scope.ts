/**
 * Access scope per person: which households a user may open, and for what reason. The field policy
 * (fields.ts) says *which parts* of a household a role sees; this says *which households*. Pure: the server
 * turns each rule into a `where` over the assignment tables (households.queries.ts), so a household outside
 * the scope is never read, and the refusal is written to the access log (`household.denied`).
 */
import type { Role } from './roles.ts';

/**
 * Why a household is being read; written to the access log with every read.
 * - `outbound`: the call the operator is making on the household they claimed
 * - `review`: looking at a household within one's own scope (segments, team, handoffs)
 * - `inbound`: a resident called the center; needs a note saying who called and why (logged)
 * - `handoff`: ward staff working a handoff
 */
export const readReasons = ['outbound', 'review', 'inbound', 'handoff'] as const;
export type ReadReason = (typeof readReasons)[number];

/**
 * The rules, each one `where` clause in SQL:
 * - `held`: the household this user holds now (a live claim in call_queue)
 * - `ownSegments`: a household queued in a segment the user is assigned to (operator_segments), or held by them
 * - `teamSegments`: a household queued in a segment the supervisor is assigned to, or in which they assigned an
 *   operator (operator_segments.assigned_by): kansho has no teams table, so a supervisor's team is the
 *   segments they run
 * - `handedOff`: a household with a handoff to ward staff that is unassigned (the staff pool) or assigned to this
 *   staff member
 * - `inbound`: any household kansho holds, because a resident may call about any of them; the price is a
 *   required note, written to the access log
 */
export const scopeRules = ['held', 'ownSegments', 'teamSegments', 'handedOff', 'inbound'] as const;
export type ScopeRule = (typeof scopeRules)[number];

// prettier-ignore
const scopeTable: Record<Role, Partial<Record<ReadReason, ScopeRule>>> = {
	// an outbound call is made only on a claimed household (so two operators never call the same one)
	operator:   { outbound: 'held', review: 'ownSegments', inbound: 'inbound' },
	supervisor: { review: 'teamSegments', inbound: 'inbound' },
	staff:      { handoff: 'handedOff', review: 'handedOff', inbound: 'inbound' },
	// aggregate-only roles open no household
	manager: {},
	admin: {},
	auditor: {}
};

/** The rule that decides whether this role may open a household for this reason; null: never. */
export function scopeRuleFor(role: Role, reason: ReadReason): ScopeRule | null {
	return scopeTable[role][reason] ?? null;
}

/** Reasons that must come with a note (who called, what about), because their scope is wide. */
export function reasonNeedsNote(reason: ReadReason): boolean {
	return reason === 'inbound';
}

/** How the reason is written to the access log: the reason, and for inbound lookups the note. */
export function accessLogReason(reason: ReadReason, note: string | null | undefined): string {
	return reasonNeedsNote(reason) && note ? `${reason}: ${note}` : reason;
}

const ruleText: Record<ScopeRule, string> = {
	held: 'the household they hold now (their claim)',
	ownSegments: 'households queued in their assigned segments, or the one they hold',
	teamSegments: 'households queued in segments they are assigned to or assigned an operator to',
	handedOff: 'households with a handoff that is unassigned or assigned to them',
	inbound: 'any household, with a note (who called, what about) written to the access log'
};

/** The scope rules as a Markdown table (the generated part of docs/field-policy.md). */
export function accessScopeMarkdown(roles: readonly Role[]): string {
	const head = `| role | ${readReasons.map((r) => `\`${r}\``).join(' | ')} |`;
	const rule = `| --- | ${readReasons.map(() => '---').join(' | ')} |`;
	const rows = roles.map((role) => {
		const cells = readReasons.map((reason) => {
			const r = scopeRuleFor(role, reason);
			return r ? `\`${r}\`: ${ruleText[r]}` : '—';
		});
		return `| ${role} | ${cells.join(' | ')} |`;
	});
	return [head, rule, ...rows].join('\n');
}
