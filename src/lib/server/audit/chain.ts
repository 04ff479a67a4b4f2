/**
 * The access log's hash chain: sealing and verification (docs/operations.md, "Access log").
 *
 * Writers never wait for the chain: `writeAccessLog` inserts rows with chain_seq and hash null. The sealer, run by
 * the sweeper on every instance and by `audit verify`, seals committed rows afterwards, one sealer at a time (an
 * advisory lock; the others skip their turn). It takes unsealed rows in id order and continues the chain from its
 * head (access_log_chain), so chain_seq runs 1, 2, 3 … with no holes. The migration's trigger lets a row change
 * only this once, and only in its chain columns.
 *
 * Verification recomputes every hash with the pure canonical form (chain-hash.ts) from the first row, in one
 * read-only snapshot, streaming, and names the first row where the chain breaks.
 */
import type { Db, Sql } from '../db.ts';
import { chainHash, GENESIS_HASH, type ChainRow } from './chain-hash.ts';

/** Advisory lock key of the sealer (migrations hold 4_213_001). */
const SEAL_LOCK = 4_213_101;

/** The columns of the canonical form, with `at` as UTC text with microseconds (a JS Date would drop them). */
function chainColumns(db: Db) {
	return db`id, chain_seq, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
		user_id, role, action, household_id, fields, reason, ip, request_id`;
}

type UnsealedRow = Omit<ChainRow, 'chainSeq'> & { chainSeq: null };

export interface SealResult {
	/** rows sealed by this call */
	sealed: number;
	/** the chain's head after this call */
	lastSeq: number;
	lastHash: string;
	/** another sealer held the lock, so this call sealed nothing (only without `wait`) */
	busy: boolean;
}

/**
 * Seal committed unsealed rows, `batch` rows a transaction, until none are left or `maxRows` are sealed.
 * Without `wait`, returns at once when another sealer is at work (the sweeper's case); with it, waits its turn.
 */
export async function sealAccessLog(sql: Sql, opts: { batch?: number; maxRows?: number; wait?: boolean } = {}): Promise<SealResult> {
	const batch = opts.batch ?? 2000;
	const maxRows = opts.maxRows ?? Number.POSITIVE_INFINITY;
	let sealed = 0;
	for (;;) {
		const step = await sql.begin(async (tx) => {
			if (opts.wait) await tx`select pg_advisory_xact_lock(${SEAL_LOCK})`;
			else {
				const [{ locked }] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as locked`;
				if (!locked) return null;
			}
			const [head] = await tx<{ lastSeq: number; lastHash: string }[]>`
				select last_seq, encode(last_hash, 'hex') as last_hash from access_log_chain for update`;
			const rows = await tx<UnsealedRow[]>`
				select ${chainColumns(tx)} from access_log where chain_seq is null order by id limit ${Math.min(batch, maxRows - sealed)}`;
			let seq = head.lastSeq;
			let hash = head.lastHash;
			const ids: number[] = [];
			const seqs: number[] = [];
			const hashes: string[] = [];
			for (const r of rows) {
				seq++;
				hash = chainHash(hash, { ...r, chainSeq: seq });
				ids.push(r.id);
				seqs.push(seq);
				hashes.push(hash);
			}
			if (rows.length > 0) {
				const done = await tx`
					update access_log a set chain_seq = v.seq, hash = decode(v.hash, 'hex')
					from unnest(${ids}::bigint[], ${seqs}::bigint[], ${hashes}::text[]) as v(id, seq, hash)
					where a.id = v.id and a.chain_seq is null`;
				// only sealers change unsealed rows, and this one holds the lock: anything else is a bug, not a race
				if (done.count !== rows.length) throw new Error(`access log sealer: sealed ${done.count} of ${rows.length} rows`);
				await tx`update access_log_chain set last_seq = ${seq}, last_hash = decode(${hash}, 'hex'), sealed_at = now()`;
			}
			return { n: rows.length, lastSeq: seq, lastHash: hash };
		});
		if (!step) return { sealed, lastSeq: 0, lastHash: '', busy: true };
		sealed += step.n;
		if (step.n < batch || sealed >= maxRows) return { sealed, lastSeq: step.lastSeq, lastHash: step.lastHash, busy: false };
	}
}

/** Where the chain first breaks. */
export type ChainBreak =
	/** the row's stored hash is not the hash of its contents and the previous hash: it (or its hash) was changed */
	| { kind: 'hash_mismatch'; chainSeq: number; id: number; storedHash: string; expectedHash: string }
	/** chain_seq `chainSeq` is missing (…up to `nextChainSeq - 1`): sealed rows were deleted */
	| { kind: 'gap'; chainSeq: number; nextChainSeq: number; nextId: number; previousId: number | null }
	/** the chain ends before the head the sealer recorded: the last sealed rows were deleted */
	| { kind: 'tail_missing'; chainSeq: number; headSeq: number; previousId: number | null }
	/** rows carry chain_seq beyond the recorded head: they were sealed by something other than the sealer */
	| { kind: 'beyond_head'; chainSeq: number; id: number; headSeq: number }
	/** the recorded head's hash is not the last row's hash: the head or the chain was rewritten */
	| { kind: 'head_mismatch'; chainSeq: number; id: number; headHash: string; rowHash: string };

export interface VerifyResult {
	ok: boolean;
	/** sealed rows checked */
	rows: number;
	/** chain_seq of the last row checked */
	lastSeq: number;
	/** the hash of the last row checked (the chain's head when ok) */
	finalHash: string;
	/** rows this run sealed first */
	sealedNow: number;
	/** rows written while it ran, not yet sealed (not covered by this run) */
	unsealed: number;
	break: ChainBreak | null;
}

/** One line in English naming the break (the CLI prints it; tests match on it). */
export function describeBreak(b: ChainBreak): string {
	switch (b.kind) {
		case 'hash_mismatch':
			return `chain_seq ${b.chainSeq} (id ${b.id}): the stored hash does not match the row's contents (stored ${b.storedHash}, recomputed ${b.expectedHash}); the row or its hash was changed`;
		case 'gap':
			return b.nextChainSeq - 1 === b.chainSeq
				? `chain_seq ${b.chainSeq} is missing (between id ${b.previousId ?? '-'} and id ${b.nextId}): a sealed row was deleted`
				: `chain_seq ${b.chainSeq}..${b.nextChainSeq - 1} are missing (between id ${b.previousId ?? '-'} and id ${b.nextId}): sealed rows were deleted`;
		case 'tail_missing':
			return `chain_seq ${b.chainSeq}..${b.headSeq} are missing (after id ${b.previousId ?? '-'}): the chain's head says ${b.headSeq} rows were sealed; the last rows were deleted`;
		case 'beyond_head':
			return `chain_seq ${b.chainSeq} (id ${b.id}) lies beyond the chain's head (${b.headSeq}): it was sealed outside the sealer`;
		case 'head_mismatch':
			return `chain_seq ${b.chainSeq} (id ${b.id}): the chain's head records hash ${b.headHash} but the row has ${b.rowHash}`;
	}
}

/**
 * Seal what is committed, then recompute the whole chain from chain_seq 1 in one read-only snapshot (so the head
 * and the rows agree), `pageSize` rows at a time, and stop at the first break.
 */
export async function verifyAccessLog(sql: Sql, opts: { pageSize?: number; onProgress?: (rows: number) => void } = {}): Promise<VerifyResult> {
	const seal = await sealAccessLog(sql, { wait: true });
	return sql.begin('isolation level repeatable read read only', async (tx) => {
		const [head] = await tx<{ lastSeq: number; lastHash: string }[]>`select last_seq, encode(last_hash, 'hex') as last_hash from access_log_chain`;
		const [{ unsealed }] = await tx<{ unsealed: number }[]>`select count(*)::int as unsealed from access_log where chain_seq is null`;
		let rows = 0;
		let prevSeq = 0;
		let prevId: number | null = null;
		let prevHash = GENESIS_HASH;
		const result = (b: ChainBreak | null): VerifyResult => ({ ok: b === null, rows, lastSeq: prevSeq, finalHash: prevHash, sealedNow: seal.sealed, unsealed, break: b });

		const cursor = tx<(ChainRow & { hash: string })[]>`
			select ${chainColumns(tx)}, encode(hash, 'hex') as hash
			from access_log where chain_seq is not null order by chain_seq`.cursor(opts.pageSize ?? 5000);
		for await (const page of cursor) {
			for (const r of page) {
				if (r.chainSeq > head.lastSeq) return result({ kind: 'beyond_head', chainSeq: r.chainSeq, id: r.id, headSeq: head.lastSeq });
				if (r.chainSeq !== prevSeq + 1) return result({ kind: 'gap', chainSeq: prevSeq + 1, nextChainSeq: r.chainSeq, nextId: r.id, previousId: prevId });
				const expected = chainHash(prevHash, r);
				if (expected !== r.hash) return result({ kind: 'hash_mismatch', chainSeq: r.chainSeq, id: r.id, storedHash: r.hash, expectedHash: expected });
				rows++;
				prevSeq = r.chainSeq;
				prevId = r.id;
				prevHash = r.hash;
			}
			opts.onProgress?.(rows);
		}
		if (prevSeq < head.lastSeq) return result({ kind: 'tail_missing', chainSeq: prevSeq + 1, headSeq: head.lastSeq, previousId: prevId });
		if (prevSeq > 0 && prevHash !== head.lastHash) return result({ kind: 'head_mismatch', chainSeq: prevSeq, id: prevId!, headHash: head.lastHash, rowHash: prevHash });
		return result(null);
	});
}
