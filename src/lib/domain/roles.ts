/**
 * Roles and what each may do. Pure: used by the server's policy checks (the only place that enforces them)
 * and by the UI to decide which links to show (which is convenience, never protection).
 */
export const roles = ['operator', 'supervisor', 'staff', 'manager', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

export function isRole(x: unknown): x is Role {
	return typeof x === 'string' && (roles as readonly string[]).includes(x);
}

export const permissions = [
	'queue.claim', // claim the next household, hold it, release it
	'call.record', // record a call's outcome
	'household.search', // find a household by phone, name, kana, NHI or resident number (inbound calls)
	'queue.manage', // segments, operator assignments, calling rules; why a household is next (supervisors)
	'household.read', // read a household's card (fields by role: see fields.ts)
	'wall.view', // the live wall display and its snapshot
	'floor.view', // the supervisor console
	'display.manage', // issue, list and revoke the wall display's tokens (a wall PC without a person's login)
	'handoff.view', // handoffs to ward staff: the list and a handoff's detail (/staff)
	'handoff.work', // take, assign, annotate, resolve and return handoffs (ward staff)
	'handoff.configure', // the service-level target per handoff reason (supervisors, administrators)
	'reports.view', // KPIs and reports
	'reports.schedule', // the monthly report's schedule: on or off, in which formats (managers)
	'users.view', // user administration: see users and their sessions
	'users.manage', // create users, disable/enable them, change roles, reset passwords, end their sessions
	'audit.view', // the access log
	'imports.run', // import the ward's files, see import history and quarantine
	'data.erase', // erase personal data at contract end and see erasures and their certificates (administrators only)
	// export call results (架電結果.csv) for the ward's system, if the administrator allows the role: this grant is
	// the ceiling, the setting (export_roles, /admin/exports) decides; see src/lib/server/exports/policy.ts
	'exports.run',
	'exports.configure', // choose which roles may export
	// reminder letters (催告書, issue #7): candidates, batches, their PDF and label CSV, states, returned mail
	'letters.manage',
	// print (download the PDF of) the letter batches a supervisor or staff member assigned to oneself, and nothing
	// else: the one download an operator may make (docs/field-policy.md), checked per batch and logged per household
	'letters.print',
	// the letters' template and candidate settings (administrators)
	'letters.configure',
	// operator training (issue #9): plan courses and sessions, record attendance and completion (supervisors, administrators)
	'training.manage',
	// read the training plan and every user's records, export them for the ward's audit
	'training.view',
	// training mode (issue #9): start and end training runs on the synthetic data set, play scenarios, mark and score
	// trainees (supervisors)
	'training.run',
	// the talk scripts: new versions per situation and language (supervisors)
	'scripts.manage',
	// the call plan (納付案内計画, issue #8): weeks × segments with targets and staffing (supervisors); reading it and its
	// progress needs reports.view
	'plan.manage'
] as const;
export type Permission = (typeof permissions)[number];

// operators never export or download anything (issue #4: no copying), with one narrow exception: printing the letter
// batches assigned to them (letters.print, issue #7); every other role may, when allowed
const grants: Record<Role, readonly Permission[]> = {
	operator: ['queue.claim', 'call.record', 'household.read', 'household.search', 'letters.print'],
	supervisor: ['household.read', 'household.search', 'queue.manage', 'wall.view', 'floor.view', 'display.manage', 'reports.view', 'exports.run', 'handoff.configure', 'letters.manage', 'training.manage', 'training.view', 'training.run', 'scripts.manage', 'plan.manage'],
	staff: ['household.read', 'household.search', 'handoff.view', 'handoff.work', 'exports.run', 'letters.manage'],
	manager: ['wall.view', 'reports.view', 'reports.schedule', 'exports.run', 'training.view'],
	admin: ['users.view', 'users.manage', 'wall.view', 'display.manage', 'imports.run', 'data.erase', 'exports.run', 'exports.configure', 'handoff.configure', 'letters.configure', 'training.manage', 'training.view'],
	auditor: ['audit.view', 'exports.run', 'training.view']
};

/**
 * What reads or works real households' data at the desk: an operator may use these only once their
 * personal-information protection training (個人情報保護研修) is recorded (issue #9; the server's requirePermission).
 */
export const privacyGatedPermissions: readonly Permission[] = ['queue.claim', 'call.record', 'household.read', 'household.search', 'letters.print'];

/** Whether this role needs the privacy training recorded before using this permission (operators, for real data). */
export function needsPrivacyTraining(role: Role, permission: Permission): boolean {
	return role === 'operator' && privacyGatedPermissions.includes(permission);
}

/** The roles an administrator may allow to export (those with the exports.run ceiling): never operators. */
export const exportableRoles: readonly Role[] = roles.filter((r) => grants[r].includes('exports.run'));

export function can(role: Role, permission: Permission): boolean {
	return grants[role].includes(permission);
}

/** Where each role lands after login. */
export const homePath: Record<Role, string> = {
	operator: '/operator',
	supervisor: '/supervisor',
	staff: '/staff',
	manager: '/manager',
	admin: '/admin',
	auditor: '/audit'
};

/** Which permission each page area needs. The first matching prefix wins. */
const pageRules: [prefix: string, permission: Permission][] = [
	['/operator/letters', 'letters.print'],
	['/operator', 'queue.claim'],
	// before /supervisor: administrators set up wall PCs too (they have no console)
	['/supervisor/displays', 'display.manage'],
	// the handoff SLA targets: supervisors and administrators
	['/supervisor/handoff-sla', 'handoff.configure'],
	['/supervisor/scripts', 'scripts.manage'],
	['/supervisor/training', 'training.run'],
	// the operators' performance: supervisors (floor.view: the /supervisor rule below)
	['/supervisor', 'floor.view'],
	['/wall', 'wall.view'],
	['/staff', 'handoff.view'],
	['/manager', 'reports.view'],
	['/admin/imports', 'imports.run'],
	['/admin/erasure', 'data.erase'],
	['/admin/exports', 'exports.configure'],
	['/admin/letters', 'letters.configure'],
	['/letters', 'letters.manage'],
	['/exports', 'exports.run'],
	// one's own training record (/training) is any signed-in user's; the plan and its export need training.view
	['/training/plan', 'training.view'],
	['/training/export', 'training.view'],
	['/admin', 'users.view'],
	['/audit', 'audit.view']
];

/** The permission a page path needs, or null for pages any signed-in user may open. */
export function permissionForPath(pathname: string): Permission | null {
	for (const [prefix, perm] of pageRules) {
		if (pathname === prefix || pathname.startsWith(prefix + '/')) return perm;
	}
	return null;
}
