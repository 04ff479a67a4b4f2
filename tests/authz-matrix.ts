/**
 * The authorization matrix (issue #4): every route (page, form action, endpoint) and every Socket.IO event a
 * client may send, and who may use it: the six roles and `anon` (no session). Everyone not listed is refused:
 * 401/403, or for pages without a session a redirect to /login.
 *
 * tests/integration/authz-matrix.int.test.ts discovers the routes under src/routes and the events handled in
 * server/realtime.ts and fails when one has no rule here, so a new route cannot ship without a decision; then it
 * walks every rule against a running instance, for every role and for no session.
 *
 * "Allowed" means the request gets past authorization: it may still be refused for its input (400), its state
 * (404, 409) or the household's scope, but never 401/403. Rules mirror src/lib/domain/roles.ts (page guard and
 * use-case permissions) and, for exports, the administrator's setting at its default (administrators only).
 */
import type { Role } from '../src/lib/domain/roles.ts';

export type Who = Role | 'anon';

export interface Rule {
	/** SvelteKit route id ('/(app)/admin/users/[id]'), or 'socket' for Socket.IO */
	route: string;
	/** page: GET the page (its load); action: POST a form action; endpoint: a +server.ts method; event: a socket event */
	kind: 'page' | 'action' | 'endpoint' | 'event';
	/** the HTTP method of an endpoint, the action's name ('default' for an unnamed one), or the event's name */
	name: string;
	/** who gets past authorization; everyone else is refused */
	allow: readonly Who[];
	/** why, in a few words (what roles.ts or the use case says) */
	why: string;
}

const signedIn: readonly Who[] = ['operator', 'supervisor', 'staff', 'manager', 'admin', 'auditor'];
const everyone: readonly Who[] = [...signedIn, 'anon'];
// the export setting's default (migrations/00007_security): administrators only
const exporters: readonly Who[] = ['admin'];

// prettier-ignore
export const matrix: readonly Rule[] = [
	// public
	{ route: '/(auth)/login', kind: 'page', name: 'GET', allow: everyone, why: 'public; signed-in users are sent home' },
	{ route: '/(auth)/login', kind: 'action', name: 'default', allow: everyone, why: 'public: signing in' },
	{ route: '/locale', kind: 'endpoint', name: 'POST', allow: everyone, why: 'public: the language switch' },
	{ route: '/(auth)/login/key', kind: 'endpoint', name: 'POST', allow: everyone, why: 'public: the security-key step (needs its step cookie)' },
	{ route: '/(auth)/login/enrol', kind: 'endpoint', name: 'POST', allow: everyone, why: 'public: registering a first key at sign-in (needs its step cookie)' },
	// any signed-in user
	{ route: '/', kind: 'page', name: 'GET', allow: signedIn, why: 'redirects to the role’s home' },
	{ route: '/logout', kind: 'endpoint', name: 'POST', allow: signedIn, why: 'ends one’s own session' },
	{ route: '/(app)/account', kind: 'page', name: 'GET', allow: signedIn, why: 'one’s own sessions' },
	{ route: '/(app)/account', kind: 'action', name: 'password', allow: signedIn, why: 'one’s own password' },
	{ route: '/(app)/account', kind: 'action', name: 'end', allow: signedIn, why: 'one’s own sessions' },
	{ route: '/(app)/account', kind: 'action', name: 'renameKey', allow: signedIn, why: 'one’s own security keys' },
	{ route: '/(app)/account', kind: 'action', name: 'removeKey', allow: signedIn, why: 'one’s own security keys' },
	{ route: '/(app)/account/keys', kind: 'endpoint', name: 'POST', allow: signedIn, why: 'registering one’s own security key' },
	{ route: '/(app)/account/keys/options', kind: 'endpoint', name: 'POST', allow: signedIn, why: 'registering one’s own security key' },
	// operators
	{ route: '/(app)/operator', kind: 'page', name: 'GET', allow: ['operator'], why: 'queue.claim' },
	{ route: '/(app)/operator', kind: 'action', name: 'next', allow: ['operator'], why: 'queue.claim' },
	{ route: '/(app)/operator', kind: 'action', name: 'release', allow: ['operator'], why: 'queue.claim' },
	{ route: '/(app)/operator', kind: 'action', name: 'outcome', allow: ['operator'], why: 'call.record' },
	{ route: '/(app)/operator/inbound', kind: 'page', name: 'GET', allow: ['operator'], why: 'queue.claim (the /operator guard): inbound calls are answered at the desk' },
	{ route: '/(app)/operator/inbound', kind: 'action', name: 'search', allow: ['operator'], why: 'household.search (under the /operator guard)' },
	{ route: '/(app)/operator/inbound', kind: 'action', name: 'open', allow: ['operator'], why: 'queue.claim + household.search: the inbound hold' },
	{ route: '/(app)/operator/inbound', kind: 'action', name: 'release', allow: ['operator'], why: 'queue.claim' },
	{ route: '/api/claims/next', kind: 'endpoint', name: 'POST', allow: ['operator'], why: 'queue.claim' },
	{ route: '/api/claims/release', kind: 'endpoint', name: 'POST', allow: ['operator'], why: 'queue.claim' },
	{ route: '/api/calls', kind: 'endpoint', name: 'POST', allow: ['operator'], why: 'call.record' },
	// household data
	{ route: '/api/households/[id]', kind: 'endpoint', name: 'GET', allow: ['operator', 'supervisor', 'staff'], why: 'household.read (then scope and field policy)' },
	// floor and reports
	{ route: '/(app)/supervisor', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'floor.view' },
	// segments, assignments, calling rules, "why is this household next" (issue #5)
	{ route: '/(app)/supervisor/segments', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/segments', kind: 'action', name: 'create', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/segments', kind: 'action', name: 'assign', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/segments', kind: 'action', name: 'find', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/segments/preview', kind: 'endpoint', name: 'POST', allow: ['supervisor'], why: 'queue.manage (counts only)' },
	{ route: '/(app)/supervisor/segments/[id]', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/segments/[id]', kind: 'action', name: 'save', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/(app)/supervisor/segments/[id]', kind: 'action', name: 'active', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/(app)/supervisor/segments/[id]', kind: 'action', name: 'assign', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/rules', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage' },
	{ route: '/(app)/supervisor/rules', kind: 'action', name: 'default', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/(app)/supervisor/promises', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage + household.read (each household listed is logged)' },
	{ route: '/(app)/supervisor/promises', kind: 'action', name: 'reconcile', allow: ['supervisor'], why: 'queue.manage: reconcile promises now' },
	{ route: '/(app)/supervisor/households/[id]', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage; logged as household.view (explain)' },
	// floor controls (issue #6)
	{ route: '/(app)/supervisor/controls', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'queue.manage (the /supervisor guard: floor.view)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'assign', allow: ['supervisor'], why: 'queue.manage (optimistic version of the operator’s segments)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'active', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'reorder', allow: ['supervisor'], why: 'queue.manage (optimistic version and neighbour)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'release', allow: ['supervisor'], why: 'queue.manage (the operator shown must still hold it)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'message', allow: ['supervisor'], why: 'queue.manage; operators receive only their own' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'targets', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/(app)/supervisor/controls', kind: 'action', name: 'thresholds', allow: ['supervisor'], why: 'queue.manage (optimistic version)' },
	{ route: '/wall', kind: 'page', name: 'GET', allow: ['supervisor', 'manager', 'admin'], why: 'wall.view' },
	// wall displays (issue #6): a display token opens /wall only (tests/integration/display-tokens.int.test.ts walks the token through the other routes)
	{ route: '/wall/t/[token]', kind: 'endpoint', name: 'GET', allow: everyone, why: 'public: the token is the credential (unknown or revoked → 404)' },
	{ route: '/(app)/supervisor/displays', kind: 'page', name: 'GET', allow: ['supervisor', 'admin'], why: 'display.manage' },
	{ route: '/(app)/supervisor/displays', kind: 'action', name: 'issue', allow: ['supervisor', 'admin'], why: 'display.manage' },
	{ route: '/(app)/supervisor/displays', kind: 'action', name: 'revoke', allow: ['supervisor', 'admin'], why: 'display.manage' },
	{ route: '/api/wall', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager', 'admin'], why: 'wall.view' },
	{ route: '/(app)/manager', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/staff', kind: 'page', name: 'GET', allow: ['staff'], why: 'handoff.view' },
	// staff handoffs (issue #7): a handoff's page and its changes (the walk's handoff id does not exist: 404 after authorization)
	{ route: '/(app)/staff/[id]', kind: 'page', name: 'GET', allow: ['staff'], why: 'handoff.view (then the handedOff scope)' },
	{ route: '/(app)/staff/[id]', kind: 'action', name: 'take', allow: ['staff'], why: 'handoff.work (version checked)' },
	{ route: '/(app)/staff/[id]', kind: 'action', name: 'assign', allow: ['staff'], why: 'handoff.work (version checked)' },
	{ route: '/(app)/staff/[id]', kind: 'action', name: 'note', allow: ['staff'], why: 'handoff.work' },
	{ route: '/(app)/staff/[id]', kind: 'action', name: 'resolve', allow: ['staff'], why: 'handoff.work (version checked)' },
	{ route: '/(app)/staff/[id]', kind: 'action', name: 'return', allow: ['staff'], why: 'handoff.work (version checked)' },
	{ route: '/(app)/supervisor/handoff-sla', kind: 'page', name: 'GET', allow: ['supervisor', 'admin'], why: 'handoff.configure' },
	{ route: '/(app)/supervisor/handoff-sla', kind: 'action', name: 'save', allow: ['supervisor', 'admin'], why: 'handoff.configure (version checked)' },
	// administration
	{ route: '/(app)/admin', kind: 'page', name: 'GET', allow: ['admin'], why: 'users.view' },
	{ route: '/(app)/admin', kind: 'action', name: 'create', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users', kind: 'page', name: 'GET', allow: ['admin'], why: 'users.view (a redirect to the list on /admin)' },
	{ route: '/(app)/admin/users/[id]', kind: 'page', name: 'GET', allow: ['admin'], why: 'users.view' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'role', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'team', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'enabled', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'password', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'end', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'keyRequirement', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'removeKey', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'allowEnrolment', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/users/[id]', kind: 'action', name: 'recoverKeys', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/security-keys', kind: 'page', name: 'GET', allow: ['admin'], why: 'users.view' },
	{ route: '/(app)/admin/security-keys', kind: 'action', name: 'save', allow: ['admin'], why: 'users.manage' },
	{ route: '/(app)/admin/imports', kind: 'page', name: 'GET', allow: ['admin'], why: 'imports.run' },
	{ route: '/(app)/admin/imports', kind: 'action', name: 'dryrun', allow: ['admin'], why: 'imports.run' },
	{ route: '/(app)/admin/imports', kind: 'action', name: 'apply', allow: ['admin'], why: 'imports.run' },
	{ route: '/(app)/admin/imports', kind: 'action', name: 'dismiss', allow: ['admin'], why: 'imports.run' },
	// erasure at contract end (an empty form is refused for its input: nothing is erased by this walk)
	{ route: '/(app)/admin/erasure', kind: 'page', name: 'GET', allow: ['admin'], why: 'data.erase' },
	{ route: '/(app)/admin/erasure', kind: 'action', name: 'erase', allow: ['admin'], why: 'data.erase, then the phrase and the password' },
	{ route: '/(app)/admin/erasure', kind: 'action', name: 'certify', allow: ['admin'], why: 'data.erase' },
	{ route: '/(app)/admin/erasure/[id]/[format]', kind: 'endpoint', name: 'GET', allow: ['admin'], why: 'data.erase' },
	{ route: '/(app)/admin/exports', kind: 'page', name: 'GET', allow: ['admin'], why: 'exports.configure' },
	{ route: '/(app)/admin/exports', kind: 'action', name: 'save', allow: ['admin'], why: 'exports.configure' },
	// exports: never operators; of the rest, the roles the administrator allows
	{ route: '/(app)/exports', kind: 'page', name: 'GET', allow: exporters, why: 'exports.run + export_roles' },
	{ route: '/(app)/exports/call-results', kind: 'endpoint', name: 'GET', allow: exporters, why: 'exports.run + export_roles' },
	// reminder letters (issue #7): supervisors and staff; an operator prints only the batches assigned to them; administrators set them up
	{ route: '/(app)/letters', kind: 'page', name: 'GET', allow: ['supervisor', 'staff'], why: 'letters.manage' },
	{ route: '/(app)/letters', kind: 'action', name: 'create', allow: ['supervisor', 'staff'], why: 'letters.manage' },
	{ route: '/(app)/letters', kind: 'action', name: 'advance', allow: ['supervisor', 'staff'], why: 'letters.manage (optimistic version)' },
	{ route: '/(app)/letters', kind: 'action', name: 'assign', allow: ['supervisor', 'staff'], why: 'letters.manage' },
	{ route: '/(app)/letters', kind: 'action', name: 'returned', allow: ['supervisor', 'staff'], why: 'letters.manage' },
	{ route: '/(app)/letters', kind: 'action', name: 'resolve', allow: ['supervisor', 'staff'], why: 'letters.manage' },
	{ route: '/(app)/letters/progress', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'staff'], why: 'letters.manage (states and counts)' },
	{ route: '/(app)/letters/[id]/pdf', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'staff'], why: 'letters.manage; logged per household' },
	{ route: '/(app)/letters/[id]/labels', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'staff'], why: 'letters.manage; logged per household' },
	{ route: '/(app)/operator/letters', kind: 'page', name: 'GET', allow: ['operator'], why: 'letters.print (its own assigned batches only)' },
	{ route: '/(app)/operator/letters/[id]/pdf', kind: 'endpoint', name: 'GET', allow: ['operator'], why: 'letters.print, then the batch must be assigned to the operator (tests/integration/letters.int.test.ts)' },
	{ route: '/(app)/admin/letters', kind: 'page', name: 'GET', allow: ['admin'], why: 'letters.configure' },
	{ route: '/(app)/admin/letters', kind: 'action', name: 'template', allow: ['admin'], why: 'letters.configure (optimistic version)' },
	{ route: '/(app)/admin/letters', kind: 'action', name: 'settings', allow: ['admin'], why: 'letters.configure (optimistic version)' },
	// audit
	{ route: '/(app)/audit', kind: 'page', name: 'GET', allow: ['auditor'], why: 'audit.view' },
	// operator training (issue #9): one's own record for everyone; the plan and the audit export for training.view; changes for training.manage
	{ route: '/(app)/training', kind: 'page', name: 'GET', allow: signedIn, why: 'one’s own training record' },
	{ route: '/(app)/training', kind: 'action', name: 'join', allow: ['operator'], why: 'training mode: an operator joins the run they are a trainee of (others: forbidden)' },
	{ route: '/(app)/training', kind: 'action', name: 'leave', allow: signedIn, why: 'training mode: one’s own session leaves its run (a no-op outside one)' },
	{ route: '/(app)/training/plan', kind: 'page', name: 'GET', allow: ['supervisor', 'manager', 'admin', 'auditor'], why: 'training.view' },
	{ route: '/(app)/training/plan', kind: 'action', name: 'course', allow: ['supervisor', 'admin'], why: 'training.manage' },
	{ route: '/(app)/training/plan', kind: 'action', name: 'session', allow: ['supervisor', 'admin'], why: 'training.manage' },
	{ route: '/(app)/training/plan', kind: 'action', name: 'attendance', allow: ['supervisor', 'admin'], why: 'training.manage' },
	{ route: '/(app)/training/export', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager', 'admin', 'auditor'], why: 'training.view (the audit export)' },
	{ route: '/(app)/training/export/roleplay', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager', 'admin', 'auditor'], why: 'training.view' },
	{ route: '/(app)/supervisor/scripts', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'scripts.manage' },
	{ route: '/(app)/supervisor/scripts', kind: 'action', name: 'save', allow: ['supervisor'], why: 'scripts.manage' },
	{ route: '/(app)/supervisor/training', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/supervisor/training', kind: 'action', name: 'start', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/supervisor/training', kind: 'action', name: 'end', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/supervisor/training', kind: 'action', name: 'observe', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/supervisor/training', kind: 'action', name: 'scenario', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/supervisor/training', kind: 'action', name: 'reset', allow: ['supervisor'], why: 'training.run' },
	{ route: '/(app)/manager/best-time', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/manager/reports', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/manager/trends', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/manager/trends', kind: 'action', name: 'refresh', allow: ['supervisor', 'manager'], why: 'reports.view (the summary rebuilt now)' },
	{ route: '/(app)/manager/trends/export', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/manager/reports', kind: 'action', name: 'schedule', allow: ['manager'], why: 'reports.schedule' },
	{ route: '/(app)/manager/reports/download', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view (the file is recorded)' },
	{ route: '/(app)/manager/reports/stored/[id]', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	// the call plan (issue #8 part B): read with reports.view, changed with plan.manage (supervisors)
	{ route: '/(app)/manager/plan', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view' },
	{ route: '/(app)/manager/plan/progress', kind: 'endpoint', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view (the page’s refresh of its actuals)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'create', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'rename', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'add', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'update', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'remove', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/plan', kind: 'action', name: 'copy', allow: ['supervisor'], why: 'plan.manage (optimistic plan version)' },
	{ route: '/(app)/manager/effect', kind: 'page', name: 'GET', allow: ['supervisor', 'manager'], why: 'reports.view (the holdout comparison: aggregates only)' },
	{ route: '/(app)/supervisor/performance', kind: 'page', name: 'GET', allow: ['supervisor'], why: 'floor.view (the operators’ performance, not on the wall)' },
	{ route: '/(app)/audit/export', kind: 'endpoint', name: 'GET', allow: ['auditor'], why: 'audit.view' },
	// Socket.IO: connecting needs a session (the role comes from it, never from the handshake)
	{ route: 'socket', kind: 'event', name: 'connect', allow: signedIn, why: 'session cookie in io.use()' },
	{ route: 'socket', kind: 'event', name: 'presence:heartbeat', allow: signedIn, why: 'presence; the lease only for queue.claim' },
	{ route: 'socket', kind: 'event', name: 'live:subscribe', allow: ['supervisor', 'manager', 'admin'], why: 'wall.view (the floor view also floor.view)' },
	{ route: 'socket', kind: 'event', name: 'claim:next', allow: ['operator'], why: 'queue.claim' },
	{ route: 'socket', kind: 'event', name: 'claim:release', allow: ['operator'], why: 'queue.claim' },
	{ route: 'socket', kind: 'event', name: 'outcome:record', allow: ['operator'], why: 'call.record' },
	{ route: 'socket', kind: 'event', name: 'operator:set-state', allow: ['operator'], why: 'queue.claim (the operator\'s own state)' },
	{ route: 'socket', kind: 'event', name: 'phone:mark', allow: ['operator', 'supervisor'], why: 'call.record holding the claim, or queue.manage in their segments' },
	{ route: 'socket', kind: 'event', name: 'phone:add', allow: ['operator', 'supervisor'], why: 'call.record holding the claim, or queue.manage in their segments' }
];

/** The rule's key, as discovery names what it finds. */
export const ruleKey = (r: Pick<Rule, 'route' | 'kind' | 'name'>) => `${r.kind} ${r.route} ${r.name}`;
