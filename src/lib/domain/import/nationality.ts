/**
 * Nationality as the ward writes it (an ISO code or a label) → ISO 3166 alpha-2, and the talk-script language for
 * a household whose head has it. Pure.
 */
const labels: Record<string, string> = {
	日本: 'JP', ベトナム: 'VN', 'ベトナム社会主義共和国': 'VN', ネパール: 'NP', 中国: 'CN', 中華人民共和国: 'CN', 台湾: 'TW',
	韓国: 'KR', 大韓民国: 'KR', 朝鮮: 'KP', ミャンマー: 'MM', フィリピン: 'PH', タイ: 'TH', インドネシア: 'ID', インド: 'IN',
	スリランカ: 'LK', バングラデシュ: 'BD', モンゴル: 'MN', ウズベキスタン: 'UZ', アメリカ: 'US', 米国: 'US', イギリス: 'GB',
	英国: 'GB', フランス: 'FR', ブラジル: 'BR', ペルー: 'PE', ロシア: 'RU'
};

const languages: Record<string, string> = {
	JP: 'ja', VN: 'vi', NP: 'ne', CN: 'zh', TW: 'zh', KR: 'ko', KP: 'ko', MM: 'my', PH: 'en', TH: 'th', ID: 'id', IN: 'en',
	LK: 'si', BD: 'bn', MN: 'mn', UZ: 'uz', US: 'en', GB: 'en', FR: 'fr', BR: 'pt', PE: 'es', RU: 'ru'
};

/** ISO alpha-2 for a code or label; the trimmed text itself when unknown; null when empty. */
export function nationalityCode(raw: string | null | undefined): string | null {
	const t = (raw ?? '').normalize('NFKC').trim();
	if (t === '') return null;
	if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
	return labels[t] ?? t;
}

/** The talk-script language for a nationality (Japanese when unknown or Japanese; English for other foreigners). */
export function languageFor(nationality: string | null | undefined): string {
	const code = nationalityCode(nationality);
	if (code === null || code === 'JP') return 'ja';
	return languages[code] ?? 'en';
}

/** For SQL: the code → language table. */
export const languageTable = languages;
