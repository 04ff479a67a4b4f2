/** Mapping domain errors to HTTP for routes: JSON for the API, fail() for form actions. Internals never leak. */
import { error, fail, json } from '@sveltejs/kit';
import { isDomainError } from './errors.ts';

export function apiError(e: unknown): Response {
	if (isDomainError(e)) {
		// refusals for a while (rate limits, lockout) say when to come back
		const wait = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
		return json(e.toJSON(), { status: e.status, headers: typeof wait === 'number' ? { 'retry-after': String(wait) } : {} });
	}
	throw e; // handleError logs it and answers with an id
}

/** `extra` travels with the failure, e.g. the household it was about. */
export function actionError(e: unknown, extra: Record<string, string | number | null | undefined> = {}) {
	if (isDomainError(e)) return fail(e.status, { ...extra, code: e.code, message: e.message, details: e.details ?? null, params: e.params ?? null });
	throw e;
}

/** For load functions: a domain error becomes an error page with its code. */
export function loadError(e: unknown): never {
	if (isDomainError(e)) error(e.status, { message: e.message, code: e.code });
	throw e;
}

/** A text field of a submitted form (undefined when absent or a file): the use case validates it. */
export function formText(form: FormData, key: string): string | undefined {
	const v = form.get(key);
	return typeof v === 'string' ? v : undefined;
}

/**
 * Whether a request is the browser loading a page (a link or a plain form), not a script or an API client: such a
 * request should be answered with a page, never with JSON. Fetch metadata where the browser sends it, else the
 * Accept header (HTML and not JSON).
 */
export function isBrowserNavigation(request: Request): boolean {
	const mode = request.headers.get('sec-fetch-mode');
	if (mode) return mode === 'navigate';
	const accept = request.headers.get('accept') ?? '';
	return accept.includes('text/html') && !accept.includes('application/json');
}
