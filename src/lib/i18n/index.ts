/**
 * i18n with i18next: Japanese by default, English as a switch. One i18next instance holds both languages;
 * each request (and the browser) uses a translator fixed to its locale, so concurrent SSR requests in different
 * languages never share state.
 */
import i18next, { type TFunction } from 'i18next';
import { getContext, setContext } from 'svelte';
import { ja } from './ja.ts';
import { en } from './en.ts';
import { securityKeysEn, securityKeysJa } from './security-keys.ts';
import { segmentsEn, segmentsJa } from './segments.ts';
import { displaysEn, displaysJa } from './displays.ts';
import { floorEn, floorJa } from './floor.ts';
import { chartsEn, chartsJa } from './charts.ts';
import { liveEn, liveJa } from './live.ts';
import { handoffsEn, handoffsJa } from './handoffs.ts';
import { promisesEn, promisesJa } from './promises.ts';
import { lettersEn, lettersJa } from './letters.ts';
import { trainingEn, trainingJa } from './training.ts';
import { trainingModeEn, trainingModeJa } from './training-mode.ts';
import { performanceEn, performanceJa } from './performance.ts';
import { bestTimeEn, bestTimeJa } from './best-time.ts';
import { reportsEn, reportsJa } from './reports.ts';
import { planEn, planJa } from './plan.ts';
import { effectEn, effectJa } from './effect.ts';

export const locales = ['ja', 'en'] as const;
export type Locale = (typeof locales)[number];
export const LOCALE_COOKIE = 'kansho_locale';

export function isLocale(x: unknown): x is Locale {
	return x === 'ja' || x === 'en';
}

const instance = i18next.createInstance();
void instance.init({
	initAsync: false,
	lng: 'ja',
	fallbackLng: 'ja',
	// a feature's messages may live in a file of their own (both languages side by side), merged in here
	resources: {
		ja: { translation: [securityKeysJa, segmentsJa, displaysJa, floorJa, chartsJa, liveJa, handoffsJa, promisesJa, lettersJa, trainingJa, trainingModeJa, performanceJa, bestTimeJa, reportsJa, planJa, effectJa].reduce<Tree>((a, b) => merged(a, b), ja) },
		en: { translation: [securityKeysEn, segmentsEn, displaysEn, floorEn, chartsEn, liveEn, handoffsEn, promisesEn, lettersEn, trainingEn, trainingModeEn, performanceEn, bestTimeEn, reportsEn, planEn, effectEn].reduce<Tree>((a, b) => merged(a, b), en) }
	},
	interpolation: { escapeValue: false }, // Svelte escapes
	returnNull: false
});

type Tree = { [k: string]: unknown };

/** `base` with `extra`'s keys added at every depth (extra wins on a clash). */
function merged(base: object, extra: object): Tree {
	const out: Tree = { ...(base as Tree) };
	for (const [k, v] of Object.entries(extra)) {
		const b = out[k];
		out[k] = v && typeof v === 'object' && b && typeof b === 'object' ? merged(b, v) : v;
	}
	return out;
}

export type T = (key: string, vars?: Record<string, unknown>) => string;

export function translator(locale: Locale): T {
	const t: TFunction = instance.getFixedT(locale);
	return (key, vars) => t(key, vars ?? {}) as string;
}

const KEY = Symbol('i18n');

export function setI18n(value: { locale: Locale; t: T }) {
	setContext(KEY, value);
}

/** The context setI18n would give a component tree, for rendering a component on its own (svelte/server in unit tests). */
export function i18nContext(locale: Locale): Map<symbol, { locale: Locale; t: T }> {
	return new Map([[KEY, { locale, t: translator(locale) }]]);
}

/** The translator of the current component tree. */
export function useI18n(): { locale: Locale; t: T } {
	return getContext(KEY);
}
