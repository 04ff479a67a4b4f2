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
 * - `inbound`: a resident called the center; needs a note saying who called and why (kept beside the access log,
 *   erasable; the log keeps its hash)
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
 *   required note, kept with the access log (its hash in the chained row, its text erasable)
 * - `heldInbound`: the household this user holds now on an inbound call (claim kind 'inbound'); the note was given
 *   when it was opened, so reading it again (a reload, the desk) needs none
 */
export const scopeRules = ['held', 'ownSegments', 'teamSegments', 'handedOff', 'inbound', 'heldInbound'] as const;
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

/**
 * The rule for a read without its note, where the reason needs one: an inbound call the user already opened (with
 * its note) and still holds may be read again without one, narrowed to that held household. null: no such read
 * (the note is required).
 */
export function noteFreeRuleFor(role: Role, reason: ReadReason): ScopeRule | null {
	return reasonNeedsNote(reason) && scopeRuleFor(role, reason) !== null ? 'heldInbound' : null;
}

/**
 * How a note-free read of a held inbound household is written to the access log: the note's hash is in the row
 * written when the household was opened (household.view, `inbound (note sha256:…)`).
 */
export const heldInboundLogReason = 'inbound (held)';

/** Reasons that must come with a note (who called, what about), because their scope is wide. */
export function reasonNeedsNote(reason: ReadReason): boolean {
	return reason === 'inbound';
}

/**
 * How the reason is written to the access log: the reason, and for inbound lookups a commitment to the note,
 * `inbound (note sha256:<64 hex>)`, never the note itself. The log is append-only and never erased; the note (who
 * called: personal data) is kept beside it in access_log_notes and erased with the household's data, while the
 * chained reason still proves what it said. `noteSha256` is the SHA-256 of the note's UTF-8 text, in hex (the
 * server computes it: this module stays free of I/O and of node:crypto).
 */
export function accessLogReason(reason: ReadReason, noteSha256: string | null | undefined): string {
	if (!reasonNeedsNote(reason) || !noteSha256) return reason;
	if (!/^[0-9a-f]{64}$/.test(noteSha256)) throw new TypeError('accessLogReason: noteSha256 must be 64 lowercase hex digits (the SHA-256 of the note)');
	return `${reason} (note sha256:${noteSha256})`;
}

const ruleText: Record<ScopeRule, string> = {
	held: 'the household they hold now (their claim)',
	ownSegments: 'households queued in their assigned segments, or the one they hold',
	teamSegments: 'households queued in segments they are assigned to or assigned an operator to',
	handedOff: 'households with a handoff that is unassigned or assigned to them',
	inbound: 'any household, with a note (who called, what about) kept with the access log: the log row holds its SHA-256, the text is erased with the household data',
	heldInbound: 'the household they hold now on an inbound call (opened with a note); read again without one'
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
