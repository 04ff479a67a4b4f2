import { loadWallSnapshot } from '$lib/server/wall/page';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = loadWallSnapshot;
