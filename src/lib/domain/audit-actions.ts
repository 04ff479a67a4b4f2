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

/**
 * A user agent as a reader needs it in a table: the browser with its major version and the system
 * ("HeadlessChrome 131 · Linux"); the first 40 characters when neither is recognized.
 */
export function userAgentSummary(ua: string): string {
	// in order: Edge and Chrome on iOS also name Chrome or Safari
	let browser: string[] | null = null;
	for (const name of ['Edg', 'FxiOS', 'CriOS', 'Firefox', 'HeadlessChrome', 'Chrome']) {
		const m = new RegExp(`\\b${name}/(\\d+)`).exec(ua);
		if (m) {
			browser = ['', name, m[1]];
			break;
		}
	}
	if (!browser && /Safari\//.test(ua)) {
		const v = /Version\/(\d+)/.exec(ua);
		if (v) browser = ['', 'Safari', v[1]];
	}
	const os = /Windows NT|Android|iPhone|iPad|Mac OS X|CrOS|Linux/.exec(ua)?.[0];
	const osName = os ? ({ 'Windows NT': 'Windows', 'Mac OS X': 'macOS', CrOS: 'ChromeOS' } as Record<string, string>)[os] ?? os : null;
	if (!browser && !osName) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua;
	const name = browser ? `${browser[1] === 'Edg' ? 'Edge' : browser[1]} ${browser[2]}` : null;
	return [name, osName].filter(Boolean).join(' · ');
}

/**
 * A log row's reason shortened for the table: a `user agent: …` part (sign-ins) becomes its summary; the rest is
 * kept. The page shows the full reason in a tooltip (title).
 */
export function shortReason(reason: string): string {
	// a user agent holds '; ' itself: it runs to the next 'name: ' part of the reason, or the end
	return reason.replace(/user agent: (.*?)(?=; [a-z][a-z ]*: |$)/, (_, ua: string) => `user agent: ${userAgentSummary(ua.trim())}`);
}
