/**
 * Household search for inbound calls (受電): an operator, supervisor or ward staff member finds the household a
 * caller belongs to by phone number (any format), name or kana (partial, width and hiragana/katakana
 * insensitive), NHI number or resident number.
 *
 * Policy first (household.search), then the lookup rate limit (LOOKUP_RATE_PER_MINUTE, shared with household
 * lookups: a refused search reads nothing), then one transaction: the search selects only the columns of the
 * field groups the role may read (fields.ts), and the access log gets
 * - one `search` row for the search: household null, reason `search <kind>: <n> results (note sha256:<hex>)`; the
 *   normalized query (a phone number, a name: personal data) is its note in access_log_notes, erasable
 *   (retention, contract end), like an inbound lookup's note, while the chained reason keeps only its SHA-256;
 * - one `search` row per household shown (a result is a disclosure): its id, the field groups shown, and
 *   `search result (log <id>)`.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems } from '../errors.ts';
import { issueProblems } from '../../domain/field-problem.ts';
import { noteSha256, writeAccessLog } from '../audit/audit.ts';
import { limitLookups } from '../security/rate-limit.ts';
import { fieldsFor, type FieldGroup } from '../../domain/fields.ts';
import { parseSearchQuery, type SearchKind } from '../../domain/search.ts';
import { tokyoDate } from '../../domain/format.ts';
import * as q from './search.queries.ts';

/** Results shown at most (the page says "more: refine the query" beyond). */
export const SEARCH_LIMIT_MAX = 50;
const DEFAULT_LIMIT = 20;

/** One household found, with only the keys the reader's role may read. */
export interface SearchResult {
	householdId: number;
	rank: number;
	matchedBy: q.MatchedBy;
	status: string;
	held: boolean;
	heldByMe: boolean;
	heldInbound: boolean;
	matchedMember: boolean;
	nhiNumber?: string;
	payerName?: string | null;
	payerKana?: string | null;
	district?: string | null;
	phoneMasked?: string | null;
	owed?: number;
	memberName?: string | null;
	memberKana?: string | null;
}

export interface SearchAnswer {
	/** how the query was read */
	kind: SearchKind;
	/** the normalized query (digits, or the search key) */
	normalized: string;
	results: SearchResult[];
	/** more households matched than shown */
	more: boolean;
}

const input = z.object({
	q: z.string({ error: 'required' }).max(100, 'at most 100 characters'),
	limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).optional()
});

/** The field groups a search result can show (of those the role may read). */
function resultGroups(role: Actor['role']): FieldGroup[] {
	const shown: FieldGroup[] = ['identity', 'payer', 'address', 'phones', 'arrears', 'members'];
	const allowed = new Set(fieldsFor(role));
	return shown.filter((g) => allowed.has(g));
}

function present(r: q.SearchRow, groups: ReadonlySet<FieldGroup>): SearchResult {
	const out: SearchResult = {
		householdId: r.householdId,
		rank: r.rank,
		matchedBy: r.matchedBy,
		status: r.status,
		held: r.held,
		heldByMe: r.heldByMe,
		heldInbound: r.heldInbound,
		matchedMember: r.matchedMember
	};
	if (groups.has('identity')) out.nhiNumber = r.nhiNumber ?? '';
	if (groups.has('payer')) Object.assign(out, { payerName: r.payerName, payerKana: r.payerKana });
	if (groups.has('address')) out.district = r.district;
	// the matched number, else the household's first callable one (last four digits): the operator checks it with the caller
	if (groups.has('phones')) out.phoneMasked = r.phoneMasked;
	if (groups.has('arrears')) out.owed = Number(r.owed ?? 0);
	if (groups.has('members') && r.matchedMember) Object.assign(out, { memberName: r.memberName, memberKana: r.memberKana });
	return out;
}

/** The groups a result row actually disclosed (for its access-log row). */
function disclosed(res: SearchResult): string[] {
	const f: string[] = [];
	if ('nhiNumber' in res) f.push('identity');
	if ('payerName' in res) f.push('payer');
	if ('district' in res) f.push('address');
	if ('phoneMasked' in res && res.phoneMasked) f.push('phones');
	if ('owed' in res) f.push('arrears');
	if ('memberName' in res) f.push('members');
	return f;
}

/**
 * Search households (see the module comment). `q`: what was typed; `limit`: 1–50 (default 20). Empty input or
 * fewer than four digits is `invalid_input` on `q`; over the lookup rate, `rate_limited`.
 */
export async function searchHouseholds(actor: Actor, raw: { q?: unknown; limit?: unknown }): Promise<SearchAnswer> {
	requirePermission(actor, 'household.search');
	const parsed = input.safeParse(raw);
	// each field's stable code and its values (too_long with max …): the page words them in the user's language
	if (!parsed.success) throw fieldProblems(issueProblems(raw, parsed.error.issues));
	const query = parseSearchQuery(parsed.data.q);
	if (query.kind === 'empty') throw new DomainError('invalid_input', 'type a phone number, name, kana or number', { q: 'required' });
	if (query.kind === 'too_short') throw new DomainError('invalid_input', 'at least 4 digits', { q: 'at least 4 digits' });
	const limit = parsed.data.limit ?? DEFAULT_LIMIT;
	// counted before anything is read: searching one household after another is copying, not answering calls
	await limitLookups(actor);

	const groups = resultGroups(actor.role);
	const groupSet = new Set(groups);
	const normalized = query.kind === 'phone' ? query.digits : query.text;
	return db().begin(async (tx) => {
		const rows = await q.searchHouseholds(tx, { query, limit, groups, userId: actor.id, today: tokyoDate() });
		const results = rows.slice(0, limit).map((r) => present(r, groupSet));
		const logId = await writeAccessLog(tx, actor, {
			action: 'search',
			householdId: null,
			reason: `search ${query.kind}: ${results.length} results (note sha256:${noteSha256(normalized)})`,
			note: normalized
		});
		// issued together: postgres.js pipelines them on the transaction's connection (one round trip, not 20)
		await Promise.all(
			results.map((r) => writeAccessLog(tx, actor, { action: 'search', householdId: r.householdId, fields: disclosed(r), reason: `search result (log ${logId})` }))
		);
		return { kind: query.kind, normalized, results, more: rows.length > limit };
	});
}
