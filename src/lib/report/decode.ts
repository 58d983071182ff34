/**
 * Bytes → text. BOM first; then UTF-8 if the bytes are valid UTF-8 (a page
 * that declares gb2312 but is UTF-8 is common); then the declared charset;
 * then GB18030 or Big5, whichever reads more like a report.
 */

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5';

export interface Decoded {
	text: string;
	encoding: Encoding;
}

const REPORT_WORDS = /政府信息|信息公开|申请|年度报告|行政复议|資訊|公開|申請|報告/g;

function score(text: string): number {
	const head = text.slice(0, 200_000);
	// match() counts what matchAll counts, without a match object per word.
	const words = head.match(REPORT_WORDS)?.length ?? 0;
	const bad = head.match(/\ufffd/g)?.length ?? 0;
	return words * 10 - bad;
}

/** Whether `word` (lower-case ASCII letters) is in the bytes, in any case. */
function hasAsciiWord(bytes: Uint8Array, word: string): boolean {
	const first = word.charCodeAt(0);
	outer: for (let i = 0; i + word.length <= bytes.length; i++) {
		if ((bytes[i] | 0x20) !== first) continue;
		for (let k = 1; k < word.length; k++) if ((bytes[i + k] | 0x20) !== word.charCodeAt(k)) continue outer;
		return true;
	}
	return false;
}

function declaredCharset(bytes: Uint8Array): string | undefined {
	// Look at the first 4 KB as Latin-1: enough for <meta charset> and XML declarations.
	// Decoding them costs more than a whole GBK report's decode; a plain-text file declares nothing.
	const bytesHead = bytes.subarray(0, 4096);
	if (!hasAsciiWord(bytesHead, 'charset') && !hasAsciiWord(bytesHead, 'encoding')) return undefined;
	const head = new TextDecoder('latin1').decode(bytesHead).toLowerCase();
	const m = /charset\s*=\s*["']?\s*([a-z0-9_-]+)/.exec(head) ?? /encoding\s*=\s*["']([a-z0-9_-]+)/.exec(head);
	return m?.[1];
}

function tryDecode(bytes: Uint8Array, label: string, fatal: boolean): string | undefined {
	try {
		return new TextDecoder(label, { fatal }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** Bytes decoded to tell a GBK file from UTF-8 with a few bad bytes: a GBK report's first Chinese line settles it. */
const PREFIX = 2048;

/**
 * Whether the bytes decoded as UTF-8 would hold more than one U+FFFD per thousand code units, told from a prefix
 * without decoding the whole file (a GBK file): the prefix's characters are the whole text's, bar one U+FFFD for a
 * sequence cut at its end, and the whole text has at most one code unit per byte.
 */
function tooManyBad(bytes: Uint8Array): boolean {
	if (bytes.length <= PREFIX) return false;
	const head = new TextDecoder('utf-8').decode(bytes.subarray(0, PREFIX));
	let bad = -1; // the cut sequence's
	for (let i = head.indexOf('\ufffd'); i >= 0 && bad * 1000 <= bytes.length; i = head.indexOf('\ufffd', i + 1)) bad++;
	return bad * 1000 > bytes.length;
}

export function decodeBytes(bytes: Uint8Array): Decoded {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };

	const utf8 = tryDecode(bytes, 'utf-8', true);
	if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8' };
	// UTF-8 but for a few bad bytes (a GBK character pasted in, a damaged byte): GB18030 would garble every other character.
	if (!tooManyBad(bytes)) {
		const lenient = new TextDecoder('utf-8').decode(bytes);
		let bad = 0;
		for (let i = lenient.indexOf('\ufffd'); i >= 0 && bad * 1000 <= lenient.length; i = lenient.indexOf('\ufffd', i + 1)) bad++;
		if (bad * 1000 <= lenient.length && score(lenient) > 0) return { text: lenient, encoding: 'utf-8' };
	}

	const declared = declaredCharset(bytes);
	const gb = new TextDecoder('gb18030').decode(bytes);
	if (declared && /^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn)$/.test(declared)) return { text: gb, encoding: 'gb18030' };
	const big5 = new TextDecoder('big5').decode(bytes);
	if (declared && /^(big5|big5-hkscs|x-x-big5|cp950)$/.test(declared)) return { text: big5, encoding: 'big5' };
	return score(big5) > score(gb) ? { text: big5, encoding: 'big5' } : { text: gb, encoding: 'gb18030' };
}
