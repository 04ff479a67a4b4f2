/**
 * The live events, typed once for server and browser (socket.io's TypeScript pattern). Facts are past tense
 * (`call:recorded`); requests are imperative (`presence:heartbeat`). Payloads carry ids and small deltas;
 * a client loads a snapshot on every (re)connect and never depends on not missing a message.
 */
import type { QueueState } from '../domain/outcomes.ts';
import type { Role } from '../domain/roles.ts';

export type OperatorState = 'offline' | 'idle' | 'on_household';

export interface QueueChanged {
	householdId: number;
	segmentId: number;
	from: QueueState | null;
	to: QueueState;
	version: number;
}

export interface CallRecorded {
	callId: number;
	householdId: number;
	segmentId: number | null;
	operatorId: number;
	outcomeCode: string;
	answered: boolean;
	rightParty: boolean;
	promise: boolean;
	at: string;
}

export interface OperatorStateChanged {
	operatorId: number;
	state: OperatorState;
	householdId: number | null;
	at: string;
}

/** Many queue rows changed at once (due households promoted, lapsed claims released). */
export interface QueueBulkChanged {
	reason: 'promoted' | 'lapsed' | 'rebuilt' | 'erased';
	count: number;
}

/** Progress of a long import, to the user who runs it. */
export interface ImportProgressEvent {
	userId: number;
	phase: 'reading' | 'checking' | 'merging' | 'done';
	file?: string;
	rows?: number;
	bytes?: number;
	totalBytes?: number;
}

/** Personal data was erased (contract end, or a retention run): households may be gone; reload what is shown. */
export interface DataErased {
	erasureId: number;
	kind: 'contract_end' | 'retention';
	/** households erased */
	households: number;
	at: string;
}

/** A fact published by a use case (through PostgreSQL NOTIFY, after commit) and the rooms it goes to. */
export type LiveEvent =
	| { type: 'queue:changed'; data: QueueChanged }
	| { type: 'queue:bulk'; data: QueueBulkChanged }
	| { type: 'call:recorded'; data: CallRecorded }
	| { type: 'operator:state'; data: OperatorStateChanged }
	| { type: 'import:progress'; data: ImportProgressEvent }
	| { type: 'data:erased'; data: DataErased }
	/** internal: a session was signed out or ended by its user or an administrator; instances close its sockets */
	| { type: 'session:revoked'; data: { sessionId: string; reason?: 'logout' | 'revoked' } };

export interface ServerToClientEvents {
	'queue:changed': (e: QueueChanged) => void;
	'queue:bulk': (e: QueueBulkChanged) => void;
	'call:recorded': (e: CallRecorded) => void;
	'operator:state': (e: OperatorStateChanged) => void;
	'import:progress': (e: ImportProgressEvent) => void;
	/** personal data was erased: to every signed-in socket (an operator's household may be gone) */
	'data:erased': (e: DataErased) => void;
	/** the server is shutting down or the session ended: reconnect later or log in again */
	'session:ended': (e: { reason: 'logout' | 'revoked' | 'expired' | 'shutdown' }) => void;
}

export type Ack<T = unknown> = (res: { ok: true; data?: T } | { ok: false; code: string; message?: string }) => void;

export interface ClientToServerEvents {
	/** renews the operator's presence and the lease on the household they hold */
	'presence:heartbeat': (payload: { householdId?: number | null }, ack?: Ack<{ leaseExpiresAt: string | null }>) => void;
}

export interface SocketData {
	userId: number;
	role: Role;
	sessionId: string;
}

/** The PostgreSQL NOTIFY channel that carries LiveEvents to every instance. */
export const EVENTS_CHANNEL = 'kansho_events';
