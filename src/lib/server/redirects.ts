/**
 * A path on this site to send the browser back to, or null. Resolved as a URL against our own origin, so
 * tricks such as '//evil.example', '/\\evil.example' or '/\t/evil.example' (which browsers read as another host)
 * are refused.
 */
export function sameOriginPath(candidate: unknown, origin: string): string | null {
	if (typeof candidate !== 'string' || !candidate.startsWith('/')) return null;
	try {
		const u = new URL(candidate, origin);
		if (u.origin !== new URL(origin).origin) return null;
		return u.pathname + u.search;
	} catch {
		return null;
	}
}
