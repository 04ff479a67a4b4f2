/** aria-invalid / aria-describedby for an input whose message FieldError shows under id `${field}-error`. */
export function fieldState(details: Record<string, string> | null | undefined, field: string, hintId?: string) {
	const bad = Boolean(details?.[field]);
	const describedBy = [bad ? `${field}-error` : null, hintId ?? null].filter(Boolean).join(' ');
	return { 'aria-invalid': bad ? ('true' as const) : undefined, 'aria-describedby': describedBy || undefined };
}
