import { fail, redirect } from '@sveltejs/kit';
import { applyDryRun, ResolveNotConfirmed, runUpload, saveUpload } from '$lib/server/imports/uploads';
import { dismissQuarantined, importHistory, openImport, quarantine } from '$lib/server/imports/history';
import { actionError, loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import { tokyoDate } from '$lib/domain/format';
import type { Actions, PageServerLoad } from './$types';

/**
 * The import page. A run (dry run or apply) ends on its record, /admin/imports?import=<id>: its report is read from
 * the record, so a reload or a later visit (a history row's link) shows the same report, and a dry run's apply
 * button works from it while its held files are there and no import was applied since.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const wanted = url.searchParams.get('import');
	let opened: Awaited<ReturnType<typeof openImport>> | null = null;
	let openError: string | null = null;
	try {
		if (wanted !== null) {
			try {
				opened = await openImport(locals.user!, { importId: wanted });
			} catch (e) {
				// an unknown or malformed number: the page says so above the history, and works as usual
				if (!isDomainError(e) || (e.code !== 'not_found' && e.code !== 'invalid_input')) throw e;
				openError = e.code;
			}
		}
		return { history: await importHistory(locals.user!), quarantine: await quarantine(locals.user!), today: tokyoDate(), opened, openError };
	} catch (e) {
		loadError(e);
	}
};

const opened = (importId: number) => `/admin/imports?import=${importId}`;

export const actions: Actions = {
	dryrun: async ({ locals, request }) => {
		const form = await request.formData();
		const asOf = String(form.get('asOf') ?? '');
		const encoding = String(form.get('encoding') ?? 'auto');
		let importId: number;
		try {
			const token = await saveUpload(locals.user!, form.getAll('files') as File[]);
			importId = (await runUpload(locals.user!, { token, mode: 'dry_run', asOf, encoding })).importId;
		} catch (e) {
			return actionError(e);
		}
		redirect(303, opened(importId));
	},
	apply: async ({ locals, request }) => {
		const form = await request.formData();
		let importId: number;
		try {
			// a set whose dry run takes many households out of the queue is applied only once that count is confirmed
			// (a partial file sent as the full snapshot); a guard against a mistake, not a permission: imports.run decides.
			// The count is the dry run's record's, not the form's.
			const report = await applyDryRun(locals.user!, {
				importId: form.get('importId'),
				quarantine: form.get('quarantine') === 'on',
				confirmResolved: form.get('confirmResolved') === 'on'
			});
			importId = report.importId;
		} catch (e) {
			if (e instanceof ResolveNotConfirmed)
				return fail(400, { code: 'confirm_resolve', message: e.message, details: { confirmResolved: 'required' }, resolved: e.resolved });
			return actionError(e);
		}
		redirect(303, opened(importId));
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
