/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/** In `npm run dev`, attach the realtime server to Vite's own HTTP server. */
const realtimeDev = (): Plugin => ({
	name: 'kansho-realtime-dev',
	apply: 'serve',
	async configureServer(server) {
		if (!server.httpServer || process.env.VITEST) return;
		const { startRealtimeForDev } = await import('./server/dev-realtime.ts');
		await startRealtimeForDev(server.httpServer as import('node:http').Server);
	}
});

export default defineConfig({
	plugins: [sveltekit(), realtimeDev()],
	server: { port: Number(process.env.PORT ?? 5173) },
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.int.test.ts'],
					globalSetup: ['tests/helpers/global-setup.ts'],
					setupFiles: ['tests/helpers/setup-int.ts'],
					// one database: files run one after another, each resets the tables it uses
					fileParallelism: false,
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
