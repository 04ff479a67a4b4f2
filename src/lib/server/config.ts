/**
 * Configuration, read once from the environment and validated. Both bundles (server/ and the SvelteKit
 * handler) call loadConfig(); a bad value stops the process at start with a message naming the variable.
 * Every key is documented in .env.example and the README.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseNetworks } from './security/trusted-networks.ts';

const bool = z
	.enum(['true', 'false', '1', '0', 'yes', 'no', 'auto'])
	.transform((v) => (v === 'auto' ? 'auto' : v === 'true' || v === '1' || v === 'yes'));

const schema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(1).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	ORIGIN: z.url().optional(),
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.optional(),
	REDIS_URL: z
		.string()
		.regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
		.optional(),
	DATA_DIR: z.string().min(1).default('./data'),
	EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(5491),
	DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
	SEED_DEMO: bool.default('auto'),
	DEMO_HOUSEHOLDS: z.coerce.number().int().min(10).max(2_000_000).default(28_000),
	/** absolute session lifetime from sign-in (never extended) */
	SESSION_TTL_HOURS: z.coerce.number().min(0.01).max(24 * 30).default(12),
	/** a session unused for this long ends (HTTP requests count as use; socket heartbeats do not) */
	SESSION_IDLE_MINUTES: z.coerce.number().min(1).max(24 * 60).default(30),
	/** sign-in lockout (src/lib/domain/login-backoff.ts): failures per login id before the first lock */
	LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
	LOGIN_LOCK_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
	LOGIN_LOCK_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
	/** failures from one client IP before it is locked (loose: a call center signs in from one address) */
	LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(50),
	/** sign-in attempts per client IP per minute */
	LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
	/** comma-separated CIDRs (the call center's own networks): no per-address sign-in lock or rate limit there */
	TRUSTED_NETWORKS: z
		.string()
		.max(4000)
		.default('')
		.superRefine((s, ctx) => {
			const { invalid } = parseNetworks(s);
			if (invalid.length) ctx.addIssue({ code: 'custom', message: `not a CIDR (e.g. 10.20.0.0/16): ${invalid.join(', ')}` });
		}),
	/** household lookups and searches per user per minute (src/lib/server/security/rate-limit.ts) */
	LOOKUP_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
	/** prefix of every Redis key kansho writes (lockout counters) */
	REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/, '1–64 letters, digits, : . _ -').default('kansho:'),
	COOKIE_SECURE: bool.default('auto'),
	/** security keys (WebAuthn): how long a key prompt and its challenge stay valid, in seconds */
	WEBAUTHN_TIMEOUT_SECONDS: z.coerce.number().int().min(30).max(600).default(120),
	/** how long a registration allowance (a new account's, or an administrator's recovery) lasts, in hours */
	WEBAUTHN_ENROL_HOURS: z.coerce.number().min(1).max(24 * 90).default(24),
	/** whether keys must verify the user (PIN or fingerprint): discouraged = touch only (USB keys without a PIN) */
	WEBAUTHN_USER_VERIFICATION: z.enum(['discouraged', 'preferred', 'required']).default('discouraged'),
	CLAIM_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
	/**
	 * enforce: 次の世帯 is refused outside the calling window of the calling rules (code outside_window). ignore: for
	 * automated tests, benchmarks and training runs outside calling hours only (never on a live floor); logged at start.
	 */
	CALLING_WINDOW: z.enum(['enforce', 'ignore']).default('enforce'),
	HEARTBEAT_SECONDS: z.coerce.number().int().min(2).max(300).default(20),
	PRESENCE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
	SWEEP_INTERVAL_SECONDS: z.coerce.number().min(0.2).max(300).default(5),
	/** the live views (supervisor console, wall): full recompute at least this often while someone watches (drift, time in state) */
	LIVE_RECOMPUTE_SECONDS: z.coerce.number().min(1).max(300).default(5),
	/** the live views' recompute after events they cannot patch exactly follows within this many ms (one per instance) */
	LIVE_DEBOUNCE_MS: z.coerce.number().int().min(50).max(5000).default(250),
	/** the console highlights a call (on a household) or a break longer than these, until supervisors store their own */
	LONG_CALL_MINUTES: z.coerce.number().int().min(1).max(240).default(15),
	LONG_BREAK_MINUTES: z.coerce.number().int().min(1).max(480).default(20),
	SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(300).default(20),
	UPLOAD_LIMIT_MB: z.coerce.number().int().min(1).max(10_240).default(1024),
	/** days after a case closes (household resolved) before the sweeper erases its personal data; 0 = never */
	RETENTION_DAYS_AFTER_CLOSE: z.coerce.number().int().min(0).max(3650).default(365),
	/** the ward and the contract as the erasure certificate names them (optional) */
	WARD_NAME: z.string().max(100).optional(),
	CONTRACT_NAME: z.string().max(200).optional(),
	/** how the talk scripts name the center, its phone number for callbacks, and its hours (e.g. 国保納付勧奨センター, 03-1234-5678, 平日9時〜20時) */
	CENTER_NAME: z.string().max(100).optional(),
	CENTER_PHONE: z.string().max(40).optional(),
	CENTER_HOURS: z.string().max(100).optional(),
	/** a Japanese font for PDFs: /path/font.ttf, or /path/fonts.ttc#PostScriptName; unset = the system's Noto CJK */
	PDF_FONT_PATH: z.string().max(1000).optional(),
	IMPORT_HEADER_ALIASES: z
		.string()
		.default('{}')
		.transform((s, ctx) => {
			try {
				const v = JSON.parse(s);
				if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>;
			} catch {
				// reported below
			}
			ctx.addIssue({ code: 'custom', message: 'must be a JSON object of header → contract header, e.g. {"ﾌﾘｶﾞﾅ":"氏名カナ"}' });
			return z.NEVER;
		}),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	INSTANCE_ID: z.string().min(1).default(`${os.hostname()}-${process.pid}`),
	TZ_DISPLAY: z.literal('Asia/Tokyo').default('Asia/Tokyo')
});

export type Config = z.infer<typeof schema> & { dataDir: string };

export class ConfigError extends Error {
	constructor(public readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Parse a given environment (pure: used by tests and by loadConfig). */
export function parseConfig(env: Record<string, string | undefined>): Config {
	// treat empty strings as unset, as shells and .env files often produce them
	const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
	const result = schema.safeParse(cleaned);
	if (!result.success) {
		throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
	}
	return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use (after server/ has set DATABASE_URL for the embedded database). */
export function loadConfig(): Config {
	cached ??= parseConfig(process.env);
	return cached;
}
