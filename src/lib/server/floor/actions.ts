/**
 * The floor controls' form actions (SvelteKit, progressive enhancement): mounted by /supervisor/controls and
 * usable by any supervisor page (`export const actions = { ...floorActions }`). Each reads its form, calls one use
 * case, and answers `{ step, ok }` or a failure: 409 with `stale: { subject, current }` for a stale edit, 400 with
 * the fields' problems for bad input.
 */
import { fail, type RequestEvent } from '@sveltejs/kit';
import { actionError, formText } from '../http.ts';
import { movedSegments } from '../../domain/floor-controls.ts';
import { assignOperator, isStaleFloorError, moveSegment, releaseStuckClaim, sendFloorMessage, setDayTargets, setSegmentPaused, setThresholds } from './floor.ts';

type Ev = Pick<RequestEvent, 'locals' | 'request'>;

function failed(e: unknown, step: string) {
	if (isStaleFloorError(e)) return fail(409, { step, code: 'conflict', message: e.message, details: null, stale: { subject: e.subject, current: JSON.parse(JSON.stringify(e.current)) } });
	return actionError(e, { step });
}

const num = (v: string | undefined) => (v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : v);

/**
 * The board's move: `op` is 'move:<segmentId>', 'add:<segmentId>' or 'remove'; `from` the column the card was in
 * ('' for unassigned); `current` the operator's segments the board showed (comma-separated).
 */
export function assignmentFromForm(form: FormData) {
	const current = (formText(form, 'current') ?? '')
		.split(',')
		.filter((s) => /^\d+$/.test(s))
		.map(Number);
	const fromText = formText(form, 'from') ?? '';
	const from = /^\d+$/.test(fromText) ? Number(fromText) : null;
	const op = formText(form, 'op') ?? '';
	const m = /^(move|add):(\d+)$/.exec(op);
	let segmentIds: unknown;
	if (m) segmentIds = movedSegments(current, m[1] === 'move' ? from : null, Number(m[2]));
	else if (op === 'remove' && from !== null) segmentIds = movedSegments(current, from, null);
	else segmentIds = 'choose'; // refused by the use case: segmentIds
	return { operatorId: num(formText(form, 'operatorId')), version: num(formText(form, 'version')), segmentIds };
}

export const floorActions = {
	assign: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		try {
			const r = await assignOperator(locals.user!, assignmentFromForm(form));
			return { step: 'assign', ok: true as const, operatorId: r.operatorId, segmentIds: r.segmentIds };
		} catch (e) {
			return failed(e, 'assign');
		}
	},
	active: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		const active = formText(form, 'active');
		try {
			const s = await setSegmentPaused(locals.user!, {
				segmentId: num(formText(form, 'segmentId')),
				version: num(formText(form, 'version')),
				active: active === 'true' ? true : active === 'false' ? false : active
			});
			return { step: 'active', ok: true as const, active: s.active, nameJa: s.nameJa, nameEn: s.nameEn };
		} catch (e) {
			return failed(e, 'active');
		}
	},
	reorder: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		try {
			await moveSegment(locals.user!, {
				segmentId: num(formText(form, 'segmentId')),
				version: num(formText(form, 'version')),
				direction: formText(form, 'direction'),
				passing: num(formText(form, 'passing'))
			});
			return { step: 'reorder', ok: true as const };
		} catch (e) {
			return failed(e, 'reorder');
		}
	},
	release: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		try {
			const r = await releaseStuckClaim(locals.user!, { householdId: num(formText(form, 'householdId')), operatorId: num(formText(form, 'operatorId')) });
			return { step: 'release', ok: true as const, householdId: r.householdId, state: r.state };
		} catch (e) {
			return failed(e, 'release');
		}
	},
	message: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		const target = formText(form, 'target');
		try {
			const r = await sendFloorMessage(locals.user!, {
				target,
				text: formText(form, 'text'),
				...(target === 'operator' ? { operatorId: num(formText(form, 'operatorId')) } : {}),
				...(target === 'segment' ? { segmentId: num(formText(form, 'segmentId')) } : {})
			});
			return { step: 'message', ok: true as const, recipients: r.recipients };
		} catch (e) {
			return failed(e, 'message');
		}
	},
	targets: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		try {
			const r = await setDayTargets(locals.user!, {
				version: formText(form, 'version'),
				attempts: formText(form, 'attempts'),
				contacts: formText(form, 'contacts'),
				promises: formText(form, 'promises'),
				promisedAmount: formText(form, 'promisedAmount')
			});
			return { step: 'targets', ok: true as const, version: r.version };
		} catch (e) {
			return failed(e, 'targets');
		}
	},
	thresholds: async ({ locals, request }: Ev) => {
		const form = await request.formData();
		try {
			const r = await setThresholds(locals.user!, {
				version: formText(form, 'version'),
				longCallMinutes: formText(form, 'longCallMinutes'),
				longBreakMinutes: formText(form, 'longBreakMinutes')
			});
			return { step: 'thresholds', ok: true as const, version: r.version };
		} catch (e) {
			return failed(e, 'thresholds');
		}
	}
};
