/**
 * Round trips of the queue's hot path (#5): one operator, in this process, claims the next household and records
 * a "不在" outcome on its first number, --cycles times in a row. For each use case it prints how many times the
 * process wrote to PostgreSQL's socket (postgres.js sends the statements issued together as one write, so a write
 * is a round trip the use case waits for) and the p50/p95 time, next to the baseline measured in the same run: the
 * bare claim statement and the bare queue UPDATE of an outcome, auto-committed (one round trip each).
 *
 * Under load every round trip is a wait while the transaction holds a pooled connection and its row locks, so the
 * count is what the saturation figures of `npm run bench -- claim` follow; the count does not depend on the
 * machine's load, the times do.
 *
 *   npm run bench -- round-trips [--households 3000] [--cycles 200] [--database kansho_bench_roundtrips]
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { freshBenchDb, openForBench } from './scratch.ts';
import { recordPrivacyCompleted } from '../src/lib/server/training/training.queries.ts';

export const roundTripsUsage = 'round-trips [--households 3000] [--cycles 200] [--database kansho_bench_roundtrips]';

/** Writes to sockets whose remote port is the database's, counted for the whole process. */
function countWrites(port: number): () => number {
	let writes = 0;
	const original = net.Socket.prototype.write;
	net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
		if (this.remotePort === port) writes++;
		return (original as (...a: unknown[]) => boolean).apply(this, args);
	} as typeof original;
	return () => writes;
}

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

export async function runRoundTrips(args: string[]): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			households: { type: 'string', default: '3000' },
			cycles: { type: 'string', default: '200' },
			database: { type: 'string', default: 'kansho_bench_roundtrips' }
		}
	});
	const households = Number(values.households);
	const cycles = Number(values.cycles);
	if (!Number.isInteger(households) || households < 500 || households > 200_000) throw new Error('--households: 500 to 200,000');
	if (!Number.isInteger(cycles) || cycles < 10 || cycles > 10_000) throw new Error('--cycles: 10 to 10,000');
	const log = (m: string) => console.log(`[round-trips] ${m}`);
	const server = await openForBench('round-trips', log, () => {}, values.database);
	if (!server) return 2;
	try {
		const info = await freshBenchDb(server.adminUrl, log, values.database);
		process.env.DATABASE_URL = server.benchUrl.toString();
		process.env.DB_POOL_MAX = '2';
		process.env.LOG_LEVEL = 'silent';
		process.env.CALLING_WINDOW = 'ignore';
		delete process.env.REDIS_URL;
		const { connect, db, closeDb } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { seedDemo } = await import('../src/lib/server/demo/demo.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { claimNextHousehold } = await import('../src/lib/server/queue/claims.ts');
		const { recordCallOutcome } = await import('../src/lib/server/calls/calls.ts');
		const q = await import('../src/lib/server/queue/claims.queries.ts');
		const setup = connect(server.benchUrl.toString(), { max: 2 }); // migrate holds a session lock on one connection
		let bare: ReturnType<typeof connect> | undefined;
		try {
			await migrate(setup, () => {});
			log(`seeding ${households.toLocaleString('en')} synthetic households through the import …`);
			await seedDemo(setup, { households });
			const { id } = await createUser(setup, { loginId: 'bench-rt', displayName: 'bench operator', role: 'operator', password: 'kansho-bench-2026' });
			await setup`insert into operator_segments (user_id, segment_id) select ${id}, id from segments on conflict do nothing`;
			await setup`vacuum (analyze)`;
			await recordPrivacyCompleted(setup, [id], { trainer: 'bench' });
			const actor = { id, loginId: 'bench-rt', displayName: 'bench operator', role: 'operator' as const, locale: 'ja' as const, privacyTrained: true };
			const writes = countWrites(Number(server.benchUrl.port || 5432));
			const firstPhone = async (householdId: number) =>
				(await setup<{ id: number }[]>`select id from phones where household_id = ${householdId} and valid and status = 'active' order by id limit 1`)[0]?.id ?? null;

			// baseline: the bare statements, auto-committed, on a connection of their own
			bare = connect(server.benchUrl.toString(), { max: 1 });
			const b = { claim: [] as number[], outcome: [] as number[], claimWrites: 0, outcomeWrites: 0 };
			const held: number[] = [];
			for (let i = 0; i < cycles + 5; i++) {
				let w = writes();
				let t = performance.now();
				const row = await q.claimNext(bare, id, 300);
				if (!row) throw new Error('the queue ran dry in the baseline: use more --households');
				if (i >= 5) (b.claim.push(performance.now() - t), (b.claimWrites += writes() - w));
				w = writes();
				t = performance.now();
				await q.moveAfterOutcome(bare, row.householdId, { state: 'waiting', nextEligibleAt: new Date(Date.now() + 4 * 3600_000), closedReason: null });
				if (i >= 5) (b.outcome.push(performance.now() - t), (b.outcomeWrites += writes() - w));
				held.push(row.householdId);
			}
			// the households the baseline touched go back to ready (the use case starts from the same queue)
			await setup`update call_queue set state = 'ready', next_eligible_at = null, attempts = greatest(attempts - 1, 0) where household_id = any(${held}::bigint[])`;

			// the use case: claimNextHousehold + recordCallOutcome, as the socket handlers call them
			const u = { claim: [] as number[], outcome: [] as number[], claimWrites: 0, outcomeWrites: 0 };
			for (let i = 0; i < cycles + 5; i++) {
				let w = writes();
				let t = performance.now();
				const c = await claimNextHousehold(actor);
				if (i >= 5) (u.claim.push(performance.now() - t), (u.claimWrites += writes() - w));
				const phoneId = await firstPhone(c.householdId);
				w = writes();
				t = performance.now();
				await recordCallOutcome(actor, { householdId: c.householdId, outcomeCode: '10', phoneId, idempotencyKey: randomUUID() });
				if (i >= 5) (u.outcome.push(performance.now() - t), (u.outcomeWrites += writes() - w));
			}
			await db()`select 1`;

			const row = (name: string, writesPer: number, ms: number[]) =>
				`| ${name} | ${writesPer.toFixed(1)} | ${pct(ms, 50).toFixed(2)} | ${pct(ms, 95).toFixed(2)} |`;
			console.log('');
			console.log(`round trips of claim and outcome, one operator in-process, ${cycles} cycles after 5 warm-up; ${households.toLocaleString('en')} households; PostgreSQL ${info.version}`);
			console.log('');
			console.log('| step | round trips | p50 ms | p95 ms |');
			console.log('|---|---:|---:|---:|');
			console.log(row('baseline: bare claim statement (claimNext), auto-commit', b.claimWrites / cycles, b.claim));
			console.log(row('baseline: bare outcome UPDATE (moveAfterOutcome), auto-commit', b.outcomeWrites / cycles, b.outcome));
			console.log(row('claimNextHousehold (transaction: lock, claim, access log, state, events)', u.claimWrites / cycles, u.claim));
			console.log(row('recordCallOutcome 不在 (transaction: call, access log, queue, placement, state, events)', u.outcomeWrites / cycles, u.outcome));
			const ratio = (u.claimWrites + u.outcomeWrites) / Math.max(1, b.claimWrites + b.outcomeWrites);
			console.log('');
			console.log(`a cycle: ${((u.claimWrites + u.outcomeWrites) / cycles).toFixed(1)} round trips vs ${((b.claimWrites + b.outcomeWrites) / cycles).toFixed(1)} bare (${ratio.toFixed(1)}×); p50 ${(pct(u.claim, 50) + pct(u.outcome, 50)).toFixed(1)} ms vs ${(pct(b.claim, 50) + pct(b.outcome, 50)).toFixed(1)} ms bare`);
			return 0;
		} finally {
			await bare?.end({ timeout: 5 });
			await setup.end({ timeout: 5 });
			await closeDb();
		}
	} finally {
		await server.stop();
	}
}
