/** Periodic housekeeping on every instance (all of it safe to run concurrently across instances). */
import type { Config } from '../src/lib/server/config.ts';
import { sweepQueue } from '../src/lib/server/queue/claims.ts';
import { sweepPresence } from '../src/lib/server/presence/presence.ts';
import { purgeExpiredSessions } from '../src/lib/server/auth/sessions.ts';
import { purgeOldUploads } from '../src/lib/server/imports/uploads.ts';
import { logger } from '../src/lib/server/log.ts';
import { db } from '../src/lib/server/db.ts';
import { sealAccessLog } from '../src/lib/server/audit/chain.ts';
import { sweepRetention } from '../src/lib/server/erasure/erasure.ts';
import { runDailyReconciliation } from '../src/lib/server/promises/promises.ts';
import { tokyoDate } from '../src/lib/domain/format.ts';
import { sweepLetters } from '../src/lib/server/letters/letters.ts';
import { runScheduledMonthlyReport } from '../src/lib/server/reports/period-report.ts';
import { refreshCollectionCells } from '../src/lib/server/reports/trends.queries.ts';
import { refreshSlotAnswerRates } from '../src/lib/server/reports/best-time.ts';
import { anyOpenRun } from '../src/lib/server/training/runs.ts';
import { inTraining } from '../src/lib/server/mode.ts';

export function startSweeper(config: Config) {
	const log = logger('sweeper');
	if (config.CALLING_WINDOW === 'ignore') log.warn('CALLING_WINDOW=ignore: households are handed out outside calling hours (tests, benchmarks and training only)');
	let running: Promise<void> | null = null;
	let ticks = 0;
	/** the Tokyo day whose daily promise reconciliation is known to be done (by this instance or another) */
	let promisesDoneOn: string | null = null;
	const tick = () => {
		if (running) return; // never overlap
		running = (async () => {
			try {
				const q = await sweepQueue();
				if (q.lapsed || q.promoted || q.rescored) log.info(q, 'queue swept');
				// the training set's queue (issue #9) while a run is open: lapsed claims back, waiting households due
				if (ticks % 6 === 0) {
					try {
						if (await anyOpenRun()) await inTraining(() => sweepQueue());
					} catch (e) {
						log.warn({ err: e }, 'sweeping the training queue failed');
					}
				}
				await sweepPresence(config.PRESENCE_TIMEOUT_SECONDS);
				// the access log's hash chain: one instance seals at a time, the others skip; a bounded share per tick.
				// Its own try: a sealing failure must not stop the rest of the housekeeping (and is loud: the log waits unsealed).
				try {
					const seal = await sealAccessLog(db(), { maxRows: 20_000 });
					if (seal.sealed) log.debug(seal, 'access log sealed');
				} catch (e) {
					log.error({ err: e }, 'sealing the access log failed');
				}
				// promises: once a day, the first tick of each Tokyo day that gets the locks (single-flight across
				// instances: advisory locks and one recorded run per day); busy (an import running) → the next tick
				const today = tokyoDate();
				if (promisesDoneOn !== today) {
					try {
						const r = await runDailyReconciliation();
						if (r.ran) log.info(r.counts, 'promises reconciled (daily)');
						if (r.ran || r.why === 'done') promisesDoneOn = today;
					} catch (e) {
						log.error({ err: e }, 'daily promise reconciliation failed');
					}
				}
				// reminder letters: stopped generations marked failed, PDFs of mailed batches and past their keeping period deleted
				if (ticks % 12 === 0) {
					// the collection-rate summary: rebuilt when receipts or letter returns changed, and daily (segments move)
					try {
						const c = await refreshCollectionCells(db(), { maxAgeHours: 24 });
						if (c.refreshed) log.info(c, 'collection-rate summary rebuilt');
					} catch (e) {
						log.error({ err: e }, 'rebuilding the collection-rate summary failed');
					}
					// best time to call → the queue: the season's answer rates per slot and language group, every 6 hours
					try {
						const s = await refreshSlotAnswerRates(db(), { maxAgeHours: 6 });
						if (s.refreshed) log.info(s, 'slot answer rates rebuilt');
					} catch (e) {
						log.error({ err: e }, 'rebuilding the slot answer rates failed');
					}
					try {
						const l = await sweepLetters();
						if (l.failed || l.deleted) log.info(l, 'letter batches swept');
					} catch (e) {
						log.error({ err: e }, 'sweeping letter batches failed');
					}
				}
				if (ticks++ % 60 === 0) {
					// the monthly report, on the first working day of the next month (once: a unique index per month and format)
					try {
						const m = await runScheduledMonthlyReport();
						if (m?.made.length) log.info(m, 'monthly report made');
					} catch (e) {
						log.error({ err: e }, 'making the monthly report failed');
					}
					await purgeExpiredSessions();
					// uploaded ward files left between a dry run and an apply hold personal data: a day at most
					purgeOldUploads();
					// closed cases past RETENTION_DAYS_AFTER_CLOSE: personal data erased in batches (statistics kept); its own
					// try, like sealing: a failure is loud and must not stop the housekeeping
					if (config.RETENTION_DAYS_AFTER_CLOSE > 0) {
						try {
							const r = await sweepRetention({ days: config.RETENTION_DAYS_AFTER_CLOSE });
							if (r.households) log.info(r, 'closed cases past retention erased');
						} catch (e) {
							log.error({ err: e }, 'retention erasure failed');
						}
					}
				}
			} catch (e) {
				log.error({ err: e }, 'sweep failed');
			}
		})().finally(() => (running = null));
	};
	const timer = setInterval(tick, config.SWEEP_INTERVAL_SECONDS * 1000);
	timer.unref();
	return {
		stop: () => clearInterval(timer),
		idle: async () => {
			await running;
		}
	};
}
