import { ReportError } from '../../errors';
import { inflatedSize } from '../inflate';

/**
 * Bounds on a PDF checked before and while pdf.js reads it. pdf.js decodes a
 * Flate stream whole into memory and has no option to cap it (a 1 GB flate
 * bomb took 2.5 GB), and it reads every page it is asked for (20,000 pages
 * took minutes). So the file's Flate streams are inflated here first, as
 * streams that only count bytes and stop at the cap, and the page count is
 * checked before any page is read. Images are left out: text extraction
 * never decodes them. Pure TypeScript (DecompressionStream).
 */

/** Real reports are at most ~60 pages; the caps leave wide room. */
export const MAX_PDF_PAGES = 1000;
/** Fonts and content streams of a real report inflate to a few MB. */
export const MAX_PDF_INFLATED_BYTES = 200 * 1024 * 1024;

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

export function checkPageCount(pages: number): void {
	if (pages > MAX_PDF_PAGES) throw new ReportError('too_many_pages', `PDF 有 ${pages} 页（上限 ${MAX_PDF_PAGES} 页；年度报告不过几十页），不予读取`);
}

/** Latin-1 text of a few bytes (a stream's dictionary), for finding PDF keywords without decoding the whole file. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
	return String.fromCharCode(...bytes.subarray(from, to));
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const STREAM = ascii('stream');
const END_STREAM = ascii('endstream');

/** The first index of `word` in `bytes` at or after `from`, or -1: a byte scan, no text made of the file. */
function indexOfBytes(bytes: Uint8Array, word: Uint8Array, from: number): number {
	for (let i = bytes.indexOf(word[0], from); i >= 0 && i + word.length <= bytes.length; i = bytes.indexOf(word[0], i + 1)) {
		let k = 1;
		while (k < word.length && bytes[i + k] === word[k]) k++;
		if (k === word.length) return i;
	}
	return -1;
}

/** Where the dictionary before a stream keyword starts: just after the last " obj" within 4 KB before it (or 4 KB back). */
function objectStart(bytes: Uint8Array, at: number): number {
	const from = Math.max(0, at - 4096);
	for (let i = at - 4; i >= from; i--) if (bytes[i] === 0x20 && bytes[i + 1] === 0x6f && bytes[i + 2] === 0x62 && bytes[i + 3] === 0x6a) return i + 1;
	return from;
}

/** Where each stream's data starts and ends, with the dictionary before it. */
function* streams(bytes: Uint8Array): Generator<{ dict: string; start: number; end: number }> {
	for (let at = indexOfBytes(bytes, STREAM, 0); at >= 0; at = indexOfBytes(bytes, STREAM, at + 1)) {
		// The keyword, then CRLF or LF; "endstream" also ends in "stream": skip it.
		const eol = bytes[at + 6] === 0x0d ? at + 7 : at + 6;
		if (bytes[eol] !== 0x0a || (at >= 3 && latin1(bytes, at - 3, at) === 'end')) continue;
		const dict = latin1(bytes, objectStart(bytes, at), at);
		const start = eol + 1;
		const end = indexOfBytes(bytes, END_STREAM, start);
		if (end < 0) return;
		yield { dict, start, end };
		at = end + 8;
	}
}

/**
 * Deflate's most: one bit each for a length-258 match and its distance, so
 * 258 bytes out per 2 bits in. A stream of n bytes never inflates past
 * 1032·n (+ a block's 258), so it need not be inflated to be bounded.
 */
const MAX_DEFLATE_RATIO = 1032;
const deflateBound = (n: number) => n * MAX_DEFLATE_RATIO + 258;

/**
 * Throw a ReportError when the PDF's Flate streams (images aside) inflate
 * past MAX_PDF_INFLATED_BYTES in total. Only as many streams are inflated
 * (counted, not kept), largest first, as it takes for the sizes counted plus
 * the most the others could inflate to to fit under the cap: a real report's
 * one or two largest font streams, not all twenty (the check was a tenth of a
 * PDF's parse when it inflated every stream).
 */
export async function checkPdfStreams(bytes: Uint8Array): Promise<void> {
	const flate: { start: number; end: number }[] = [];
	for (const { dict, start, end } of streams(bytes)) if (/\/FlateDecode|\/Fl\b/.test(dict) && !/\/Subtype\s*\/Image/.test(dict)) flate.push({ start, end });
	flate.sort((a, b) => b.end - b.start - (a.end - a.start));
	let bound = flate.reduce((n, f) => n + deflateBound(f.end - f.start), 0);
	let total = 0;
	for (const { start, end } of flate) {
		if (total + bound <= MAX_PDF_INFLATED_BYTES) return;
		bound -= deflateBound(end - start);
		total += await inflatedSize(bytes.subarray(start, end), 'deflate', MAX_PDF_INFLATED_BYTES - total);
		if (total > MAX_PDF_INFLATED_BYTES)
			throw new ReportError('inflated_too_large', `PDF 解压后过大：压缩的文字和字体数据超过 ${mb(MAX_PDF_INFLATED_BYTES)}（上限），可能是“压缩炸弹”，不予读取`);
	}
}
