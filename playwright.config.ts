import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive Debian's Chromium (no browser download) against the real custom server started the way
 * `npm start` starts it, with no DATABASE_URL: the embedded PostgreSQL in a fresh data directory, demo data loaded
 * on first start. Set E2E_BASE_URL to test a server you started yourself instead.
 */
const PORT = Number(process.env.E2E_PORT ?? 3102);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	workers: 1,
	fullyParallel: false,
	retries: 0,
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
				command: 'node --import tsx tests/e2e/serve.ts',
				url: `http://localhost:${PORT}/readyz`,
				reuseExistingServer: false,
				timeout: 180_000,
				stdout: 'pipe',
				stderr: 'pipe',
				gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
				env: { E2E_PORT: String(PORT) }
			}
});
