import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

// a fresh embedded database every run (the first start loads the demo)
if (!process.env.E2E_BASE_URL && !process.env.TEST_WORKER_INDEX) fs.rmSync(path.join(os.tmpdir(), 'kansho-e2e-data'), { recursive: true, force: true });

/**
 * End-to-end tests drive Debian's Chromium (no browser download) against `npm start` itself, with no
 * DATABASE_URL: the embedded PostgreSQL in a fresh data directory, demo data loaded on first start. So this run is
 * also the test that `npm start` comes up on the embedded database. Set E2E_BASE_URL to test a server you started
 * yourself instead (e.g. `npm run dev`).
 */
const PORT = Number(process.env.E2E_PORT ?? 3102);
const DATA_DIR = path.join(os.tmpdir(), 'kansho-e2e-data');

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	workers: 1,
	fullyParallel: false,
	// On CI (.ci/run sets CI=true) a failed test runs once more and, if it then passes, is listed as flaky: two
	// intermittent hangs at a submit button after a script-free page load (supervisor-segments, holdout) did not recur in
	// about 15 local repetitions of those tests, some under heavy load; the failed attempt still prints its pages' state (describePagesOnFailure)
	retries: process.env.CI ? 1 : 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: process.env.CI ? [['list']] : [['list']],
	use: {
		baseURL: process.env.E2E_BASE_URL ?? `http://localhost:${PORT}`,
		browserName: 'chromium',
		locale: 'ja-JP',
		timezoneId: 'Asia/Tokyo',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		}
	},
	webServer: process.env.E2E_BASE_URL
		? undefined
		: {
				command: 'npm start',
				url: `http://localhost:${PORT}/readyz`,
				reuseExistingServer: false,
				timeout: 180_000,
				stdout: 'pipe',
				stderr: 'pipe',
				gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
				env: {
					DATABASE_URL: '', // empty = unset: the embedded PostgreSQL
					DATA_DIR,
					PORT: String(PORT),
					EMBEDDED_PG_PORT: process.env.E2E_EMBEDDED_PG_PORT ?? '5497',
					DEMO_HOUSEHOLDS: process.env.E2E_DEMO_HOUSEHOLDS ?? '3000',
					HEARTBEAT_SECONDS: '5',
					SWEEP_INTERVAL_SECONDS: '1',
					// the tests run at any hour and on weekends: 次の世帯 is not refused outside the calling window
					CALLING_WINDOW: 'ignore',
					LOG_LEVEL: 'warn',
					// sign-in counters of this run's own (a shared Redis would otherwise add every run's failures from
					// 127.0.0.1 to the next one's, and lock the address out after a few runs within the hour)
					REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX ?? `kansho-e2e-${Date.now()}:`
				}
			}
});
