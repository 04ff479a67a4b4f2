import { fail } from '@sveltejs/kit';
import { certifyAgain, eraseAllPersonalData, previewErasure } from '$lib/server/erasure/erasure';
import { SignInThrottled } from '$lib/server/auth/sessions';
import { actionError, loadError, formText } from '$lib/server/http';
import { logger } from '$lib/server/log';
import type { Actions, PageServerLoad } from './$types';

const log = logger('erasure');

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const preview = await previewErasure(locals.user!);
		// what the page shows: no server path (the upload folder, the font file) reaches the browser; the
		// administrator downloads the certificate from this page, and a missing font is named in the server's log
		const { directory: _directory, ...uploads } = preview.uploads;
		if (!preview.font.ok) log.warn({ problem: preview.font.problem }, 'no font for the erasure certificate');
		return { preview: { ...preview, uploads, font: { ok: preview.font.ok } } };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	/** 消去: the phrase typed and the password again; everything else is the use case's */
	erase: async ({ locals, request, setHeaders }) => {
		// no cache-control here: without JavaScript the page is rendered after the action, and its load sets it
		const form = await request.formData();
		try {
			const r = await eraseAllPersonalData(locals.user!, { phrase: formText(form, 'phrase'), password: formText(form, 'password') });
			return {
				step: 'erase',
				erasureId: r.erasureId,
				households: r.households,
				totalRows: r.totalRows,
				// the reason (it may name a server path) is in the server's log; the page says how to make it again
				certificateError: 'error' in r.certificate
			};
		} catch (e) {
			if (e instanceof SignInThrottled) {
				setHeaders({ 'retry-after': String(e.retryAfterSeconds) });
				return fail(e.status, { step: 'erase', code: e.code, retryAfter: e.retryAfterSeconds, details: null, message: e.message });
			}
			// the typed phrase comes back so the form keeps it (never the password)
			return actionError(e, { step: 'erase', phrase: formText(form, 'phrase') ?? '' });
		}
	},
	/** 証明書を再作成: when making the certificate failed after the data was erased */
	certify: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			const r = await certifyAgain(locals.user!, { id: formText(form, 'id') });
			return { step: 'certify', id: Number(formText(form, 'id')), sha256: r.sha256 };
		} catch (e) {
			return actionError(e, { step: 'certify' });
		}
	}
};
