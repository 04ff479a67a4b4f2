/** `npm run dev`: boot (embedded DB, migrations, demo), then Vite's dev server with the realtime server attached. */
import { createServer } from 'vite';
import { boot, demoBanner } from './boot.ts';
import { closeDb } from '../src/lib/server/db.ts';

const { config, demo, embedded } = await boot();
const vite = await createServer({ server: { port: config.PORT, host: config.HOST } });
await vite.listen();
const url = `http://localhost:${config.PORT}`;
console.log(demo ? demoBanner(url) : `\n  kansho (dev) is running at ${url}\n`);

let stopping = false;
const stop = async () => {
	if (stopping) return;
	stopping = true;
	await vite.close().catch(() => {});
	await closeDb().catch(() => {});
	if (embedded) await embedded.stop();
	process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
