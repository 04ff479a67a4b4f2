/**
 * `npm run kansho -- create-user --login-id ID --name NAME --role ROLE [--locale ja|en]`: add a user from the
 * command line, e.g. the first administrator of an installation without the demo. The initial password is asked
 * for (not echoed) or read from standard input's first line; the password rule applies. Logged as admin.change
 * with no user id (the command line acts as the system).
 * Exit codes: 0 created, 1 refused (each bad field named), 2 usage.
 */
import os from 'node:os';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { finish, printRefusal } from './cli-finish.ts';

const USAGE = 'usage: npm run kansho -- create-user --login-id ID --name NAME --role operator|supervisor|staff|manager|admin|auditor [--locale ja|en]  (password on stdin or asked for)';

async function readPassword(): Promise<string> {
	if (!process.stdin.isTTY) {
		let all = '';
		for await (const chunk of process.stdin) all += chunk;
		return all.split(/\r?\n/)[0] ?? '';
	}
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
	let muted = false;
	out._writeToOutput = (s: string) => {
		if (!muted) out.output.write(s);
	};
	const ask = (q: string) =>
		new Promise<string>((resolve) => {
			rl.question(q, (a) => resolve(a));
			muted = true;
		});
	try {
		const first = await ask('initial password / 初期パスワード: ');
		muted = false;
		out.output.write('\n');
		const again = await ask('again / もう一度: ');
		muted = false;
		out.output.write('\n');
		if (first !== again) throw new Error('the two passwords differ / パスワードが一致しません');
		return first;
	} finally {
		rl.close();
	}
}

export async function createUserCommand(args: string[]): Promise<number> {
	let values: { 'login-id'?: string; name?: string; role?: string; locale?: string };
	try {
		values = parseArgs({
			args,
			options: { 'login-id': { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, locale: { type: 'string' } },
			strict: true,
			allowPositionals: false
		}).values;
	} catch (e) {
		console.error(`kansho: ${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	if (!values['login-id'] || !values.name || !values.role) {
		console.error(`kansho: --login-id, --name and --role are required\n${USAGE}`);
		return 2;
	}
	let password: string;
	try {
		password = await readPassword();
	} catch (e) {
		console.error(`kansho: ${(e as Error).message}`);
		return 1;
	}
	const { boot } = await import('./boot.ts');
	const { createUserBy } = await import('../src/lib/server/users/admin.ts');
	const { systemActor } = await import('../src/lib/server/auth/actor.ts');
	const { isDomainError } = await import('../src/lib/server/errors.ts');
	const b = await boot({ migrate: true, seed: false });
	try {
		const { id } = await createUserBy(systemActor(`cli:${os.userInfo().username}`), {
			loginId: values['login-id'],
			displayName: values.name,
			role: values.role,
			password,
			...(values.locale ? { locale: values.locale } : {})
		});
		console.log(`kansho: user ${values['login-id']} created (id ${id}, role ${values.role})`);
		return 0;
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			printRefusal(e.details, 'nothing was created');
			return 1;
		}
		throw e;
	} finally {
		await finish(b);
	}
}
