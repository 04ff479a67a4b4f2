/** Shared boundary schemas (zod). */
import { z } from 'zod';

/** A database id: a positive whole number, given as a number or a string of digits. */
export const id = z
	.union([z.number(), z.string().trim().regex(/^\d{1,15}$/, 'must be a whole number').transform(Number)])
	.pipe(z.number().int('must be a whole number').positive('must be above 0').max(Number.MAX_SAFE_INTEGER));

/** Whole yen above 0, given as a number or a string of digits. */
export const yenAmount = z
	.union([z.number(), z.string().trim().regex(/^\d{1,12}$/, 'whole yen').transform(Number)])
	.pipe(z.number().int('whole yen').positive('above 0').max(1e12));

/** A calendar date 'YYYY-MM-DD' that exists (2024-02-30 does not). */
export const isoDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
	.refine((s) => {
		const d = new Date(`${s}T00:00:00Z`);
		return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
	}, 'not a real date');
