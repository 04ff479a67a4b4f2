import { addHandoffNote, assignHandoff, handoffDetail, resolveHandoff, returnHandoff, takeHandoff } from '$lib/server/handoffs/handoffs';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/**
 * One handoff (handoff.view): the handoff, its history, the operator's call record and the household's card as the
 * staff field policy allows (access-logged with reason `handoff`). The actions (handoff.work) send the version the
 * page showed: a handoff someone else changed meanwhile is refused (handoff_changed) and nothing changes.
 */
export const load: PageServerLoad = async ({ locals, params, depends, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	depends('kansho:handoff');
	try {
		const d = await handoffDetail(locals.user!, { handoffId: params.id });
		return { ...d, now: new Date().toISOString() };
	} catch (e) {
		loadError(e);
	}
};

const done = (action: string) => (r: { version: number; queueState?: string | null }) => ({ action, ok: true as const, version: r.version, queueState: r.queueState ?? null });

// named one by one: the authorization matrix reads the action names from this file
export const actions: Actions = {
	take: async ({ locals, params, request }) => {
		const f = await request.formData();
		try {
			return done('take')(await takeHandoff(locals.user!, { handoffId: params.id, version: formText(f, 'version') }));
		} catch (e) {
			return actionError(e, { action: 'take' });
		}
	},
	assign: async ({ locals, params, request }) => {
		const f = await request.formData();
		try {
			return done('assign')(await assignHandoff(locals.user!, { handoffId: params.id, version: formText(f, 'version'), assignee: formText(f, 'assignee') ?? '' }));
		} catch (e) {
			return actionError(e, { action: 'assign' });
		}
	},
	note: async ({ locals, params, request }) => {
		const f = await request.formData();
		try {
			return done('note')(await addHandoffNote(locals.user!, { handoffId: params.id, note: formText(f, 'note') ?? '', contacted: formText(f, 'contacted') ?? '' }));
		} catch (e) {
			return actionError(e, { action: 'note' });
		}
	},
	resolve: async ({ locals, params, request }) => {
		const f = await request.formData();
		try {
			return done('resolve')(await resolveHandoff(locals.user!, { handoffId: params.id, version: formText(f, 'version'), code: formText(f, 'code') ?? '', text: formText(f, 'text') ?? null }));
		} catch (e) {
			return actionError(e, { action: 'resolve' });
		}
	},
	return: async ({ locals, params, request }) => {
		const f = await request.formData();
		try {
			return done('return')(
				await returnHandoff(locals.user!, { handoffId: params.id, version: formText(f, 'version'), instruction: formText(f, 'instruction') ?? '', notBefore: formText(f, 'notBefore') ?? '' })
			);
		} catch (e) {
			// what was typed comes back so the form keeps it
			return actionError(e, { action: 'return', instruction: formText(f, 'instruction') ?? '', notBefore: formText(f, 'notBefore') ?? '' });
		}
	}
};
