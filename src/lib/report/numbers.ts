import { compactText, halfWidthTable, toHalfWidth } from './normalize';

/**
 * Numbers as a document prints them. Every number in a record comes through
 * here, under one rule: it is written in digits the way the document printed
 * it, it fits its column (a count is a non-negative whole number, 本年增/减 a
 * whole number, an amount a non-negative decimal), and it is exactly what the
 * digits say. A cell that breaks the rule has no value (null) and the mapping
 * reports it with the printed text; nothing is guessed or rounded into place.
 */

/** What a column holds: a count, a signed count (2019 本年增/减), or money (万元, 元). */
export type CellKind = 'count' | 'signed' | 'amount';

/** Why a cell that looks like a number has no value. */
export type CellProblem =
	| 'spaced' // digits broken by white space: "5 3" is not 53
	| 'too_long' // more digits than a number can hold exactly (…993 would become …992)
	| 'negative' // a sign where the column has none
	| 'fraction' // a decimal in a column of whole numbers
	| 'sign_word' // 增/减 as a sign where the column is not 本年增/减
	| 'not_number'; // words where a number belongs ("128左右"): read as no number, never as 0

/** What a table cell says, as a number. */
export interface CellValue {
	/** The number the cell prints, units applied; null when `problem` says why it has none. */
	value: number | null;
	/** Set when the cell was not a plain number: blank, a dash, 无, a unit. */
	note?: 'blank' | 'dash' | 'none' | 'unit_wan' | 'unit_yuan';
	/** A footnote mark printed after the number ("8*", "12①"), not part of it. */
	mark?: string;
	/** The agency printed an approximation ("约12"): the number is theirs, but not an exact count. */
	approx?: true;
	/** 增 or 减 printed as the number's sign ("增2", "减3"): a sign only in a signed column. */
	signWord?: '增' | '减';
	/** The number as printed in Chinese numerals ("十二", "一百零八"): read, and said so. */
	numeral?: string;
	problem?: CellProblem;
}

/** Cells that stand for zero without a digit: blanks aside, these are noted. */
const DASHES = new Set(['/', '／', '\\', '无', '無', '×']);

// 约 before the number is an approximation; 增/减 (增加/减少) its sign in 本年增/减; superscript digits after it
// ("12¹") a footnote's number, never more digits of the count.
const NUMBER_RE =
	/^(约|大约)?(增加|增|减少|减)?([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(件|个|個|项|項|条|條|次|人次|家|万元|萬元|元|亿元)?([*※\u2460-\u2473]|[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+)?$/;

/** Invisible characters some editors leave inside a cell; they print nothing. */
const INVISIBLE = /[\u200b\ufeff]/g;

/** Double precision holds 15 significant decimal digits exactly. */
const MAX_DIGITS = 15;

/**
 * Code units a value cell may hold (as toHalfWidth leaves them): white space,
 * zero-width, digits, sign, separators, units, dashes, 无. A cell with any other
 * unit is a label, known without building a string (every word of a prose line
 * is asked about).
 */
const VALUE_UNITS = halfWidthTable(
	/[\s\u200b\ufeff0-9+\-−,.件个個项項条條次人家万萬元亿—–－―─/／\\无無×*※\u2460-\u2473约大增减加少\u00b9\u00b2\u00b3\u2070\u2074-\u2079]/
);

function onlyValueUnits(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (VALUE_UNITS[text.charCodeAt(i)] === 0) return false;
	return true;
}

/** Significant digits of "integer.fraction" (leading and trailing zeros hold no information). */
function significantDigits(integer: string, fraction: string): number {
	const digits = (integer + fraction).replace(/^0+/, '');
	const trailing = fraction.length - fraction.replace(/0+$/, '').length;
	return Math.max(0, digits.length - trailing);
}

/**
 * Read a table cell. Returns undefined when the cell is not a value at all
 * (it holds a label). Blank → 0; "—", "/", "无" → 0 with a note; full-width
 * digits, thousands separators, a sign and a trailing unit are accepted.
 * Digits split by white space ("5 3", also NBSP, U+3000, U+2028) and numbers
 * with more digits than can be held exactly read as a value cell without a
 * value (`problem` set), never as another number.
 */
export function readCell(text: string): CellValue | undefined {
	// A parse asks about every cell and every word of prose, several times: the
	// commonest answers (plain digits, a label) come without a lookup.
	const plain = plainCount(text);
	if (plain) return plain;
	if (!onlyValueUnits(text)) return withNote(text) ?? chineseCell(text);
	if (text.length > 64) return readValueText(text); // never keep a long string alive in the cache
	const known = readCache.get(text);
	if (known !== undefined) return known ?? undefined;
	// Blanks, dashes and numbers with units repeat too; the answers are frozen because they are shared.
	const v = readValueText(text);
	if (readCache.size >= READ_CACHE_SIZE) readCache.clear();
	readCache.set(text, v ? Object.freeze(v) : null);
	return v;
}

/** A number, then a note in brackets ("12（注）", "8（含2件）"), after toHalfWidth. */
const NOTED = /^\s*([+-]?\d[\d,.]*\s*(?:件|个|项|条|次|人次|家|万元|元)?)\s*(\([^()]{1,30}\))\s*$/;

/** A value cell with a note in brackets after its number: the number, the note as its mark. Else not a value. */
function withNote(text: string): CellValue | undefined {
	// Most texts asked about are labels and prose: only one that ends in a bracket can be a number with a note.
	let end = text.length - 1;
	while (end >= 0 && text.charCodeAt(end) <= 32) end--;
	const last = text.charCodeAt(end);
	if (last !== 0x29 && last !== 0xff09) return undefined;
	const m = NOTED.exec(toHalfWidth(text));
	if (!m) return undefined;
	const v = readCell(m[1]);
	return v && v.value !== null && !v.note?.match(/^(blank|dash|none)$/) ? { ...v, mark: m[2] } : undefined;
}

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN_ZERO = /^[零〇]$/;

/**
 * Below 10,000 in Chinese numerals, written out in full: each place a digit
 * and its unit, the next place below (二百三十), or 零 for places skipped
 * (一百零八, 一千零八十). A bare digit after 百 or 千 ("一百二") is how speech
 * says 120 as often as 102: no number. `leading`: 十 may open it (十二).
 */
function cnSection(s: string, leading: boolean): number | undefined {
	let value = 0;
	/** The unit of the last place written (10,000: none yet). */
	let last = 10000;
	let zero = false;
	for (let i = 0; i < s.length; ) {
		const c = s[i];
		if (CN_ZERO.test(c)) {
			// 零 stands for places skipped between two written ones: once, after a place, before another.
			if (zero || value === 0 || i === s.length - 1) return undefined;
			zero = true;
			i++;
			continue;
		}
		const unit = CN_UNIT[s[i + 1]];
		const digit = CN_DIGIT[c];
		if (c === '十' && i === 0 && leading) {
			value = 10;
			last = 10;
			i++;
			continue;
		}
		if (digit === undefined) return undefined;
		const place = unit ?? 1;
		// 两 is a digit before a unit only (两百), never the ones.
		if (place === 1 && c === '两') return undefined;
		// The next place down, or (after 零) a lower one; a bare ones digit only after 十, after 零 or alone.
		if (value > 0 && (zero ? place * 10 >= last : place * 10 !== last)) return undefined;
		value += digit * place;
		last = place;
		zero = false;
		i += unit === undefined ? 1 : 2;
		if (place === 1 && i !== s.length) return undefined;
	}
	return value;
}

/** A whole number in Chinese numerals ("十二", "一百二十八", "一万零五百", "〇"), written out in full; else undefined. */
export function chineseNumber(s: string): number | undefined {
	if (CN_ZERO.test(s)) return 0;
	const wan = s.indexOf('万');
	if (wan < 0) return s ? cnSection(s, true) : undefined;
	if (wan === 0 || s.indexOf('万', wan + 1) >= 0) return undefined;
	// 两万: 两 stands before a unit, 万 among them.
	const high = s.slice(0, wan) === '两' ? 2 : cnSection(s.slice(0, wan), true);
	if (!high) return undefined;
	const rest = s.slice(wan + 1);
	if (rest === '') return high * 10000;
	// "一万二" is 12,000 in speech: below 万 the thousands are written (一万二千) or 零 says they are skipped (一万零五百).
	const low = CN_ZERO.test(rest[0]) ? cnSection(rest.slice(1), false) : cnSection(rest, false);
	if (low === undefined || (CN_ZERO.test(rest[0]) ? low === 0 || low >= 1000 : low < 1000)) return undefined;
	return high * 10000 + low;
}

/** A cell of Chinese numerals only: 约 may lead them, a count's unit follow (约十二件). */
const CN_CELL = /^(约|大约)?([零〇一二两三四五六七八九十百千万]+)(件|个|個|项|項|条|條|次|人次|家)?$/;
/** What such a cell may start with: most labels and prose words are turned away on their first character. */
const CN_FIRST = new Set('约大零〇一二两三四五六七八九十');

/** A count written in Chinese numerals ("十二", "约十二"): its value, said so (numeral); not a number: undefined. */
function chineseCell(text: string): CellValue | undefined {
	let i = 0;
	while (i < text.length && text.charCodeAt(i) <= 32) i++;
	if (!CN_FIRST.has(text[i])) return undefined;
	const m = CN_CELL.exec(compactText(text));
	if (!m) return undefined;
	const value = chineseNumber(m[2]);
	if (value === undefined) return undefined;
	return { value, numeral: m[2], ...(m[1] ? { approx: true as const } : {}) };
}

/** Cell text written as a number in Chinese numerals that are not written out in full ("一百二", "二〇二三"): no number we read. */
export function looksChineseNumeral(text: string): boolean {
	const m = CN_CELL.exec(compactText(text));
	return m !== null && chineseNumber(m[2]) === undefined;
}

/** The values of "0" to "999", shared (and so frozen). */
const SMALL_COUNTS = Array.from({ length: 1000 }, (_, value): CellValue => Object.freeze({ value }));

/** Plain digits, the commonest cell by far: no sign, separator, unit or space. */
function plainCount(text: string): CellValue | undefined {
	const n = text.length;
	if (n === 0 || n > 15) return undefined;
	for (let i = 0; i < n; i++) {
		const c = text.charCodeAt(i);
		if (c < 48 || c > 57) return undefined;
	}
	const value = Number(text);
	return value < SMALL_COUNTS.length ? SMALL_COUNTS[value] : { value };
}

const READ_CACHE_SIZE = 4096;
/** null: not a value (value characters that make no number, "1.2.3"). */
const readCache = new Map<string, CellValue | null>();

/** A cell of value characters only (onlyValueUnits) that is not plain digits. */
function readValueText(text: string): CellValue | undefined {
	const compact = compactText(text);
	if (compact === '') return { value: 0, note: 'blank' };
	if (DASHES.has(compact) || /^[-—–－―─]+$/.test(compact)) return { value: 0, note: compact === '无' || compact === '無' ? 'none' : 'dash' };
	const m = NUMBER_RE.exec(compact);
	if (!m) return undefined;
	const [, about, word, signText, integerText, fraction = '', unit, mark] = m;
	// A sign word and a sign both ("增-2") say two things: not a number.
	if (word && signText) return undefined;
	const signWord = word ? (word[0] as '增' | '减') : undefined;
	const note = unit === '万元' || unit === '萬元' || unit === '亿元' ? 'unit_wan' : unit === '元' ? 'unit_yuan' : undefined;
	// Nothing to add (nearly every number): the value as it is, not a copy of another shape.
	const plainNumber = !note && !mark && !about && !signWord;
	const noted = (v: CellValue): CellValue =>
		plainNumber
			? v
			: {
					...v,
					...(note ? { note } : {}),
					...(mark ? { mark } : {}),
					...(about ? { approx: true as const } : {}),
					...(signWord ? { signWord } : {})
				};
	if (/[\d.,]\s+[\d.,]/.test(toHalfWidth(text).replace(INVISIBLE, ''))) return noted({ value: null, problem: 'spaced' });
	const integer = integerText.replace(/,/g, '');
	const magnitude = Number(fraction ? `${integer}.${fraction}` : integer);
	const exact = fraction ? significantDigits(integer, fraction) <= MAX_DIGITS : Number.isSafeInteger(magnitude);
	if (!exact) return noted({ value: null, problem: 'too_long' });
	const negative = (signText === '-' || signText === '−' || signWord === '减') && magnitude !== 0;
	const value = (negative ? -magnitude : magnitude) * (unit === '亿元' ? 10000 : 1);
	return noted({ value });
}

/** True when the text reads as a value (a number, blank or dash). */
export function isValueText(text: string): boolean {
	return readCell(text) !== undefined;
}

/** The problem a read number has in a column of this kind, if any. */
function kindProblem(v: CellValue & { value: number }, kind: CellKind): CellProblem | undefined {
	const { value } = v;
	if (v.signWord && kind !== 'signed') return 'sign_word';
	if (value < 0 && kind !== 'signed') return 'negative';
	if (!Number.isInteger(value) && kind !== 'amount') return 'fraction';
	if (kind !== 'amount' && !Number.isSafeInteger(value)) return 'too_long';
	return undefined;
}

/**
 * A cell read for a column of `kind`: what readCell gives, with the number
 * held to the column's rule. A cell that is not a value at all (words where a
 * number belongs) has no value.
 */
export function readNumber(text: string, kind: CellKind): CellValue {
	// Plain digits, nearly every cell: a whole number of at most 15 digits breaks no column's rule.
	const plain = plainCount(text);
	if (plain) return plain;
	const v = readCell(text) ?? { value: null, problem: 'not_number' as const };
	if (v.value === null) return v;
	const problem = kindProblem(v as CellValue & { value: number }, kind);
	return problem ? { ...v, value: null, problem } : v;
}

const PROBLEM_TEXT: Record<CellProblem, string> = {
	spaced: '数字之间有空白，无法确定是哪个数',
	too_long: '位数过多，无法准确保存这个数',
	negative: '此栏不能为负数',
	fraction: '此栏应为整数',
	sign_word: '“增”“减”只在本年增/减栏表示正负，此栏不能读作数',
	not_number: '不是可读的数字'
};

/** A printed cell for a message: invisible and control characters made visible, long text cut. */
export function shownCell(text: string): string {
	const t = text.trim();
	const visible = t.replace(
		/[\u0000-\u001f\u007f-\u009f\u00a0\u2000-\u200f\u2028\u2029\u3000\ufeff]/g,
		(c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
	);
	return visible.length > 40 ? `${visible.slice(0, 40)}…（共 ${t.length} 个字符）` : visible;
}

/** Why the cell has no value, in the words a message uses. */
export function problemText(problem: CellProblem): string {
	return PROBLEM_TEXT[problem];
}

/** Round away binary noise from unit conversion (12.5 万元 → 125000 元). */
export function roundTo(value: number, decimals: number): number {
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}
