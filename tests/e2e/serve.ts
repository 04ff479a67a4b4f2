/**
 * The e2e server: exactly `npm start`'s server/index.ts, with no DATABASE_URL (so the embedded PostgreSQL starts
 * and loads the demo on first start) in a fresh data directory. This run is the test that `npm start` comes up on
 * the embedded database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = path.join(os.tmpdir(), 'kansho-e2e-data');
fs.rmSync(dir, { recursive: true, force: true });
delete process.env.DATABASE_URL;
process.env.DATA_DIR = dir;
process.env.PORT = process.env.E2E_PORT ?? '3102';
process.env.EMBEDDED_PG_PORT ??= '5497';
process.env.DEMO_HOUSEHOLDS ??= '3000';
process.env.HEARTBEAT_SECONDS ??= '5';
process.env.SWEEP_INTERVAL_SECONDS ??= '1';
process.env.LOG_LEVEL ??= 'warn';
await import('../../server/index.ts');
