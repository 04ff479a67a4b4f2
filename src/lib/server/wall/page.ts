/** The load function shared by the pages that show the wall snapshot (wall, supervisor console, manager). */
import type { ServerLoadEvent } from '@sveltejs/kit';
import { wallSnapshot } from './wall.ts';
import { loadError } from '../http.ts';

export async function loadWallSnapshot({ locals }: Pick<ServerLoadEvent, 'locals'>) {
	try {
		return { snap: await wallSnapshot(locals.user!) };
	} catch (e) {
		loadError(e);
	}
}
