/**
 * The actions the access log records (the auditor's filter offers them, the page names them in ja/en under
 * `audit.actions.<action with . as _>`). Must list every member of AccessEntry['action'] in
 * src/lib/server/audit/audit.ts: src/lib/server/audit/read.ts fails to type-check otherwise.
 */
export const accessActions = [
	'household.view',
	'household.denied',
	'household.claim',
	'call.record',
	'search',
	'import',
	'export',
	'login',
	'login.failed',
	'login.key_failed',
	'logout',
	'session.revoke',
	'admin.change',
	'audit.view',
	'audit.export',
	'data.erase',
	'webauthn.register',
	'webauthn.rename',
	'webauthn.remove',
	'webauthn.refused',
	'phone.change',
	'do_not_call.lift',
	'segment.create',
	'segment.update',
	'segment.assign',
	'rules.update',
	'floor.release',
	'floor.message',
	'floor.targets',
	'floor.thresholds',
	'display.issue',
	'display.list',
	'display.revoke',
	'display.open',
	'display.refused',
	'handoff.take',
	'handoff.assign',
	'handoff.note',
	'handoff.resolve',
	'handoff.return',
	'handoff.sla',
	'promises.reconcile',
	'letter.generate',
	'letter.download',
	'letter.state',
	'letter.returned',
	'letter.configure',
	'training.change',
	'training.export',
	'training.run',
	'scripts.change',
	'plan.change'
] as const;
export type AccessAction = (typeof accessActions)[number];

export function isAccessAction(x: unknown): x is AccessAction {
	return typeof x === 'string' && (accessActions as readonly string[]).includes(x);
}

/** The i18n key of an action's name: audit.actions.household_view. */
export function accessActionKey(action: string): string {
	return `audit.actions.${action.replace(/\./g, '_')}`;
}
