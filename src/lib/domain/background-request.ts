/**
 * Requests a page makes by itself (the wall's periodic and event-driven refresh) carry this header. They are
 * authenticated like any other, but do not count as use of the session: an open page alone must not keep a
 * session alive past SESSION_IDLE_MINUTES (a console left open at an empty desk), as sockets do not either.
 */
export const BACKGROUND_HEADER = 'x-kansho-background';

/** Whether a request says it was made by the page itself, not by the person using it. */
export function isBackgroundRequest(headers: { get(name: string): string | null }): boolean {
	return headers.get(BACKGROUND_HEADER) === '1';
}
