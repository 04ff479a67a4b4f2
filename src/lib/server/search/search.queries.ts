/**
 * SQL of the household search (inbound calls): finding candidates by phone, NHI number, resident number, name or
 * kana (indexes: migrations/00013_search), then one row per household with only the columns the reader's role may
 * read (the field groups are decided by the caller and applied here, in the select list: a column a role may not
 * read is never selected).
 */
import type { Db } from '../db.ts';
import type { FieldGroup } from '../../domain/fields.ts';
import { isPartialPhone, likeEscape, phoneSuffixes, prefixUpperBound, type SearchQuery } from '../../domain/search.ts';

/** How a household was found. */
export type MatchedBy = 'phone' | 'nhi' | 'resident' | 'kana' | 'name';

export interface SearchRow {
	householdId: number;
	/** 0 exact, 1 prefix or the end of a number, 2 contains */
	rank: number;
	matchedBy: MatchedBy;
	/** the household is closed for the center (paid, no longer in the ward's data) */
	status: string;
	/** someone holds the household now (an operator on it) */
	held: boolean;
	/** the reader holds it */
	heldByMe: boolean;
	/** held by another operator on an inbound call (opening it is refused) */
	heldInbound: boolean;
	/** identity */
	nhiNumber: string | null;
	/** payer */
	payerName: string | null;
	payerKana: string | null;
	/** address: 町名 only (the card shows the address once opened) */
	district: string | null;
	/** phones: the matched number, else the household's first callable one, its last four digits after a fixed mask (••••1234: the mask never tells the number's length) */
	phoneMasked: string | null;
	/** arrears: overdue unpaid total, yen */
	owed: number | null;
	/** the match was on a member other than the payer */
	matchedMember: boolean;
	/** members: that member's name and kana (roles that may read members only) */
	memberName: string | null;
	memberKana: string | null;
}

/** One candidate list per kind: (household_id, person_id, phone_id, rank, matched_by). */
function candidates(db: Db, q: Exclude<SearchQuery, { kind: 'empty' | 'too_short' }>, per: number) {
	const none = db`select null::bigint as household_id, null::bigint as person_id, null::bigint as phone_id, 9 as rank, 'none' as matched_by where false`;
	const phone = (digits: string) => {
		const suffixes = phoneSuffixes(digits);
		const rev = [...digits].reverse().join('');
		return db`
			(select ph.household_id, null::bigint as person_id, ph.id as phone_id, 0 as rank, 'phone' as matched_by
			 from phones ph where ph.digits = ${digits} limit ${per})
			${
				suffixes.length
					? db`union all
			(select ph.household_id, null, ph.id, 1, 'phone' from phones ph where ph.digits = any(${suffixes}::text[]) limit ${per})`
					: db``
			}
			${
				isPartialPhone(digits)
					? db`union all
			(select ph.household_id, null, ph.id, 1, 'phone' from phones ph
			 where ph.digits is not null and reverse(ph.digits) ~>=~ ${rev} and reverse(ph.digits) ~<~ ${prefixUpperBound(rev)}
			 order by reverse(ph.digits) using ~<~ limit ${per})`
					: db``
			}`;
	};
	const text = (column: 'kana_search' | 'name_search', v: string, by: MatchedBy) => {
		const col = db(column);
		// Prefix matches first, in key order. They rank above every "contains" match, so when they already fill the
		// page (a common surname: サトウ is 100,000 people at 1,000,000 households) the contains lookup, whose
		// two-character pieces (トウ) are the most common of all, is not run at all: the count below is an init plan,
		// and a false one-time filter skips the scan. Twice the page in persons: members often share the surname.
		// Ordered by the key alone and with the index's own operator (~<~, text_pattern_ops: a plain `order by`
		// sorts by the collation, which the index does not provide), so the index scan stops after the page instead
		// of sorting every match of a common surname (0.1 ms instead of 36 ms for サトウ at 1,000,000).
		return db`
			with pre as materialized (
				select p.household_id, p.id as person_id, null::bigint as phone_id, case when p.${col} = ${v} then 0 else 1 end as rank, ${by}::text as matched_by
				from persons p where p.${col} ~>=~ ${v} and p.${col} ~<~ ${prefixUpperBound(v)} and p.household_id is not null
				order by p.${col} using ~<~ limit ${per * 2})
			select * from pre
			${
				[...v].length >= 2
					? db`union all
			(select p.household_id, p.id, null::bigint, 2, ${by}::text from persons p
			 where (select count(distinct household_id) from pre) < ${per}
			   and search_bigrams(p.${col}) @> search_bigrams(${v}::text) and p.${col} like ${'%' + likeEscape(v) + '%'}
			   and p.household_id is not null
			 limit ${per})`
					: db``
			}`;
	};
	switch (q.kind) {
		case 'phone':
			return phone(q.digits);
		case 'number':
			return db`
				(select h.id as household_id, null::bigint as person_id, null::bigint as phone_id, 0 as rank, 'nhi' as matched_by
				 from households h where h.nhi_number = ${q.text})
				union all
				(select p.household_id, p.id, null::bigint, 0, 'resident' from persons p where p.resident_number = ${q.text} and p.household_id is not null)
				${q.digits ? db`union all ${phone(q.digits)}` : db``}`;
		case 'kana':
			return text('kana_search', q.text, 'kana');
		case 'name':
			return text('name_search', q.text, 'name');
		default:
			return none;
	}
}

/**
 * Households matching the query, best first (exact, then prefix / end of number, then contains), at most `limit`
 * + 1 (the caller says "more" when it gets the extra one). `groups`: the field groups the reader may read; the
 * other columns are selected as null. `today`: Tokyo date for the arrears.
 */
export async function searchHouseholds(
	db: Db,
	opts: { query: Exclude<SearchQuery, { kind: 'empty' | 'too_short' }>; limit: number; groups: readonly FieldGroup[]; userId: number; today: string }
): Promise<SearchRow[]> {
	const g = new Set(opts.groups);
	const per = opts.limit + 1;
	return db<SearchRow[]>`
		with c as (${candidates(db, opts.query, per)}),
		best as (
			select distinct on (household_id) household_id, person_id, phone_id, rank, matched_by
			from c where household_id is not null
			order by household_id, rank, person_id nulls last, phone_id nulls last),
		top as (select * from best order by rank, household_id limit ${per})
		select t.household_id, t.rank, t.matched_by, h.status,
		  coalesce(qu.state = 'claimed', false) as held,
		  coalesce(qu.state = 'claimed' and qu.claimed_by = ${opts.userId}, false) as held_by_me,
		  coalesce(qu.state = 'claimed' and qu.claimed_by <> ${opts.userId} and qu.claim_kind = 'inbound', false) as held_inbound,
		  ${g.has('identity') ? db`h.nhi_number` : db`null::text`} as nhi_number,
		  ${g.has('payer') ? db`pay.name` : db`null::text`} as payer_name,
		  ${g.has('payer') ? db`pay.name_kana` : db`null::text`} as payer_kana,
		  ${g.has('address') ? db`h.district` : db`null::text`} as district,
		  ${
				g.has('phones')
					? db`case when coalesce(ph.digits, fp.digits) is null then null
					     else '••••' || right(coalesce(ph.digits, fp.digits), 4) end`
					: db`null::text`
			} as phone_masked,
		  ${
				g.has('arrears')
					? db`(select coalesce(sum(r.assessed - r.received_total), 0)::bigint from receipts r
		               where r.household_id = h.id and r.due_date < ${opts.today}::date and r.assessed > r.received_total)`
					: db`null::bigint`
			} as owed,
		  (t.person_id is not null and t.person_id is distinct from pay.id) as matched_member,
		  ${g.has('members') ? db`case when t.person_id is distinct from pay.id then mp.name end` : db`null::text`} as member_name,
		  ${g.has('members') ? db`case when t.person_id is distinct from pay.id then mp.name_kana end` : db`null::text`} as member_kana
		from top t
		join households h on h.id = t.household_id
		left join lateral (
			select p.id, p.name, p.name_kana from persons p where p.household_id = h.id
			order by (p.resident_number = h.head_resident_number) desc, (p.relationship = '世帯主') desc, p.id limit 1) pay on true
		left join persons mp on mp.id = t.person_id
		left join phones ph on ph.id = t.phone_id
		-- not matched by a phone: the household's first callable number, in the card's order (households.queries.ts)
		${
			g.has('phones')
				? db`left join lateral (
			select p2.digits from phones p2 where p2.household_id = h.id and p2.valid and p2.status = 'active' and p2.digits is not null
			order by (p2.kind = 'mobile') desc, p2.id limit 1) fp on true`
				: db`left join lateral (select null::text as digits) fp on true`
		}
		left join call_queue qu on qu.household_id = h.id
		-- equally good matches: where the payer matched before where another member did (an inbound caller is most
		-- often the payer), then by the payer's kana
		order by t.rank, (t.person_id is not null and t.person_id is distinct from pay.id), pay.name_kana nulls last, t.household_id`;
}
