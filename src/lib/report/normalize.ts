import * as OpenCC from 'opencc-js/t2cn';

/**
 * Text normalization shared by label matching, numbers and metadata:
 * full-width ASCII → half-width, ideographic space and NBSP → space.
 */
const WIDE = /[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009]/g;

export function toHalfWidth(s: string): string {
	return s.replace(WIDE, (ch) => {
		const c = ch.charCodeAt(0);
		return c >= 0xff01 && c <= 0xff5e ? String.fromCharCode(c - 0xfee0) : ' ';
	});
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
	return toHalfWidth(s)
		.replace(/[\s\u200b\ufeff]+/g, '')
		.replace(/[()（）[\]【】《》〈〉<>“”"'‘’、，,。.:：;；·・\-—–_~～!！?？/／|]/g, '');
}

// Characters that exist only in traditional script and are common in these
// reports; enough of them means the page is a 繁體 copy.
const TRADITIONAL_MARKERS = '報內資訊開務與請數總處結辦複議訴關與這實過個條際據應發權類機點義書計從單檔範規審維護歲負責並區縣廳處';
const TRADITIONAL_SET = new Set(TRADITIONAL_MARKERS);

export function looksTraditional(s: string): boolean {
	let hits = 0;
	const limit = Math.min(s.length, 200_000);
	for (let i = 0; i < limit; i++) {
		if (TRADITIONAL_SET.has(s[i]) && ++hits >= 20) return true;
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
