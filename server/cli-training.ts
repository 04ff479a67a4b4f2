/**
 * `npm run kansho -- training record --course CODE --date YYYY-MM-DD --login-id ID [--login-id ID …] [--place P]
 * [--trainer T] [--json]`: record completions held elsewhere (e.g. the paper records of the personal-information
 * protection training when kansho is introduced: without a recorded completion of the `privacy` course an operator
 * gets no household data). All or nothing. Logged as training.change with no user id (the command line acts as the
 * system). Exit codes: 0 recorded, 1 refused (each bad field named, nothing recorded), 2 usage.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { finish, printRefusal } from './cli-finish.ts';

const USAGE = 'usage: npm run kansho -- training record --course CODE --date YYYY-MM-DD --login-id ID [--login-id ID …] [--place PLACE] [--trainer NAME] [--json]';

export async function trainingCommand(args: string[]): Promise<number> {
	const [sub, ...rest] = args;
	if (sub !== 'record') {
		console.error(`kansho: unknown training command ${sub ?? '(none)'}\n${USAGE}`);
		return 2;
	}
	let values: { course?: string; date?: string; 'login-id'?: string[]; place?: string; trainer?: string; json?: boolean };
	try {
		values = parseArgs({
			args: rest,
			options: {
				course: { type: 'string' },
				date: { type: 'string' },
				'login-id': { type: 'string', multiple: true },
				place: { type: 'string' },
				trainer: { type: 'string' },
				json: { type: 'boolean' }
			},
			strict: true,
			allowPositionals: false
		}).values;
	} catch (e) {
		console.error(`kansho: ${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	if (!values.course || !values.date || !values['login-id']?.length) {
		console.error(`kansho: --course, --date and at least one --login-id are required\n${USAGE}`);
		return 2;
	}
	const { boot } = await import('./boot.ts');
	const { recordCompletions } = await import('../src/lib/server/training/training.ts');
	const { systemActor } = await import('../src/lib/server/auth/actor.ts');
	const { isDomainError } = await import('../src/lib/server/errors.ts');
	const b = await boot({ migrate: true, seed: false });
	try {
		const r = await recordCompletions(systemActor(`cli:${os.userInfo().username}`), {
			courseCode: values.course,
			date: values.date,
			loginIds: values['login-id'].flatMap((l) => l.split(',')).filter(Boolean),
			place: values.place ?? '',
			trainer: values.trainer ?? ''
		});
		if (values.json) console.log(JSON.stringify({ recorded: true, sessionId: r.sessionId, users: r.users }));
		else console.log(`kansho: completions of ${values.course} on ${values.date} recorded for ${r.users} user(s) (session ${r.sessionId})`);
		return 0;
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			if (values.json) console.log(JSON.stringify({ recorded: false, problems: e.details ?? {} }));
			printRefusal(e.details, 'nothing was recorded');
			return 1;
		}
		throw e;
	} finally {
		await finish(b);
	}
}
