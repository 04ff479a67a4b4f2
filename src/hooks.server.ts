/**
 * Every request: who is signing in (session cookie → locals.user), which language, and whether this role may
 * open this page at all. Routes and use cases check again (policy first); this guard only keeps people off pages
 * they may not see and sends the signed-out to the login page.
 */
import { error, isHttpError, isRedirect, json, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { actorForToken, SESSION_COOKIE } from '$lib/server/auth/sessions';
import { isBackgroundRequest } from '$lib/domain/background-request';
import { permissionForPath, can, needsPrivacyTraining } from '$lib/domain/roles';
import { isLocale, LOCALE_COOKIE, translator } from '$lib/i18n';
import { logger } from '$lib/server/log';
import { DISPLAY_COOKIE, DISPLAY_COOKIE_PATHS, resolveDisplayToken } from '$lib/server/display/display';
import { registerPlanProgress } from '$lib/server/plan/register';
import { inMode } from '$lib/server/mode';
import { isTrainingDeskPath } from '$lib/domain/training-mode';

// /wall/t/<token>: a wall PC exchanges its display token for the display cookie (the token is the credential)
const publicPaths = ['/login', '/locale', '/wall/t'];

/** Once at start-up: the call plan's progress goes into the manager's report (issue #8 part B). */
export const init: ServerInit = () => {
	registerPlanProgress();
};

export const handle: Handle = async ({ event, resolve }) => {
	// a path that does not decode (/%E0%A4%A): answered here, because SvelteKit (2.70) does not catch a redirect or
	// error thrown by this hook for such a path, and the request would hang
	if (!decodable(event.url.pathname)) return json({ code: 'invalid_input', message: 'malformed URL' }, { status: 400 });
	event.locals.requestId = event.request.headers.get('x-request-id') ?? randomUUID();
	const token = event.cookies.get(SESSION_COOKIE);
	// the page's own refreshes (live wall) are authenticated but are not use: they must not defeat the idle timeout
	const actor = await actorForToken(token, { touch: !isBackgroundRequest(event.request.headers) });
	event.locals.user = actor ? { ...actor, ip: safeIp(event), requestId: event.locals.requestId } : null;
	if (token && !actor) event.cookies.delete(SESSION_COOKIE, { path: '/' });

	const cookieLocale = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(cookieLocale) ? cookieLocale : (actor?.locale ?? 'ja');
	const t = translator(event.locals.locale);

	// the path as SvelteKit matches routes (decoded): '/%61dmin' opens /admin and must meet /admin's rule
	const path = decodeURI(event.url.pathname);
	const isApi = path.startsWith('/api/');
	// a trainee's session (issue #9): the desk works the training data set, and only the desk
	const mode = actor?.trainingRunId && isTrainingDeskPath(path) ? 'training' : 'real';
	event.locals.dataMode = mode;
	// a wall PC: its display token opens the wall page and nothing else (the cookie is scoped to /wall and the socket)
	event.locals.display = null;
	if (!actor && path === '/wall' && event.cookies.get(DISPLAY_COOKIE)) {
		event.locals.display = await resolveDisplayToken(event.cookies.get(DISPLAY_COOKIE), { via: 'page', ip: safeIp(event), requestId: event.locals.requestId });
		// revoked or unknown: say so on the wall PC's screen (not a sign-in form) and clear the dead cookie on both paths
		// (a Response, not error(): cookies set before an error thrown here are not sent)
		if (!event.locals.display) return displayRefused(t('wall.tokenInvalid'), event.locals.locale);
	}
	if (!publicPaths.some((p) => path === p || path.startsWith(p + '/')) && !event.locals.display) {
		if (!actor) {
			if (isApi) return json({ code: 'unauthenticated', message: 'sign in first' }, { status: 401 });
			if (path !== '/') redirect(303, `/login?next=${encodeURIComponent(path + event.url.search)}`);
			redirect(303, '/login');
		}
		const needed = permissionForPath(path);
		if (needed && !can(actor.role, needed)) {
			if (isApi) return json({ code: 'forbidden', message: `role ${actor.role} may not open ${path}` }, { status: 403 });
			// errors thrown here render src/error.html, so the message is already in the user's language
			error(403, { message: t('errors.forbidden'), code: 'forbidden' });
		}
		// an operator without the personal-information protection training: no real data (the use cases refuse it
		// too); the desk's pages send them to their training record, which says why
		if (needed && needsPrivacyTraining(actor.role, needed) && actor.privacyTrained !== true && mode !== 'training') {
			if (isApi) return json({ code: 'training_required', message: 'the personal-information protection training is not recorded for you yet' }, { status: 403 });
			redirect(303, '/training?required=1');
		}
	}

	const response = await inMode(mode, () =>
		resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
		})
	);
	// what a signed-in user is sent may hold personal data: never stored by the browser or a proxy
	// (Pragma for HTTP/1.0 caches); set here so that no page or endpoint can forget it
	return actor || event.locals.display ? noStore(response) : response;
};

function displayRefused(message: string, lang: string): Response {
	const headers = new Headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
	for (const p of DISPLAY_COOKIE_PATHS) headers.append('set-cookie', `${DISPLAY_COOKIE}=; Path=${p}; Max-Age=0; HttpOnly; SameSite=Strict`);
	const text = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
	const html = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>kansho</title><body><p role="alert">✕ ${text}</p></body></html>`;
	return new Response(html, { status: 403, headers });
}

function noStore(response: Response): Response {
	try {
		response.headers.set('cache-control', 'no-store');
		response.headers.set('pragma', 'no-cache');
		return response;
	} catch {
		// a response with immutable headers (e.g. one passed through from fetch): copy it
		const copy = new Response(response.body, response);
		copy.headers.set('cache-control', 'no-store');
		copy.headers.set('pragma', 'no-cache');
		return copy;
	}
}

function decodable(pathname: string): boolean {
	try {
		// the result is used: a bare decodeURI() call is dropped by the bundler as side-effect free
		return typeof decodeURI(pathname) === 'string';
	} catch {
		return false;
	}
}

function safeIp(event: Parameters<Handle>[0]['event']): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}

export const handleError: HandleServerError = ({ error: e, event, status }) => {
	if (isHttpError(e) || isRedirect(e)) return;
	const id = event.locals.requestId ?? randomUUID();
	// a client's mistake SvelteKit itself refuses (415 for a form action sent JSON, 405, 400) is not our error
	if (status >= 500) logger('http').error({ id, err: e, path: event.url.pathname }, 'unhandled error');
	else if (status !== 404) logger('http').warn({ id, status, err: (e as Error)?.message, path: event.url.pathname }, 'request refused');
	if (status === 404) return { message: 'not found', code: 'not_found', id };
	// SvelteKit's own refusals carry a message written for the client (e.g. "Form actions expect form-encoded data")
	if (status < 500) return { message: e instanceof Error ? e.message : 'bad request', code: 'invalid_input', id };
	return { message: 'internal error', code: 'internal', id };
};
