/**
 * Benchmarks: `npm run bench -- <name> [options]` (see bench/README.md).
 *   npm run bench -- claim [--households 28000] [--concurrency 50] [--seconds 20]
 *   npm run bench -- import [--households 1000000] [--receipts-per-household 5] [--keep]
 *   npm run bench -- search [--households 1000000] [--queries 200]
 *   npm run bench -- promises [--households 20000]
 *   npm run bench -- letters [--letters 5000]
 *   npm run bench -- round-trips [--households 3000] [--cycles 200]
 *   npm run bench -- reports [--households 1000000] [--periods 4] [--calls 600000]
 *   npm run bench -- fanout [--viewers 1000] [--operators 200] [--rate 20] [--seconds 60] [--keep]
 *   npm run bench -- notify [--clients 32] [--seconds 8] [--rounds 2]
 */
import { claimUsage } from './claim.ts';
import { fanoutUsage } from './fanout.ts';
import { importUsage } from './import.ts';
import { searchUsage } from './search.ts';
import { promisesUsage } from './promises.ts';
import { lettersUsage } from './letters.ts';
import { roundTripsUsage } from './round-trips.ts';
import { reportsUsage } from './reports.ts';
import { notifyUsage } from './notify.ts';

const benches: Record<string, { summary: string; usage: string; run: (args: string[]) => Promise<number> }> = {
	claim: {
		summary: 'claim latency and throughput of the shared queue, next to the bare-SQL baseline',
		usage: claimUsage,
		run: async (args) => (await import('./claim.ts')).runClaim(args)
	},
	'round-trips': {
		summary: 'round trips to PostgreSQL (and p50/p95) of one claim and one outcome, in-process, next to the bare claim and outcome statements',
		usage: roundTripsUsage,
		run: async (args) => (await import('./round-trips.ts')).runRoundTrips(args)
	},
	import: {
		summary: 'a full snapshot (世帯, 個人, 収納 in CP932) through runImport, next to psql \\copy of the same files; peak RSS',
		usage: importUsage,
		run: async (args) => (await import('./import.ts')).runImportBench(args)
	},
	fanout: {
		summary: 'commit → viewer latency of the live floor view over two instances with the Redis adapter (p50/p99), CPU and RSS per instance, database load with and without viewers, next to a bare Socket.IO broadcast',
		usage: fanoutUsage,
		run: async (args) => (await import('./fanout.ts')).runFanout(args)
	},
	promises: {
		summary: 'promise reconciliation (import, daily job) over pending promises: rules + writes, the daily job with re-placing, an idle day, next to a bare SQL sum',
		usage: promisesUsage,
		run: async (args) => (await import('./promises.ts')).runPromisesBench(args)
	},
	letters: {
		summary: 'a batch of reminder letters (催告書): candidates, items and access log, then the PDF streamed, next to pdfkit writing the same number of pages of one letter without data',
		usage: lettersUsage,
		run: async (args) => (await import('./letters.ts')).runLettersBench(args)
	},
	reports: {
		summary: 'the collection-rate trend page and the monthly report (data, PDF, Excel) at 1,000,000 households and a season of calls, next to count(*) of the tables they read',
		usage: reportsUsage,
		run: async (args) => (await import('./reports.ts')).runReportsBench(args)
	},
	notify: {
		summary: 'a small write transaction at concurrency, plain, with pg_notify inside it (how kansho publishes events) and with pg_notify after its commit: transactions/s and p50/p99',
		usage: notifyUsage,
		run: async (args) => (await import('./notify.ts')).runNotifyBench(args)
	},
	search: {
		summary: 'household search (inbound calls) by phone, kana, name and NHI number: p50/p95 per kind next to the bare index lookup',
		usage: searchUsage,
		run: async (args) => (await import('./search.ts')).runSearchBench(args)
	}
};

function usage(): string {
	return [
		'usage: npm run bench -- <benchmark> [options]',
		'',
		...Object.entries(benches).map(([name, b]) => `  ${b.usage}\n      ${b.summary}`),
		'',
		'DATABASE_URL: a PostgreSQL on 127.0.0.1 (a scratch database is created there); unset: an embedded one is started.'
	].join('\n');
}

async function main(argv: string[]): Promise<number> {
	const [name, ...rest] = argv;
	if (name === '--help' || name === '-h' || name === 'help') {
		console.log(usage());
		return 0;
	}
	const bench = name ? benches[name] : undefined;
	if (!bench) {
		if (name) console.error(`unknown benchmark: ${name}\n`);
		console.error(usage());
		return 2;
	}
	return bench.run(rest);
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e) => {
		console.error('bench:', e instanceof Error ? (e.stack ?? e.message) : e);
		process.exit(1);
	}
);
