/**
 * What a NOTIFY inside a transaction costs at concurrency (#5, #6). PostgreSQL serializes the commits of all
 * transactions that sent a NOTIFY: each takes one cluster-wide lock before its commit and keeps it until the commit
 * is flushed to disk (the `Lock:object` waits of the fanout benchmark). kansho publishes every event with
 * `pg_notify` inside its use case's transaction, so every claim and every outcome commits through that lock.
 *
 *   npm run bench -- notify [--clients 32] [--seconds 8] [--rounds 2] [--database kansho_bench_notify]
 *
 * --clients connections each run the same small write transaction in a loop (BEGIN; UPDATE one random row of
 * 100,000; COMMIT) for --seconds, in three variants, --rounds times in turn:
 *   plain           the transaction alone: the baseline
 *   notify inside   the same with `select pg_notify(…)` before COMMIT (kansho today)
 *   notify after    the same transaction, then after its commit one auto-committed statement
 *                   `select set_config('synchronous_commit', 'off', true), pg_notify(…)`: the notification is still
 *                   sent only after the work committed, its own commit does not wait for the disk
 * and prints transactions/s and p50/p99 per variant, next to the plain one. Loopback PostgreSQL only; without
 * DATABASE_URL an embedded one is started.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { freshBenchDb, openForBench } from './scratch.ts';

export const notifyUsage = 'notify [--clients 32] [--seconds 8] [--rounds 2] [--database kansho_bench_notify]';

type Variant = 'plain' | 'notify inside' | 'notify after';
const VARIANTS: Variant[] = ['plain', 'notify inside', 'notify after'];
const ROWS = 100_000;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

export async function runNotifyBench(args: string[]): Promise<number> {
	let values: { clients?: string; seconds?: string; rounds?: string; database?: string };
	try {
		({ values } = parseArgs({
			args,
			strict: true,
			options: { clients: { type: 'string' }, seconds: { type: 'string' }, rounds: { type: 'string' }, database: { type: 'string' } }
		}));
	} catch (e) {
		console.error(`bench notify: ${(e as Error).message}\nusage: npm run bench -- ${notifyUsage}`);
		return 2;
	}
	const num = (name: string, raw: string | undefined, def: number, min: number, max: number) => {
		const n = raw === undefined ? def : Number(raw);
		if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
		return n;
	};
	let clients: number, seconds: number, rounds: number;
	try {
		clients = num('clients', values.clients, 32, 1, 90);
		seconds = num('seconds', values.seconds, 8, 1, 600);
		rounds = num('rounds', values.rounds, 2, 1, 10);
	} catch (e) {
		console.error(`bench notify: ${(e as Error).message}\nusage: npm run bench -- ${notifyUsage}`);
		return 2;
	}
	const database = values.database ?? 'kansho_bench_notify';
	if (!/^kansho_bench_[a-z0-9_]+$/.test(database)) {
		console.error('bench notify: --database must start with kansho_bench_ (lower case, digits, _)');
		return 2;
	}
	const log = (m: string) => console.log(`[notify] ${m}`);
	const server = await openForBench('notify', log, () => {}, database);
	if (!server) return 2;
	const { connect } = await import('../src/lib/server/db.ts');
	try {
		const info = await freshBenchDb(server.adminUrl, log, database);
		if (info.maxConnections - info.reserved - info.used < clients + 2) {
			console.error(`bench notify: the server has ${info.maxConnections - info.reserved - info.used} free connections, --clients ${clients} needs ${clients + 2}`);
			return 2;
		}
		const setup = connect(server.benchUrl.toString(), { max: 1 });
		await setup`create table notify_bench (id int primary key, v int not null)`;
		await setup`insert into notify_bench select g, 0 from generate_series(1, ${ROWS}) g`;
		await setup`vacuum analyze notify_bench`;
		const [settings] = await setup<{ sc: string; fsync: string; method: string }[]>`
			select current_setting('synchronous_commit') as sc, current_setting('fsync') as fsync, current_setting('wal_sync_method') as method`;
		// one listener, as every kansho instance has: PostgreSQL keeps the queue for it
		const listener = connect(server.benchUrl.toString(), { max: 1 });
		let heard = 0;
		await listener.listen('kansho_bench_notify', () => void heard++);
		const conns = Array.from({ length: clients }, () => connect(server.benchUrl.toString(), { max: 1 }));
		await Promise.all(conns.map((c) => c`select 1`));
		log(`PostgreSQL ${info.version}; synchronous_commit ${settings.sc}, fsync ${settings.fsync}, wal_sync_method ${settings.method}; ${clients} connections, ${seconds} s per variant, ${rounds} round(s)`);

		const results: Record<Variant, { tx: number; secs: number; lat: number[] }> = {
			plain: { tx: 0, secs: 0, lat: [] },
			'notify inside': { tx: 0, secs: 0, lat: [] },
			'notify after': { tx: 0, secs: 0, lat: [] }
		};
		for (let round = 1; round <= rounds; round++) {
			for (const variant of VARIANTS) {
				const r = results[variant];
				const end = performance.now() + seconds * 1000;
				const started = performance.now();
				let seed = round * 7919 + VARIANTS.indexOf(variant);
				const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) % ROWS) + 1;
				await Promise.all(
					conns.map(async (c) => {
						while (performance.now() < end) {
							const id = rand();
							const t = performance.now();
							await c.begin(async (tx) => {
								await tx`update notify_bench set v = v + 1 where id = ${id}`;
								if (variant === 'notify inside') await tx`select pg_notify('kansho_bench_notify', ${String(id)})`;
							});
							if (variant === 'notify after') await c`select set_config('synchronous_commit', 'off', true), pg_notify('kansho_bench_notify', ${String(id)})`;
							r.lat.push(performance.now() - t);
							r.tx++;
						}
					})
				);
				const secs = (performance.now() - started) / 1000;
				r.secs += secs;
				log(`round ${round}: ${variant.padEnd(13)} ${Math.round(r.tx / r.secs).toLocaleString('en')} transactions/s so far`);
			}
		}
		await new Promise((r) => setTimeout(r, 500));
		const base = results.plain.tx / results.plain.secs;
		console.log(`\n══ NOTIFY inside a transaction: ${clients} connections, ${rounds} × ${seconds} s per variant ══`);
		console.log(['variant        ', 'transactions/s', ' vs plain', ' p50 ms', ' p99 ms'].join('  '));
		for (const v of VARIANTS) {
			const r = results[v];
			const sorted = r.lat.sort((a, b) => a - b);
			const tps = r.tx / r.secs;
			console.log(
				[v.padEnd(15), Math.round(tps).toLocaleString('en').padStart(14), `${((100 * tps) / base).toFixed(0)} %`.padStart(9), pct(sorted, 50).toFixed(2).padStart(7), pct(sorted, 99).toFixed(2).padStart(7)].join('  ')
			);
		}
		console.log(`notifications heard by the listener: ${heard.toLocaleString('en')} (sent: ${(results['notify inside'].tx + results['notify after'].tx).toLocaleString('en')})`);
		await Promise.all([...conns, listener, setup].map((c) => c.end({ timeout: 5 })));
		const admin = connect(server.adminUrl.toString(), { max: 1 });
		await admin.unsafe(`drop database if exists ${database} with (force)`);
		await admin.end({ timeout: 5 });
		return 0;
	} finally {
		await server.stop();
	}
}
