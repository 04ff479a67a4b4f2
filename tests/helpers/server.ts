/** Start real kansho instances (server/index.ts, the built SvelteKit handler) for tests, and stop them. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as ioClient, type Socket } from 'socket.io-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Instance {
	url: string;
	proc: ChildProcess;
	output: () => string;
	stop: () => Promise<number | null>;
}

export async function startInstance(opts: { port: number; env?: Record<string, string | undefined>; readyTimeoutMs?: number }): Promise<Instance> {
	let out = '';
	const env: Record<string, string | undefined> = { ...process.env, PORT: String(opts.port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
		// tests run at any hour and on weekends: claims are not refused outside the calling window (a test may set enforce)
		CALLING_WINDOW: process.env.CALLING_WINDOW ?? 'ignore', ...opts.env };
	delete env.VITEST;
	delete env.VITEST_POOL_ID;
	delete env.VITEST_WORKER_ID;
	delete env.NODE_OPTIONS;
	const proc = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	proc.stdout!.on('data', (d) => (out += d));
	proc.stderr!.on('data', (d) => (out += d));
	const url = `http://127.0.0.1:${opts.port}`;
	// an embedded PostgreSQL's first start with the demo takes longer than a server on a running database
	const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`instance on ${opts.port} exited (${proc.exitCode}):\n${out}`);
		try {
			const r = await fetch(`${url}/readyz`);
			if (r.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`instance on ${opts.port} did not become ready:\n${out}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		url,
		proc,
		output: () => out,
		stop: () =>
			new Promise((resolve) => {
				if (proc.exitCode !== null) return resolve(proc.exitCode);
				const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
				proc.once('exit', (code) => {
					clearTimeout(t);
					resolve(code);
				});
				proc.kill('SIGTERM');
			})
	};
}

export function connectSocket(url: string, token: string | null): Socket {
	return ioClient(url, {
		transports: ['websocket'],
		extraHeaders: token ? { cookie: `kansho_session=${token}` } : {},
		reconnection: false,
		forceNew: true
	});
}

export function once<T = unknown>(socket: Socket, event: string, ms = 5000): Promise<T> {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
		socket.once(event, (data: T) => {
			clearTimeout(t);
			resolve(data);
		});
	});
}

export async function api(url: string, token: string, method: string, body?: unknown) {
	const r = await fetch(url, {
		method,
		headers: { cookie: `kansho_session=${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
		redirect: 'manual'
	});
	const text = await r.text();
	let json: any = null;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON
	}
	return { status: r.status, json, text };
}
