import { pdfResponse } from '$lib/server/letters/download';
import type { RequestHandler } from './$types';

/** GET /letters/:id/pdf → the batch's PDF (letters.manage), logged per household (letter.download) before it is sent. */
export const GET: RequestHandler = ({ locals, params }) => pdfResponse(locals.user!, params.id);
