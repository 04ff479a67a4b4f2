import { labelsResponse } from '$lib/server/letters/download';
import type { RequestHandler } from './$types';

/** GET /letters/:id/labels?encoding=cp932|utf8 → the address labels (宛名ラベル) CSV (letters.manage), logged per household. */
export const GET: RequestHandler = ({ locals, params, url }) => labelsResponse(locals.user!, params.id, url.searchParams.get('encoding') ?? undefined);
