/**
 * The canonical form of an access-log row and its chain hash. Pure (no I/O): the sealer uses it to seal rows and
 * `audit verify` uses it to recompute the chain, and anyone can reimplement it from this description to check an
 * exported log independently of kansho.
 *
 * Canonical form (version 1): the JSON text (ECMA-262 `JSON.stringify`, no whitespace, non-ASCII characters as
 * themselves, UTF-8) of the array
 *
 *   ["kansho.access_log.v1", chain_seq, id, at, user_id, role, action, household_id, fields, reason, ip, request_id]
 *
 * - chain_seq, id, user_id, household_id: JSON integers (safe integers), or null;
 * - at: the instant in UTC with microseconds, exactly 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (PostgreSQL keeps µs);
 * - fields: a JSON array of strings (elements may be null), or null;
 * - role, action, reason, ip, request_id: JSON strings, or null.
 * A JSON array of typed values is unambiguous: strings are quoted and escaped, null is not "", and every field has
 * its place. (Python reproduces it with `json.dumps(v, ensure_ascii=False, separators=(',', ':'))`.)
 *
 * Chain hash: hash_n = SHA-256(hash_{n-1} ‖ UTF-8(canonical_n)), hash_{n-1} as its 32 raw bytes; hash_0 (before
 * the first row, chain_seq 1) is 32 zero bytes. Because the previous hash has a fixed length, the concatenation
 * is unambiguous too.
 */
import { createHash } from 'node:crypto';

export const CANONICAL_VERSION = 'kansho.access_log.v1';

/** The hash before the first row: 32 zero bytes, in hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row as the chain sees it (what `chainColumns` in chain.ts selects). */
export interface ChainRow {
	chainSeq: number;
	id: number;
	/** UTC with microseconds: 2026-04-01T00:12:34.567890Z */
	at: string;
	userId: number | null;
	role: string | null;
	action: string;
	householdId: number | null;
	fields: readonly (string | null)[] | null;
	reason: string | null;
	ip: string | null;
	requestId: string | null;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function int(name: string, v: number | null, nullable: boolean): number | null {
	if (v === null && nullable) return null;
	if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`access log canonical form: ${name} must be a safe integer, got ${String(v)}`);
	return v;
}

function str(name: string, v: string | null, nullable: boolean): string | null {
	if (v === null && nullable) return null;
	if (typeof v !== 'string') throw new TypeError(`access log canonical form: ${name} must be a string, got ${String(v)}`);
	return v;
}

/** The canonical text of one row (see the top of this file). Throws on values outside the form, never guesses. */
export function canonicalAccessRow(r: ChainRow): string {
	if (typeof r.at !== 'string' || !AT.test(r.at)) throw new TypeError(`access log canonical form: at must be UTC with microseconds, got ${String(r.at)}`);
	if (r.fields !== null && (!Array.isArray(r.fields) || r.fields.some((f) => f !== null && typeof f !== 'string')))
		throw new TypeError('access log canonical form: fields must be an array of strings or null');
	return JSON.stringify([
		CANONICAL_VERSION,
		int('chain_seq', r.chainSeq, false),
		int('id', r.id, false),
		r.at,
		int('user_id', r.userId, true),
		str('role', r.role, true),
		str('action', r.action, false),
		int('household_id', r.householdId, true),
		r.fields === null ? null : [...r.fields],
		str('reason', r.reason, true),
		str('ip', r.ip, true),
		str('request_id', r.requestId, true)
	]);
}

/** hash_n = SHA-256(previous hash's 32 bytes ‖ UTF-8 canonical form), both hashes in lowercase hex. */
export function chainHash(previousHex: string, row: ChainRow): string {
	if (!/^[0-9a-f]{64}$/.test(previousHex)) throw new TypeError('access log chain: the previous hash must be 64 lowercase hex digits');
	return createHash('sha256').update(Buffer.from(previousHex, 'hex')).update(canonicalAccessRow(row), 'utf8').digest('hex');
}
