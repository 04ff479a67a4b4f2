/**
 * i18n with i18next: Japanese by default, English as a switch. One i18next instance holds both languages;
 * each request (and the browser) uses a translator fixed to its locale, so concurrent SSR requests in different
 * languages never share state.
 */
import i18next, { type TFunction } from 'i18next';
import { getContext, setContext } from 'svelte';
import { ja } from './ja.ts';
import { en } from './en.ts';

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
	resources: { ja: { translation: ja }, en: { translation: en } },
	interpolation: { escapeValue: false }, // Svelte escapes
	returnNull: false
});

export type T = (key: string, vars?: Record<string, unknown>) => string;

export function translator(locale: Locale): T {
	const t: TFunction = instance.getFixedT(locale);
	return (key, vars) => t(key, vars ?? {}) as string;
}

const KEY = Symbol('i18n');

export function setI18n(value: { locale: Locale; t: T }) {
	setContext(KEY, value);
}

/** The translator of the current component tree. */
export function useI18n(): { locale: Locale; t: T } {
	return getContext(KEY);
}
