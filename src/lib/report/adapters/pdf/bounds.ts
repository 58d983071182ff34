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

/** Latin-1 view of bytes, for finding PDF keywords without decoding the whole file as text. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
	let s = '';
	for (let i = from; i < to; i += 8192) s += String.fromCharCode(...bytes.subarray(i, Math.min(to, i + 8192)));
	return s;
}

/** Where each stream's data starts and ends, with the dictionary before it. */
function* streams(text: string): Generator<{ dict: string; start: number; end: number }> {
	const keyword = /stream\r?\n/g;
	let m: RegExpExecArray | null;
	while ((m = keyword.exec(text))) {
		// "endstream" also ends in "stream": skip it.
		if (text.slice(m.index - 3, m.index) === 'end') continue;
		const before = text.slice(Math.max(0, m.index - 4096), m.index);
		const dict = before.slice(before.lastIndexOf(' obj') + 1);
		const start = m.index + m[0].length;
		const end = text.indexOf('endstream', start);
		if (end < 0) return;
		yield { dict, start, end };
		keyword.lastIndex = end + 9;
	}
}

/**
 * Throw a ReportError when the PDF's Flate streams (images aside) inflate
 * past MAX_PDF_INFLATED_BYTES in total.
 */
export async function checkPdfStreams(bytes: Uint8Array): Promise<void> {
	const text = latin1(bytes, 0, bytes.length);
	let total = 0;
	for (const { dict, start, end } of streams(text)) {
		if (!/\/FlateDecode|\/Fl\b/.test(dict) || /\/Subtype\s*\/Image/.test(dict)) continue;
		total += await inflatedSize(bytes.subarray(start, end), 'deflate', MAX_PDF_INFLATED_BYTES - total);
		if (total > MAX_PDF_INFLATED_BYTES)
			throw new ReportError('inflated_too_large', `PDF 解压后过大：压缩的文字和字体数据超过 ${mb(MAX_PDF_INFLATED_BYTES)}（上限），可能是“压缩炸弹”，不予读取`);
	}
}
