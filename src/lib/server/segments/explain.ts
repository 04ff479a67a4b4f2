/**
 * "Why is this household next / why is it not callable now" for supervisors: for one household, the segment it
 * belongs to and why (each condition of that segment and of every active segment before it, with the household's
 * value), its queue state and wait reason with the time it becomes callable, its priority score with reasons, and
 * its place in its segment's ready order.
 *
 * Data minimization: a condition's value is shown only when the supervisor's field policy (fields.ts) lets them
 * read the field group it comes from (arrears, phones, language, address, contacts, promises); for the others
 * (bank transfer, card class, nationality) only whether the condition holds is shown: that much is what segment
 * membership already tells. The read is written to the access log (household.view, reason 'explain', the groups
 * whose values were shown).
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { mayRead, type FieldGroup } from '../../domain/fields.ts';
import { explainFilter, matchesFacts, type SegmentFilter, type SegmentFilterField } from '../../domain/segments.ts';
import { priorityScore, describeReason, type ScoreReason } from '../../domain/priority.ts';
import { describeClosedReason } from '../../domain/live-floor.ts';
import { describeWaitReason, isWithinWindow, nextWindowOpen, timeSlot, waitReasons, type WaitReason } from '../../domain/calling-rules.ts';
import { tokyoDate } from '../../domain/format.ts';
import { factsFor } from '../queue/facts.queries.ts';
import { loadCallingRules } from '../queue/rules.ts';
import * as q from './segments.queries.ts';

/** The field group a filter condition reads (the field policy decides whether its value may be shown). */
export const conditionGroup: Record<SegmentFilterField, FieldGroup> = {
	minOwed: 'arrears',
	maxOwed: 'arrears',
	minUnpaidPeriods: 'arrears',
	maxUnpaidPeriods: 'arrears',
	minOldestUnpaidDays: 'arrears',
	maxOldestUnpaidDays: 'arrears',
	currentYearPeriods: 'arrears',
	arrearsYears: 'arrears',
	phoneTypes: 'phones',
	bankTransfer: 'bankTransfer',
	cardClasses: 'assessment',
	languages: 'language',
	excludeLanguages: 'language',
	nationalities: 'members',
	excludeNationalities: 'members',
	districts: 'address',
	minDaysSinceContact: 'contacts',
	maxDaysSinceContact: 'contacts',
	minAttempts: 'contacts',
	maxAttempts: 'contacts',
	promiseStatuses: 'promises',
	callbackDue: 'contacts'
};

/** The score's reasons read these groups. */
const reasonGroup: Record<ScoreReason['code'], FieldGroup> = {
	arrears: 'arrears',
	lapse: 'arrears',
	broken_promise: 'promises',
	since_attempt: 'contacts',
	never_called: 'contacts',
	contact_probability: 'contacts',
	segment: 'promises'
};

export interface ConditionView {
	field: SegmentFilterField;
	ok: boolean;
	/** the household's value; null when it has none or the reader may not see it (then `hidden`) */
	actual: string | number | null;
	hidden: boolean;
}

export interface SegmentCheck {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	sortOrder: number;
	matches: boolean;
	conditions: ConditionView[];
}

export interface Explanation {
	householdId: number;
	nhiNumber: string;
	now: string;
	/** active segments in order, up to and including the first that matches (the one it belongs to) */
	segments: SegmentCheck[];
	/** the segment its facts put it in now (null: none); may differ from queue.segmentId until it is placed again */
	segmentId: number | null;
	queue: (Omit<q.QueuePlace, 'priorityDetail'> & { waitReasonText: string | null; closedReasonText: string | null }) | null;
	/** callable by a claim right now (ready, inside today's window, not held or reserved for someone else) */
	callableNow: boolean;
	/** why not, in order: outside the window (with the next opening), held, reserved, waiting, closed */
	notCallable: { code: 'window' | 'no_window' | 'claimed' | 'reserved' | 'waiting' | 'closed' | 'not_queued'; at: string | null; text: string | null }[];
	score: { score: number; stored: number | null; reasons: { code: string; points: number; text: string }[]; fromPlacement: boolean } | null;
	place: { n: number; total: number; segmentId: number } | null;
}

const input = z.object({ householdId: id });

function isScoreReasons(x: unknown): x is ScoreReason[] {
	return Array.isArray(x) && x.every((r) => r && typeof r === 'object' && typeof (r as ScoreReason).code === 'string' && typeof (r as ScoreReason).points === 'number');
}

/**
 * Explain one household's place in the queue (supervisors, queue.manage). Written to the access log as a read
 * of the household ('explain'). not_found when there is no such household.
 */
export async function explainHousehold(actor: Actor, raw: { householdId: unknown }): Promise<Explanation> {
	requirePermission(actor, 'queue.manage');
	const parsed = input.safeParse(raw);
	if (!parsed.success) throw new DomainError('not_found', 'no such household');
	const householdId = parsed.data.householdId;
	const now = new Date();
	const today = tokyoDate(now);
	const locale = actor.locale;
	return db().begin(async (tx) => {
		const nhiNumber = await q.nhiNumberOf(tx, householdId);
		if (nhiNumber === undefined) throw new DomainError('not_found', 'no such household');
		const [facts] = await factsFor(tx, [householdId], today);
		const rules = await loadCallingRules(tx);
		const shown = new Set<FieldGroup>(['identity']);
		const see = (g: FieldGroup) => {
			const ok = mayRead(actor.role, g);
			if (ok) shown.add(g);
			return ok;
		};

		// segments in order, until the first that takes it
		const segments: SegmentCheck[] = [];
		let segmentId: number | null = null;
		if (facts) {
			for (const s of (await q.listSegments(tx)).filter((x) => x.active)) {
				const f = s.filter as SegmentFilter;
				const conditions = explainFilter(f, facts, now).map((c) => {
					const visible = see(conditionGroup[c.field]);
					return { field: c.field, ok: c.ok, actual: visible ? c.actual : null, hidden: !visible };
				});
				const matches = matchesFacts(f, facts, now);
				segments.push({ id: s.id, code: s.code, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, matches, conditions });
				if (matches) {
					segmentId = s.id;
					break;
				}
			}
		}

		// the queue: state, why it waits, when it becomes callable
		const place = await q.queuePlace(tx, householdId);
		const notCallable: Explanation['notCallable'] = [];
		let queue: Explanation['queue'] = null;
		let placeInLine: Explanation['place'] = null;
		if (!place) notCallable.push({ code: 'not_queued', at: null, text: null });
		else {
			const { priorityDetail: _detail, ...rest } = place;
			const wr = place.waitReason && (waitReasons as readonly string[]).includes(place.waitReason) ? describeWaitReason(place.waitReason as WaitReason, locale) : place.waitReason;
			queue = { ...rest, waitReasonText: wr, closedReasonText: place.state === 'closed' || place.closedReason ? describeClosedReason(place.closedReason, locale) : null };
			if (place.state === 'ready') {
				if (!isWithinWindow(rules, now)) {
					const next = nextWindowOpen(rules, now);
					notCallable.push({ code: next ? 'window' : 'no_window', at: next?.toISOString() ?? null, text: describeWaitReason('window', locale) });
				}
				if (place.reservedFor !== null && place.reservedUntil !== null && place.reservedUntil > now)
					notCallable.push({ code: 'reserved', at: place.reservedUntil.toISOString(), text: place.reservedForName });
				placeInLine = {
					n: await q.placeInLine(tx, place.segmentId, place.priority, householdId),
					total: await q.readyCount(tx, place.segmentId),
					segmentId: place.segmentId
				};
			} else if (place.state === 'claimed') notCallable.push({ code: 'claimed', at: place.claimExpiresAt?.toISOString() ?? null, text: place.claimedByName });
			else if (place.state === 'waiting') notCallable.push({ code: 'waiting', at: place.nextEligibleAt?.toISOString() ?? null, text: wr });
			else notCallable.push({ code: 'closed', at: null, text: describeClosedReason(place.closedReason, locale) });
		}

		// the score: the reasons stored at the last placement, else computed now for the current time slot
		let score: Explanation['score'] = null;
		if (facts) {
			const stored = place && isScoreReasons(place.priorityDetail) ? place.priorityDetail : null;
			const reasons = stored ?? priorityScore(facts, now, timeSlot(now)).reasons;
			const visibleReasons = reasons.filter((r) => see(reasonGroup[r.code]));
			score = {
				score: reasons.reduce((s, r) => s + r.points, 0),
				stored: place?.priority ?? null,
				reasons: visibleReasons.map((r) => ({ code: r.code, points: r.points, text: describeReason(r, locale) })),
				fromPlacement: stored !== null
			};
		}

		await writeAccessLog(tx, actor, { action: 'household.view', householdId, fields: [...shown], reason: 'explain' });
		return {
			householdId,
			nhiNumber,
			now: now.toISOString(),
			segments,
			segmentId,
			queue,
			callableNow: notCallable.length === 0,
			notCallable,
			score,
			place: placeInLine
		};
	});
}

/** The household with this 国保記号番号, for the search box (supervisors); not_found when none. */
export async function findHouseholdByNhi(actor: Actor, raw: { nhiNumber: unknown }): Promise<number> {
	requirePermission(actor, 'queue.manage');
	const nhi = typeof raw.nhiNumber === 'string' ? raw.nhiNumber.normalize('NFKC').trim() : '';
	if (!/^[0-9A-Za-z-]{1,20}$/.test(nhi)) throw new DomainError('invalid_input', 'nhiNumber: required', { nhiNumber: 'required' });
	const householdId = await q.householdIdByNhi(db(), nhi);
	if (householdId === undefined) throw new DomainError('not_found', `no household with NHI number ${nhi}`);
	return householdId;
}
