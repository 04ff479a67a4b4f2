/** Structured JSON logs (pino). One logger per bundle; children carry a module name. */
import pino from 'pino';
import { loadConfig } from './config.ts';

let root: pino.Logger | undefined;

export function logger(module?: string): pino.Logger {
	if (!root) {
		const cfg = loadConfig();
		root = pino({
			level: process.env.VITEST ? (process.env.LOG_LEVEL ?? 'silent') : cfg.LOG_LEVEL,
			base: { instance: cfg.INSTANCE_ID },
			redact: ['password', '*.password', 'cookie', 'req.headers.cookie']
		});
	}
	return module ? root.child({ module }) : root;
}
