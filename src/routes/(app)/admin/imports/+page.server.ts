import { needsResolveConfirmation } from '$lib/domain/import/mass-resolve';
import { fail } from '@sveltejs/kit';
import { runUpload, saveUpload } from '$lib/server/imports/uploads';
import { dismissQuarantined, importHistory, quarantine } from '$lib/server/imports/history';
import { actionError, loadError } from '$lib/server/http';
import { tokyoDate } from '$lib/domain/format';
import type { ImportReport } from '$lib/server/imports/imports';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { history: await importHistory(locals.user!), quarantine: await quarantine(locals.user!), today: tokyoDate() };
	} catch (e) {
		loadError(e);
	}
};

const SHOWN = 1000;

/** What the page shows of a report: everything but the raw rows, and at most SHOWN rejections. */
function forPage(r: ImportReport) {
	const all = [...r.fileErrors, ...r.rejected];
	return {
		importId: r.importId,
		status: r.status,
		applied: r.applied,
		kind: r.kind,
		asOf: r.asOf,
		files: r.files,
		counts: r.counts,
		changes: r.changes,
		summary: r.summary,
		seconds: r.seconds,
		rejectedTotal: all.length,
		fileErrors: r.fileErrors.map(({ file, line, column, reason }) => ({ file, line, column, reason })),
		rejected: all.slice(0, SHOWN).map(({ file, line, column, reason }) => ({ file, line, column, reason }))
	};
}

export const actions: Actions = {
	dryrun: async ({ locals, request }) => {
		const form = await request.formData();
		const asOf = String(form.get('asOf') ?? '');
		const encoding = String(form.get('encoding') ?? 'auto');
		try {
			const token = await saveUpload(locals.user!, form.getAll('files') as File[]);
			const report = await runUpload(locals.user!, { token, mode: 'dry_run', asOf, encoding });
			return { step: 'dryrun', token, asOf, encoding, report: forPage(report) };
		} catch (e) {
			return actionError(e);
		}
	},
	apply: async ({ locals, request }) => {
		const form = await request.formData();
		const mode = form.get('quarantine') === 'on' ? 'apply_quarantine' : 'apply';
		// a set whose dry run takes many households out of the queue is applied only once that count is confirmed
		// (a partial file sent as the full snapshot); a guard against a mistake, not a permission: imports.run decides
		const resolved = Number(form.get('dryRunResolved') ?? 0);
		if (needsResolveConfirmation(resolved, Number(form.get('dryRunInArrears') ?? 0)) && form.get('confirmResolved') !== 'on')
			return fail(400, { code: 'confirm_resolve', message: `confirm that ${resolved} households leave the queue`, details: { confirmResolved: 'required' }, resolved });
		try {
			const report = await runUpload(locals.user!, { token: form.get('token'), mode, asOf: form.get('asOf') ?? '', encoding: form.get('encoding') ?? 'auto' });
			return { step: 'apply', report: forPage(report) };
		} catch (e) {
			return actionError(e);
		}
	},
	dismiss: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await dismissQuarantined(locals.user!, { rejectionId: form.get('rejectionId') });
			return { step: 'dismiss' };
		} catch (e) {
			return actionError(e);
		}
	}
};
