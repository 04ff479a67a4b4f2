/**
 * Wall displays on the socket (issue #6). A socket with no session but a valid display-token cookie is a display:
 * `socket.data = { kind: 'display', tokenId, label }`, no user, no role. It may only `live:subscribe` to the wall
 * view; every other event is answered `forbidden`. Its token is re-checked when it subscribes and periodically
 * (server/realtime.ts), and a revoked token (display:revoked through NOTIFY) closes it on every instance at once.
 */
import type { Socket } from 'socket.io';
import { DISPLAY_COOKIE, liveDisplayTokens, resolveDisplayToken, type Display } from '../src/lib/server/display/display.ts';

/** The display behind a handshake's cookie, or null (logged by resolveDisplayToken either way when a cookie is present). */
export async function displayForHandshake(cookies: Record<string, string | undefined>, ip: string | null): Promise<Display | null> {
	const token = cookies[DISPLAY_COOKIE];
	if (!token) return null;
	return resolveDisplayToken(token, { via: 'socket', ip });
}

type Reply = (r: unknown) => void;

/**
 * A display's handlers: `live:subscribe` to the wall only (through `subscribeWall`, the same engine users get),
 * `forbidden` for anything else. `end` closes the socket as a session's end would (session:ended, then disconnect).
 */
export function displayConnection(
	socket: Socket,
	opts: { tokenId: number; subscribeWall: () => Promise<unknown>; end: (reason: 'revoked') => void; onError: (e: unknown) => void }
): void {
	socket.onAny((event: string, ...args: unknown[]) => {
		const ack = args[args.length - 1];
		const reply: Reply = typeof ack === 'function' ? (ack as Reply) : () => {};
		if (event !== 'live:subscribe') return reply({ ok: false, code: 'forbidden', message: 'a display token opens the wall view only' });
		const payload = args.length > 1 ? args[0] : undefined;
		const view = payload && typeof payload === 'object' ? (payload as { view?: unknown }).view : undefined;
		if (view !== 'wall') return reply({ ok: false, code: 'forbidden', message: 'a display token opens the wall view only' });
		void (async () => {
			try {
				// revoked meanwhile (a NOTIFY missed while this instance's listener reconnected): end it now
				if (!(await liveDisplayTokens([opts.tokenId])).has(opts.tokenId)) {
					reply({ ok: false, code: 'unauthenticated' });
					return opts.end('revoked');
				}
				reply({ ok: true, data: await opts.subscribeWall() });
			} catch (e) {
				opts.onError(e);
				reply({ ok: false, code: 'internal' });
			}
		})();
	});
}
