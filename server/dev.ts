/** `npm run dev`: boot (embedded DB, migrations, demo), then Vite's dev server with the realtime server attached. */
import { createServer } from 'vite';
import { boot, demoBanner } from './boot.ts';

const { config, demo } = await boot();
const vite = await createServer({ server: { port: config.PORT, host: config.HOST } });
await vite.listen();
const url = `http://localhost:${config.PORT}`;
console.log(demo ? demoBanner(url) : `\n  kansho (dev) is running at ${url}\n`);
