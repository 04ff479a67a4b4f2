/**
 * The 町名 (town name) of an address as the ward's system writes it: kansho stores it as the household's
 * `district`, which the segment editor's district filter, inbound search and the reports by district use. Pure.
 *
 * The address may start with a postal code (〒160-0023), the prefecture (東京都), a city (八王子市) and the ward
 * (新宿区), all optional; the town is what follows, up to where its number starts:
 * - a digit, half- or full-width (西新宿2-8-1, 西新宿２丁目, 百人町1-2-3, 若松町120番地);
 * - a kanji numeral followed by 丁目 or 番地, or by 番 and another numeral (四谷一丁目, 余丁町十二番地, 若松町十二番三号).
 *   A kanji numeral anywhere else is part of the name: 四谷, 余丁町, 三栄町, 二十騎町, 市谷八幡町, 一番町, 六番町;
 * - a space (the building after it: 余丁町 メゾン新宿), a comma, a bracket, a line break;
 * - a building name written straight after the town without a number: a run of two or more katakana (ー
 *   included) or a Latin letter (西新宿パークタワー → 西新宿). A single katakana between kanji stays (霞ケ関,
 *   虎ノ門, 市ケ谷).
 * Without any of these the whole rest is the town. No town (empty, only the ward, only a building): null.
 */

/** 〒, prefecture, city, ward: each optional, in this order, with spaces between them or not. */
const PREFIX = new RegExp(
	'^[\\s\\u3000]*' +
		'(?:〒?[\\s\\u3000]*[0-9０-９]{3}[-‐－−ー]?[0-9０-９]{4}[\\s\\u3000]*)?' +
		'(?:(?:東京都|北海道|京都府|大阪府|[^\\s\\u3000区市0-9０-９]{2,3}県)[\\s\\u3000]*)?' +
		'(?:[^\\s\\u3000区市0-9０-９]{1,5}市[\\s\\u3000]*)?' +
		'(?:[^\\s\\u3000区市0-9０-９]{1,4}区[\\s\\u3000]*)?'
);

const KANJI_DIGITS = '一二三四五六七八九十〇百千';

/**
 * Where the town ends in the rest of the address: a digit; a kanji numeral that numbers a 丁目 or 番地 (or a 番
 * followed by another numeral); a separator; the start of a building name (2+ katakana, a Latin letter).
 */
const BOUNDARY = new RegExp(
	'[0-9０-９]' +
		`|[${KANJI_DIGITS}]+(?:丁目|番地|番(?=[${KANJI_DIGITS}0-9０-９]))` +
		'|[\\s\\u3000,，、()（）「」\\[\\]［］]' +
		'|[\\u30A1-\\u30FA\\u30FC\\uFF66-\\uFF9F]{2,}' +
		'|[A-Za-zＡ-Ｚａ-ｚ]'
);

/** The 町名 of an address (see the module's comment), or null when it names none. */
export function townOf(address: string | null | undefined): string | null {
	if (!address) return null;
	const prefix = PREFIX.exec(address);
	const rest = prefix ? address.slice(prefix[0].length) : address;
	const end = BOUNDARY.exec(rest);
	const town = (end ? rest.slice(0, end.index) : rest).replace(/[-‐－−ー]+$/, '');
	return town === '' ? null : town;
}
