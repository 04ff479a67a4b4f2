/**
 * The database driver's transactions, on the real PostgreSQL. postgres.js 3.4.9 (the newest release) reserves a
 * transaction's connection only when the pipeline still has room after its BEGIN was written
 * (porsager/postgres#823, #1189; fix proposed in #1218). At the boundary the BEGIN is sent but the connection stays
 * in the pool: the transaction fails with UNSAFE_TRANSACTION and the connection is left inside an open transaction,
 * where other requests' statements then run (and are lost if it rolls back). The fanout benchmark hit it at 1,000
 * viewers (claim:next failed with UNSAFE_TRANSACTION). kansho carries the fix as patches/postgres+3.4.9.patch
 * (patch-package, applied by `npm ci`). `max_pipeline: 0` puts every BEGIN at the boundary: without the patch each
 * of these transactions fails.
 */
import { afterAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { testDatabaseUrl } from '../helpers/db.ts';

const clients: postgres.Sql[] = [];

/** A pool with a pipeline of `pipeline` statements per connection (max_pipeline is an option the typings leave out). */
function pool(max: number, pipeline: number): postgres.Sql {
	const options = { max, max_pipeline: pipeline, onnotice: () => {} };
	const sql = postgres(testDatabaseUrl(), options);
	clients.push(sql);
	return sql;
}
afterAll(async () => {
	await Promise.all(clients.map((c) => c.end({ timeout: 2 })));
});

/** the transaction ids two consecutive statements on each connection of the pool see: equal means a leftover transaction */
async function connectionsInsideATransaction(sql: postgres.Sql, connections: number): Promise<number> {
	const reserved = await Promise.all(Array.from({ length: connections }, () => sql.reserve()));
	let inside = 0;
	for (const c of reserved) {
		const [a] = await c<{ t: string }[]>`select txid_current()::text as t`;
		const [b] = await c<{ t: string }[]>`select txid_current()::text as t`;
		if (a.t === b.t) inside++;
		c.release();
	}
	return inside;
}

describe('postgres.js transactions (patched)', () => {
	it('a BEGIN that fills the pipeline still reserves its connection: the transaction commits, nothing is left open', async () => {
		const sql = pool(2, 0);
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, (_, i) =>
				sql.begin(async (tx) => {
					const [a] = await tx<{ t: string }[]>`select txid_current()::text as t`;
					const [b] = await tx<{ t: string; n: number }[]>`select txid_current()::text as t, ${i}::int as n`;
					return { same: a.t === b.t, n: b.n };
				})
			)
		);
		const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason?.code ?? (r as PromiseRejectedResult).reason));
		expect(failed).toEqual([]);
		// both statements of each transaction ran in that one transaction
		expect(results.map((r) => (r as PromiseFulfilledResult<{ same: boolean; n: number }>).value)).toEqual(Array.from({ length: 6 }, (_, n) => ({ same: true, n })));
		expect(await connectionsInsideATransaction(sql, 2)).toBe(0);
	});

	it('a BEGIN pipelined behind a statement a busy connection is running (the default pipeline of 100 under load) leaves no connection inside a transaction', async () => {
		// max_pipeline 1: the BEGIN queued behind a running statement is the one that fills the pipeline
		const sql = pool(2, 1);
		await Promise.all([sql`select 1`, sql`select 1`]); // both connections open
		const busy = [sql`select pg_sleep(0.1)`.execute(), sql`select pg_sleep(0.1)`.execute()];
		await new Promise((r) => setTimeout(r, 10)); // both statements sent: each connection is busy
		const tx = sql.begin(async (t) => (await t<{ one: number }[]>`select 1 as one`)[0].one);
		const plain = sql<{ one: number }[]>`select 1 as one`.execute();
		const settled = await Promise.allSettled([...busy, tx, plain]);
		expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
		expect(await connectionsInsideATransaction(sql, 2)).toBe(0);
	});
});
