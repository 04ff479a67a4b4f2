/**
 * What the desk's and the staff page's phone lists share: whether a number on a household card can be dialled, and
 * where it came from in the user's language (an unknown source says so rather than show its code).
 */
import type { HouseholdCard } from '$lib/server/households/households';

type CardPhone = NonNullable<HouseholdCard['phones']>[number];

export const callablePhone = (p: CardPhone): boolean => p.valid && p.status === 'active' && !!p.digits;

export function phoneSourceLabel(t: (key: string) => string, source: string): string {
	const key = `operator.phone.sources.${source}`;
	const label = /^[a-z_]+$/.test(source) ? t(key) : key;
	return label === key ? t('operator.phone.sources.other') : label;
}
