import type { Actor } from '$lib/server/auth/actor';
import type { Locale } from '$lib/i18n';

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
			locale: Locale;
			requestId: string;
		}
	}
}

export {};
