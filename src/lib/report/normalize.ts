import * as OpenCC from 'opencc-js/t2cn';

/**
 * Text normalization shared by label matching, numbers and metadata:
 * full-width ASCII → half-width, ideographic space and NBSP → space.
 */
// What toHalfWidth does to each UTF-16 code unit: 0 keep, 1 → space, 2 → minus 0xfee0 (full-width ASCII).
const WIDE = new Uint8Array(0x10000);
WIDE.fill(2, 0xff01, 0xff5f);
for (const c of [0x3000, 0x00a0, 0x2002, 0x2003, 0x2009]) WIDE[c] = 1;

export function toHalfWidth(s: string): string {
	// Most strings have nothing to convert: find the first wide character before building anything.
	let i = 0;
	while (i < s.length && WIDE[s.charCodeAt(i)] === 0) i++;
	if (i === s.length) return s;
	let out = '';
	let start = 0;
	for (; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const kind = WIDE[c];
		if (kind === 0) continue;
		out += s.slice(start, i) + (kind === 2 ? String.fromCharCode(c - 0xfee0) : ' ');
		start = i + 1;
	}
	return out + s.slice(start);
}

/** A UTF-16 code unit as toHalfWidth leaves it. */
function halfOf(c: number): string {
	return WIDE[c] === 0 ? String.fromCharCode(c) : WIDE[c] === 1 ? ' ' : String.fromCharCode(c - 0xfee0);
}

/** One byte per UTF-16 code unit: 1 where `test` holds for the unit once made half-width. */
export function halfWidthTable(test: RegExp): Uint8Array {
	const table = new Uint8Array(0x10000);
	for (let c = 0; c < 0x10000; c++) if (test.test(halfOf(c))) table[c] = 1;
	return table;
}

/** Per code unit, from a table of units to drop: 0 keep, 1 drop, 2 keep as its half-width form. */
function dropTable(drop: RegExp): Uint8Array {
	const table = halfWidthTable(drop);
	for (let c = 0; c < 0x10000; c++) if (table[c] === 0 && WIDE[c] === 2) table[c] = 2;
	return table;
}

/** Half-width, without the code units a drop table drops, in one pass. */
function keepHalfWidth(s: string, table: Uint8Array): string {
	let out = '';
	let start = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		const kind = table[c];
		if (kind === 0) continue;
		out += s.slice(start, i);
		if (kind === 2) out += String.fromCharCode(c - 0xfee0);
		start = i + 1;
	}
	return start === 0 ? s : out + s.slice(start);
}

const COMPACT = dropTable(/[\s\u200b\ufeff]/);
const LABEL = dropTable(/[\s\u200b\ufeff()（）[\]【】《》〈〉<>“”"'‘’、，,。.:：;；·・\-—–_~～!！?？/／|]/);

/**
 * Half-width with every white space and zero-width character removed, the
 * form titles, periods and cells are compared in: `toHalfWidth(s).replace(/[\s\u200b\ufeff]+/g, '')`
 * in one pass (it runs over every line of a report).
 */
export function compactText(s: string): string {
	return keepHalfWidth(s, COMPACT);
}

/** Collapse runs of white space into one space and trim. */
export function squash(s: string): string {
	return s.replace(/\s+/g, ' ').trim();
}

/**
 * A label reduced to what carries meaning: half-width, no white space, no
 * punctuation or list numbering noise. "（二）部分公开（区分处理的…）" → "二部分公开区分处理的…".
 */
export function labelKey(s: string): string {
	return keepHalfWidth(s, LABEL);
}

// Characters that exist only in traditional script and are common in these
// reports; enough of them means the page is a 繁體 copy.
const TRADITIONAL_MARKERS = '報內資訊開務與請數總處結辦複議訴關與這實過個條際據應發權類機點義書計從單檔範規審維護歲負責並區縣廳處';
// One byte per UTF-16 code unit (all markers are in the BMP): a Set lookup per character was a quarter of an HTML page's parse.
const TRADITIONAL_TABLE = new Uint8Array(0x10000);
for (let i = 0; i < TRADITIONAL_MARKERS.length; i++) TRADITIONAL_TABLE[TRADITIONAL_MARKERS.charCodeAt(i)] = 1;

/** A 繁體 copy: 20 marker characters within the first 200,000 code units of the text, or of the texts taken in order. */
export function looksTraditional(texts: string | readonly string[]): boolean {
	let hits = 0;
	let budget = 200_000;
	for (const s of typeof texts === 'string' ? [texts] : texts) {
		const n = Math.min(s.length, budget);
		for (let i = 0; i < n; i++) if (TRADITIONAL_TABLE[s.charCodeAt(i)] && ++hits >= 20) return true;
		budget -= n;
		if (budget === 0) break;
	}
	return false;
}

let converter: ((s: string) => string) | undefined;

/** Traditional → simplified (OpenCC, with Taiwan phrases). */
export function toSimplified(s: string): string {
	converter ??= OpenCC.Converter({ from: 'tw', to: 'cn' });
	// Taiwan vocabulary that character conversion leaves: 資訊 is 信息 here.
	return converter(s).replace(/资讯/g, '信息');
}
