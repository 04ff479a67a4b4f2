/**
 * The live events, typed once for server and browser (socket.io's TypeScript pattern). Facts are past tense
 * (`call:recorded`); requests are imperative (`presence:heartbeat`). Payloads carry ids and small deltas;
 * a client loads a snapshot on every (re)connect and never depends on not missing a message.
 */
import type { QueueState } from '../domain/outcomes.ts';
import type { Role } from '../domain/roles.ts';
import type { ScoreReason } from '../domain/priority.ts';
import type { LiveDelta, LiveSnapshot, LiveViewName } from '../domain/live-view.ts';

/** what an operator is doing (operator_states; offline from presence) */
export type OperatorState = 'offline' | 'available' | 'on_household' | 'wrap_up' | 'break';

/** the reasons an operator may give for a break (休憩, 昼食, 研修, ミーティング, その他) */
export const breakReasons = ['rest', 'lunch', 'training', 'meeting', 'other'] as const;
export type BreakReason = (typeof breakReasons)[number];

/** The household an operator holds, as the desk's socket events answer it. */
export interface ClaimView {
	householdId: number;
	segmentId: number;
	claimExpiresAt: string;
	version: number;
	/** true when the operator already held this household (a reload, a second tab) */
	resumed: boolean;
	/** how it was claimed: from the queue, as a due callback, or for an inbound call */
	kind: 'outbound' | 'callback' | 'inbound';
	/** why this household came next: the score's reasons at its last placement (describeReason in priority.ts), null when unknown */
	reasons?: ScoreReason[] | null;
}

/** What recording an outcome answers (the socket event and POST /api/calls). */
export interface OutcomeSaved {
	callId: number;
	householdId: number;
	/** where the household went: waiting (retry later), closed (handoff, stop, no phone) */
	queueState: string;
	nextEligibleAt: string | null;
	/** a retry of an outcome already recorded (same idempotency key): nothing was written twice */
	duplicate: boolean;
	/** recorded after the claim had lapsed (e.g. sent from the browser's outbox after a network loss) */
	late: boolean;
	/** in training mode (issue #9): the score of the scenario played on this household, for the feedback panel */
	training?: TrainingFeedbackView | null;
}

/** A training attempt's score as the desk shows it (src/lib/domain/training-scenarios.ts ScenarioScore). */
export interface TrainingFeedbackView {
	attemptId: number;
	scenario: string;
	score: { score: number; max: number; percent: number; passed: boolean; fatal: boolean; checks: { id: string; ok: boolean; fatal: boolean; observed?: boolean; points: number; max: number; feedbackJa: string; feedbackEn: string }[] };
}

/** A number as phone:mark and phone:add answer it. */
export interface PhoneSaved {
	id: number;
	householdId: number;
	personId: number | null;
	/** as written (the operator's input for an added number) */
	raw: string;
	digits: string | null;
	extension: string | null;
	kind: string;
	valid: boolean;
	status: 'active' | 'wrong_number' | 'not_in_service';
	source: string;
}

export interface QueueChanged {
	householdId: number;
	segmentId: number;
	from: QueueState | null;
	to: QueueState;
	version: number;
	/**
	 * The row's not-callable reason before and after (live-floor.ts notCallableReason: a wait reason, 'closed:' and
	 * a closing reason, null for ready, claimed and done rows), so the live views' breakdown is patched exactly.
	 * Absent when the publisher does not know them: the views are recomputed. A move within one state that only
	 * changes the reason is published too (from = to).
	 */
	fromReason?: string | null;
	toReason?: string | null;
	/** the segment the row was in, when the move took it to another one (`segmentId`); absent: the same */
	fromSegmentId?: number;
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
	/** the hour (0–23, Tokyo) the call counts in; absent in older publishers (derived from `at`) */
	hour?: number;
}

export interface OperatorStateChanged {
	operatorId: number;
	state: OperatorState;
	householdId: number | null;
	at: string;
	/** since when the operator is in this state (ISO); absent in older publishers */
	since?: string;
	/** with state 'break': the reason (`breakReasons`, or 'other: free text') */
	breakReason?: string | null;
	/** with state 'on_household': the segment of the household held (absent in older publishers) */
	segmentId?: number | null;
	/** 'training' for an event of the training set (issue #9); absent: real */
	dataMode?: 'training';
}

/** The household an operator held was taken from them (to that operator's room only). */
export interface ClaimLost {
	householdId: number;
	/** the operator who lost it (routing; clients may ignore it) */
	operatorId: number;
	reason: 'inbound' | 'released' | 'lapsed' | 'erased';
	/** 'training' for an event of the training set (issue #9); absent: real */
	dataMode?: 'training';
}

/**
 * A supervisor changed an operator's segments (the console's board or the segments page's matrix): to that
 * operator's own sockets only, so that the desk says so at once (effective at their next claim). The segments are
 * the operator's whole set after the change; `by` is the supervisor's display name.
 */
export interface AssignmentChanged {
	operatorId: number;
	segments: { id: number; nameJa: string; nameEn: string }[];
	by: string;
	at: string;
}

/** A segment changed (supervisors' editor): reload it if the version is newer than the one shown. */
export interface SegmentChanged {
	segmentId: number;
	version: number;
}

/**
 * Something about a household changed outside the screen showing it: a late outcome (from another operator's
 * outbox) while this operator holds it, a number marked or added, a do-not-call instruction lifted. The screen
 * reloads the household's history and numbers. To `userId`'s room (the holder), or to the floor when null.
 */
export interface HouseholdUpdated {
	householdId: number;
	/** who changed it */
	by: number;
	what: 'call' | 'phone' | 'do_not_call';
	/** the call recorded (what = 'call') */
	callId: number | null;
	/** the number marked or added (what = 'phone') */
	phoneId: number | null;
	/** the operator to tell (the household's holder); null: the floor (supervisors) */
	userId: number | null;
	/** 'training' for an event of the training set (issue #9); absent: real */
	dataMode?: 'training';
}

/**
 * A supervisor's message to operators (issue #6): one operator, a team (the operators assigned to a segment), or
 * everyone. Routed to the recipients' user rooms only (server/realtime.ts); the desk shows it as a toast.
 */
export interface FloorMessage {
	id: number;
	/** the sender's display name */
	from: string;
	/** at most 500 characters */
	text: string;
	target: 'operator' | 'segment' | 'all';
	/** with target 'segment': the team's segment names */
	segment: { nameJa: string; nameEn: string } | null;
	at: string;
	/** routing only (stripped before it reaches a browser): the operators it goes to; with target 'all', every operator's socket */
	recipients: number[];
}
export type FloorMessageView = Omit<FloorMessage, 'recipients'>;

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

/**
 * Something on the floor changed that the live views show (a supervisor's control action, targets, thresholds):
 * the floor and wall views recompute. `what` names it (e.g. 'assignment', 'targets'), `by` the user.
 */
export interface FloorChanged {
	what: string;
	by: number;
	at: string;
	summary?: string;
}

/**
 * A staff handoff was made (an operator's outcome 50), taken, assigned, annotated, resolved or returned, or a
 * reason's SLA target changed (`what` = 'sla', handoffId 0). To ward staff (their /staff lists reload) and to the
 * live floor view (its handoff counts recompute). Ids only: no personal data.
 */
export interface HandoffChangedEvent {
	handoffId: number;
	status: 'new' | 'in_progress' | 'resolved' | 'returned';
	reason: string;
	assignedTo: number | null;
	version: number;
	by: number;
	what: 'created' | 'take' | 'assign' | 'note' | 'resolve' | 'return' | 'sla';
	at: string;
}

/** A trainee's session joined or left a training run (issue #9). */
export interface TrainingChanged {
	userId: number;
	runId: number;
	joined: boolean;
}

/** A trainee's attempt was opened, saved or scored, or a trainer marked it (issue #9): the trainers' consoles reload. */
export interface TrainingAttempt {
	runId: number;
	userId: number;
	attemptId: number | null;
}

/** A fact published by a use case (through PostgreSQL NOTIFY, after commit) and the rooms it goes to. */
export type LiveEvent = (
	| { type: 'queue:changed'; data: QueueChanged }
	| { type: 'queue:bulk'; data: QueueBulkChanged }
	| { type: 'call:recorded'; data: CallRecorded }
	| { type: 'operator:state'; data: OperatorStateChanged }
	| { type: 'import:progress'; data: ImportProgressEvent }
	| { type: 'data:erased'; data: DataErased }
	| { type: 'household:updated'; data: HouseholdUpdated }
	/** a supervisor's message to operators (their user rooms only) */
	| { type: 'floor:message'; data: FloorMessage }
	| { type: 'claim:lost'; data: ClaimLost }
	/** an operator's segments were changed by a supervisor: to that operator's sockets only */
	| { type: 'assignment:changed'; data: AssignmentChanged }
	/** the calling rules were saved (a new version) */
	| { type: 'rules:changed'; data: { version: number } }
	/** a segment was created, saved, paused or resumed, or its operators changed (its current version) */
	| { type: 'segment:changed'; data: SegmentChanged }
	/** a supervisor's control changed the floor: the live views recompute */
	| { type: 'floor:changed'; data: FloorChanged }
	/** a staff handoff changed: to ward staff's sockets (their lists reload); the floor view recomputes its counts */
	| { type: 'handoff:changed'; data: HandoffChangedEvent }
	/** a trainee joined or left a training run, or the run ended (issue #9): their desk reloads onto the other data set */
	| { type: 'training:changed'; data: TrainingChanged }
	/** a trainee's attempt changed (claimed, saved, marked, replayed): to the supervisors' sockets, never the live views */
	| { type: 'training:attempt'; data: TrainingAttempt }
	/** internal: a display token was revoked; instances close the walls open with it (src/lib/server/display) */
	| { type: 'display:revoked'; data: { tokenId: number } }
	/** internal: a session was signed out or ended by its user or an administrator; instances close its sockets */
	| { type: 'session:revoked'; data: { sessionId: string; reason?: 'logout' | 'revoked' } }) & {
	/** the publishing transaction's id (publish.ts; absent with publishNow): server-side only, never emitted */
	xid?: string;
};

export interface ServerToClientEvents {
	'queue:changed': (e: QueueChanged) => void;
	'queue:bulk': (e: QueueBulkChanged) => void;
	'call:recorded': (e: CallRecorded) => void;
	'operator:state': (e: OperatorStateChanged) => void;
	'import:progress': (e: ImportProgressEvent) => void;
	/** personal data was erased: to every signed-in socket (an operator's household may be gone) */
	'data:erased': (e: DataErased) => void;
	/** a household changed elsewhere (a late outcome, a number, do-not-call): reload its history and numbers */
	'household:updated': (e: HouseholdUpdated) => void;
	/** a supervisor's message to this operator (alone, with their team, or everyone): a toast on the desk */
	'floor:message': (e: FloorMessageView) => void;
	/** the household this operator held was taken from them (an inbound call, a supervisor's release) */
	'claim:lost': (e: ClaimLost) => void;
	/** a supervisor changed this operator's segments: a notice on the desk */
	'assignment:changed': (e: AssignmentChanged) => void;
	'rules:changed': (e: { version: number }) => void;
	'segment:changed': (e: SegmentChanged) => void;
	'floor:changed': (e: FloorChanged) => void;
	/** a handoff changed (ward staff): reload the list or the handoff shown */
	'handoff:changed': (e: HandoffChangedEvent) => void;
	/** this user's training session changed (joined, left, the run ended): reload the desk */
	'training:changed': (e: TrainingChanged) => void;
	/** a trainee's attempt changed (supervisors): the trainer's console reloads */
	'training:attempt': (e: TrainingAttempt) => void;
	/** a live view changed (live:subscribe): apply if its version is the one held + 1, else subscribe again */
	'live:delta': (e: LiveDelta) => void;
	/** a live view was recomputed: replace what is held (versions continue from the deltas') */
	'live:snapshot': (e: LiveSnapshot) => void;
	/** the server is shutting down or the session ended: reconnect later or log in again */
	'session:ended': (e: { reason: 'logout' | 'revoked' | 'expired' | 'shutdown' }) => void;
}

/** A socket event's answer; a refusal carries the error's stable code and, for invalid input, the field problems. */
export type Ack<T = unknown> = (res: { ok: true; data?: T } | { ok: false; code: string; message?: string; details?: Record<string, string>; params?: Record<string, Record<string, string | number>> }) => void;

export interface ClientToServerEvents {
	/** join a live view (floor: floor.view; wall: wall.view or a display token): the ack carries its snapshot and version */
	'live:subscribe': (payload: { view: LiveViewName }, ack: Ack<LiveSnapshot>) => void;
	/** renews the operator's presence and the lease on the household they hold */
	'presence:heartbeat': (payload: { householdId?: number | null }, ack?: Ack<{ leaseExpiresAt: string | null }>) => void;
	/** 次の世帯: claim the best callable household in the operator's segments (or the one already held) */
	'claim:next': (payload: Record<string, never>, ack: Ack<ClaimView>) => void;
	/** give the held household back without an outcome */
	'claim:release': (payload: { householdId: number }, ack: Ack<null>) => void;
	/** record a call's outcome (the same input as POST /api/calls: src/lib/server/calls/calls.ts outcomeInput) */
	'outcome:record': (payload: Record<string, unknown>, ack: Ack<OutcomeSaved>) => void;
	/** mark a number of the held household wrong, not in service, or active again (src/lib/server/phones/phones.ts) */
	'phone:mark': (payload: { householdId: number; phoneId: number; status: 'wrong_number' | 'not_in_service' | 'active' }, ack: Ack<PhoneSaved>) => void;
	/** record a new number for the held household, any format, with its source (本人申告, 勤務先, 調査) */
	'phone:add': (
		payload: { householdId: number; number: string; source: 'self_report' | 'employer' | 'research'; personId?: number | null },
		ack: Ack<PhoneSaved>
	) => void;
	/** the operator's own state: available, wrap-up (after an outcome) or a break with a reason (breakReasons; free text ≤ 100 with 'other') */
	'operator:set-state': (
		payload: { state: 'available' | 'wrap_up' | 'break'; breakReason?: string | null; breakNote?: string | null },
		ack: Ack<{ state: OperatorState; since: string; breakReason: string | null }>
	) => void;
}

/** A signed-in user's socket, or a wall display's (display token: no user, no role; may only subscribe to the wall). */
export type SocketData =
	| { kind?: 'user'; userId: number; role: Role; sessionId: string; tokenId?: undefined }
	| { kind: 'display'; tokenId: number; label: string; userId?: undefined; role?: undefined; sessionId?: undefined };

/** The PostgreSQL NOTIFY channel that carries LiveEvents to every instance. */
export const EVENTS_CHANNEL = 'kansho_events';
