import { json, redirect } from '@sveltejs/kit';
import { isLocale, LOCALE_COOKIE } from '$lib/i18n';
import { setLocale } from '$lib/server/auth/sessions';
import { sameOriginPath } from '$lib/server/redirects';
import { secureCookies } from '$lib/server/security/cookies';
import { readForm } from '$lib/server/http-json';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The language switch: a form post from any page; remembered in a cookie and on the user. */
export const POST: RequestHandler = async ({ request, cookies, locals, url }) => {
	let form: FormData;
	try {
		form = await readForm(request);
	} catch (e) {
		return apiError(e);
	}
	const locale = form.get('locale');
	const back = sameOriginPath(form.get('back'), url.origin) ?? '/';
	if (!isLocale(locale)) return json({ code: 'invalid_input', message: 'locale: must be ja or en', details: { locale: 'must be ja or en' } }, { status: 400 });
	// not secret (read by no script either); SameSite like every cookie kansho sets, Secure under COOKIE_SECURE
	cookies.set(LOCALE_COOKIE, locale, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(url), maxAge: 60 * 60 * 24 * 365 });
	if (locals.user) await setLocale(locals.user, locale);
	redirect(303, back);
};
