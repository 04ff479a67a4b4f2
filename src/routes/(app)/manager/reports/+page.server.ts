import { periodReport, reportSchedule, setReportSchedule } from '$lib/server/reports/period-report';
import { actionError, formText, loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import { tokyoDate } from '$lib/domain/format';
import type { Actions, PageServerLoad } from './$types';

/**
 * 日報・月報: ?kind=day&period=YYYY-MM-DD or ?kind=month&period=YYYY-MM (default: this month). reports.view.
 * A period that is refused (2026-02-30, a malformed month) shows the default period of that kind instead, with a
 * notice naming what was wrong (`refused`: the field's code and what was typed), not a bare error page.
 */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const asked = url.searchParams.get('kind') ?? 'month';
	const kind = asked === 'day' ? 'day' : 'month';
	const fallback = kind === 'day' ? tokyoDate() : tokyoDate().slice(0, 7);
	const period = url.searchParams.get('period') || fallback;
	type Refused = { field: string; code: string; params: Record<string, string | number> | null; typed: string };
	let refused: Refused | null = null;
	try {
		const read = async (k: string, p: string) => periodReport(locals.user!, { kind: k, period: p }, locals.locale);
		let report: Awaited<ReturnType<typeof read>>;
		try {
			report = await read(asked, period);
		} catch (e) {
			if (!isDomainError(e) || e.code !== 'invalid_input') throw e;
			const field = Object.keys(e.details ?? {})[0] ?? 'period';
			refused = { field, code: e.details?.[field] ?? 'invalid', params: e.params?.[field] ?? null, typed: field === 'kind' ? asked : period };
			report = await read(kind, fallback);
		}
		const schedule = await reportSchedule(locals.user!);
		return {
			refused,
			report,
			today: tokyoDate(),
			schedule: { ...schedule.schedule, updatedAt: schedule.schedule.updatedAt.toISOString() },
			stored: schedule.stored.map((s) => ({ ...s, createdAt: s.createdAt.toISOString() })),
			nextRun: schedule.nextRun
		};
	} catch (e) {
		loadError(e);
	}
};

// named one by one: the authorization matrix reads the action names from this file
export const actions: Actions = {
	schedule: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await setReportSchedule(locals.user!, { monthlyEnabled: f.get('monthlyEnabled') === 'on', formats: f.getAll('formats').map(String), version: formText(f, 'version') ?? '' });
			return { saved: true };
		} catch (e) {
			return actionError(e);
		}
	}
};
