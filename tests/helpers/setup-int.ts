// Runs in each integration worker before the test files: point the app's pool at the test database.
import { afterAll, inject } from 'vitest';
import { removeTempDirs } from './ward-files.ts';

process.env.DATABASE_URL = inject('databaseUrl');
process.env.DB_POOL_MAX ??= '20';
process.env.LOG_LEVEL ??= 'silent';
// tests run at any hour and on weekends: claims are not refused outside the calling window (queue.int.test.ts enforces it)
process.env.CALLING_WINDOW ??= 'ignore';

// the ward files a test file wrote go with it
afterAll(removeTempDirs);
