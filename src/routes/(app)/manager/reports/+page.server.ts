import { periodReport, reportSchedule, setReportSchedule } from '$lib/server/reports/period-report';
import { actionError, formText, loadError } from '$lib/server/http';
import { tokyoDate } from '$lib/domain/format';
import type { Actions, PageServerLoad } from './$types';

/** 日報・月報: ?kind=day&period=YYYY-MM-DD or ?kind=month&period=YYYY-MM (default: this month). reports.view. */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const kind = url.searchParams.get('kind') ?? 'month';
	const period = url.searchParams.get('period') || (kind === 'day' ? tokyoDate() : tokyoDate().slice(0, 7));
	try {
		const [report, schedule] = await Promise.all([periodReport(locals.user!, { kind, period }, locals.locale), reportSchedule(locals.user!)]);
		return {
			report,
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
