/**
 * A guard against the import that would empty the queue by mistake: a full snapshot (世帯・個人・収納) resolves
 * every household it no longer contains, so a partial file sent as the full set (a test extract, one district, a
 * file cut short) would take most households out of the queue in one click. Applying such a set from the admin page
 * needs an explicit confirmation naming the count. The command line is unchanged: the ward's batch job sends the
 * whole set, and its report shows `resolved`.
 */

/** From this many households resolved… */
export const MASS_RESOLVE_MIN = 100;
/** …and this share of the households that were in arrears before the import, the apply asks for confirmation. */
export const MASS_RESOLVE_SHARE = 0.1;

/**
 * Whether a dry run's resolution is large enough to confirm: `resolved` households leave the queue, `inArrearsAfter`
 * stay in arrears after the import (so the share is resolved ÷ (resolved + inArrearsAfter), the households in
 * arrears before it that this import is about).
 */
export function needsResolveConfirmation(resolved: number, inArrearsAfter: number): boolean {
	if (!Number.isFinite(resolved) || resolved < MASS_RESOLVE_MIN) return false;
	const before = resolved + Math.max(0, inArrearsAfter);
	return before > 0 && resolved / before >= MASS_RESOLVE_SHARE;
}
