import { pdfResponse } from '$lib/server/letters/download';
import type { RequestHandler } from './$types';

/**
 * GET /operator/letters/:id/pdf → the PDF of a batch assigned to this operator (letters.print; any other batch: 403),
 * logged per household. Inline: the page's link says 「PDFを開いて印刷」, so the browser opens it to print.
 */
export const GET: RequestHandler = ({ locals, params }) => pdfResponse(locals.user!, params.id, 'inline');
