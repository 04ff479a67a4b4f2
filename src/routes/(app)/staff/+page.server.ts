import { listHandoffs, LIST_LIMIT } from '$lib/server/handoffs/handoffs';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/**
 * The staff queue (handoff.view): handoffs in the staff member's scope, filtered and sorted by the URL's query
 * (state, reason, assignee, overdue, sort: a GET form, so a view can be bookmarked). Each household listed is
 * access-logged. Reloaded on handoff:changed (the page listens on the socket).
 */
export const load: PageServerLoad = async ({ locals, url, depends, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	depends('kansho:handoffs');
	const q = url.searchParams;
	const raw: Record<string, string> = {};
	for (const k of ['state', 'reason', 'assignee', 'overdue', 'sort']) {
		const v = q.get(k);
		if (v) raw[k] = v;
	}
	try {
		const now = new Date();
		const { filter, items } = await listHandoffs(locals.user!, raw, now);
		return {
			filter,
			now: now.toISOString(),
			limit: LIST_LIMIT,
			items: items.map((h) => ({
				id: h.id,
				householdId: h.householdId,
				nhiNumber: h.nhiNumber,
				payerName: h.payerName,
				reason: h.reason,
				status: h.status,
				assignedTo: h.assignedTo,
				assignedToName: h.assignedToName,
				createdAt: h.createdAt.toISOString(),
				createdByName: h.createdByName,
				dueAt: h.dueAt?.toISOString() ?? null,
				firstContactAt: h.firstContactAt?.toISOString() ?? null,
				callbackFrom: h.callbackFrom?.toISOString() ?? null,
				callbackUntil: h.callbackUntil?.toISOString() ?? null,
				closedAt: h.closedAt?.toISOString() ?? null,
				overdue: h.overdue
			}))
		};
	} catch (e) {
		loadError(e);
	}
};
