/**
 * The browser's live connection (Socket.IO on the same origin, authenticated by the session cookie). Its status
 * is a rune so the screens can always show it: connected, reconnecting, or offline.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$lib/realtime/events';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveConnection {
	status = $state<ConnectionStatus>('connecting');
	/** why the server refused us, e.g. 'unauthenticated' */
	refused = $state<string | null>(null);
	readonly socket: LiveSocket;

	constructor() {
		this.socket = io({ transports: ['websocket', 'polling'], withCredentials: true });
		this.socket.on('connect', () => {
			this.status = 'connected';
			this.refused = null;
		});
		this.socket.on('disconnect', (reason) => {
			// the server ended the session (logout, expiry): socket.io will not reconnect by itself
			this.status = reason === 'io server disconnect' ? 'offline' : 'reconnecting';
		});
		this.socket.on('connect_error', (err) => {
			const code = (err as Error & { data?: { code?: string } }).data?.code;
			if (code === 'unauthenticated') {
				this.refused = code;
				this.status = 'offline';
			} else {
				this.status = 'reconnecting';
			}
		});
		this.socket.on('session:ended', ({ reason }) => {
			if (reason !== 'shutdown') {
				this.refused = 'unauthenticated';
				this.status = 'offline';
			}
		});
	}

	close() {
		this.socket.close();
		this.status = 'offline';
	}
}
