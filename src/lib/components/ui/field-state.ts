/**
 * aria-invalid / aria-describedby for an input whose message FieldError shows under `errorId` (by default
 * `${field}-error`; pages with several forms give their own, e.g. `best-time-from-error`).
 */
export function fieldState(details: Record<string, string> | null | undefined, field: string, hintId?: string, errorId = `${field}-error`) {
	const bad = Boolean(details?.[field]);
	const describedBy = [bad ? errorId : null, hintId ?? null].filter(Boolean).join(' ');
	return { 'aria-invalid': bad ? ('true' as const) : undefined, 'aria-describedby': describedBy || undefined };
}
