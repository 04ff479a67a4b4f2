import type { Actor } from '$lib/server/auth/actor';
import type { Locale } from '$lib/i18n';
import type { Display } from '$lib/server/display/display';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** stable error code (errors.ts) */
			code?: string;
			/** log correlation id for internal errors */
			id?: string;
		}
		interface Locals {
			user: (Actor & { sessionId: string }) | null;
			/** a wall PC's display token (on /wall only, when no one is signed in): src/lib/server/display */
			display: Display | null;
			locale: Locale;
			requestId: string;
			/** the data set this request works (issue #9): 'training' for a trainee's desk, else 'real' (src/lib/server/mode.ts) */
			dataMode: 'real' | 'training';
		}
	}
}

export {};
