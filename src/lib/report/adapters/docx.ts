import type { ReportDocument } from '../document';
import { ReportError } from '../errors';
import { htmlAdapter } from './html';
import { checkZipBounds, readEntry, replaceEntry } from './zip';

/**
 * Word adapters. A .docx goes through mammoth (1.13.0) to HTML — merged
 * cells come out as rowspan/colspan (w:vMerge, w:gridSpan), empty cells as
 * empty <td> — and then through the HTML adapter, so Word tables are read
 * exactly like web pages. mammoth is imported lazily and runs in Node and in
 * the browser (its package.json maps the Node-only file access away).
 *
 * Legacy binary .doc is refused with a clear message. word-extractor 1.0.4
 * was tried: it reads a .doc in Node, but needs fs/stream (no browser), and
 * its text ends cells and rows with the same tab, so empty cells and row
 * boundaries cannot be told apart and merged cells vanish.
 */

type Mammoth = typeof import('mammoth');

/** Title paragraphs become headings, so the HTML adapter offers them as titles. */
const STYLE_MAP = [
	"p[style-name='Title'] => h1:fresh",
	"p[style-name='Subtitle'] => h2:fresh",
	"p[style-name='标题'] => h1:fresh",
	"p[style-name='副标题'] => h2:fresh"
];

let mammothPromise: Promise<Mammoth> | undefined;

async function loadMammoth(): Promise<Mammoth> {
	mammothPromise ??= import('mammoth').then((m) => ((m as { default?: Mammoth }).default ?? m) as Mammoth);
	try {
		return await mammothPromise;
	} catch (e) {
		mammothPromise = undefined;
		throw e;
	}
}

/** The text of the cell standing for grid columns a row skips: no report prints it (private-use characters around a name). */
const SKIPPED_MARK = '\ue000nianbao:gridBefore\ue000';
const WORD_DOCUMENT = 'word/document.xml';

/**
 * A row that skips grid columns before its first cell (w:gridBefore) gets a
 * cell spanning them, so every cell after it stands under its own grid
 * column: mammoth ignores gridBefore, and places merged cells (w:vMerge) by
 * each cell's index in its row, so a shifted row's merges went to the wrong
 * cells. The cell is marked and read as no cell (Cell.skipped). Columns
 * skipped after the last cell (w:gridAfter) shift nothing: the row stays as
 * short as it is printed, and is flagged where cells are missing.
 */
export function placeSkippedColumns(xml: string): string {
	if (!xml.includes('gridBefore')) return xml;
	return xml.replace(/<w:trPr\b[^>]*>([\s\S]*?)<\/w:trPr>/g, (whole, inner: string) => {
		const n = Number(/<w:gridBefore\b[^>]*\bw:val=["'](\d+)["']/.exec(inner)?.[1] ?? 0);
		if (!(n >= 1 && n <= 64)) return whole;
		return `${whole}<w:tc><w:tcPr><w:gridSpan w:val="${n}"/></w:tcPr><w:p><w:r><w:t>${SKIPPED_MARK}</w:t></w:r></w:p></w:tc>`;
	});
}

/** The .docx with its rows' skipped grid columns placed (placeSkippedColumns); the bytes as they are where there are none. */
async function withSkippedColumns(bytes: Uint8Array): Promise<Uint8Array> {
	const xml = await readEntry(bytes, WORD_DOCUMENT);
	if (!xml) return bytes;
	const text = new TextDecoder().decode(xml);
	const placed = placeSkippedColumns(text);
	return placed === text ? bytes : (replaceEntry(bytes, WORD_DOCUMENT, new TextEncoder().encode(placed)) ?? bytes);
}

/** .docx bytes → ReportDocument. */
export async function docxAdapter(bytes: Uint8Array, _fileName = ''): Promise<ReportDocument> {
	// Before mammoth inflates anything: it holds whole parts in memory.
	await checkZipBounds(bytes);
	const mammoth = await loadMammoth();
	const copy = (await withSkippedColumns(bytes)).slice();
	// Node's build reads `buffer`, the browser build `arrayBuffer`: give both.
	const input = { buffer: copy, arrayBuffer: copy.buffer } as unknown as Parameters<Mammoth['convertToHtml']>[0];
	let html: string;
	try {
		const result = await mammoth.convertToHtml(input, { styleMap: STYLE_MAP, externalFileAccess: false });
		html = result.value;
	} catch (e) {
		const message = (e as Error)?.message ?? String(e);
		if (/main document part|word\/document\.xml/i.test(message))
			throw new ReportError('unreadable', `not a Word document: 这个 zip 文件不是 Word (.docx) 文档（${message}）`);
		throw new ReportError('unreadable', `broken Word file: .docx 文件已损坏，无法读取（${message}）`);
	}
	if (!html.replace(/<[^>]*>/g, '').trim()) throw new ReportError('empty', 'Word 文档里没有文字');
	const doc = htmlAdapter(`<html><body>${html}</body></html>`);
	if (!html.includes(SKIPPED_MARK)) return doc;
	for (const table of doc.tables)
		for (const row of table.rows)
			for (const c of row)
				if (c.text.trim() === SKIPPED_MARK) {
					c.text = '';
					c.skipped = true;
				}
	// Nor is it prose: every cell's text is also a line.
	return { ...doc, lines: doc.lines.map((l) => l.split(SKIPPED_MARK).join('').trim()).filter((l) => l !== '') };
}

/** True when an OLE file is an encrypted Office 2007+ document (EncryptedPackage stream). */
function isEncryptedPackage(bytes: Uint8Array): boolean {
	const name = 'EncryptedPackage';
	const n = Math.min(bytes.length, 1 << 20);
	outer: for (let i = 0; i + name.length * 2 <= n; i++) {
		for (let k = 0; k < name.length; k++) {
			if (bytes[i + 2 * k] !== name.charCodeAt(k) || bytes[i + 2 * k + 1] !== 0) continue outer;
		}
		return true;
	}
	return false;
}

/** Legacy .doc (OLE compound file): not supported; an encrypted .docx also arrives here. */
export async function docAdapter(bytes: Uint8Array, _fileName = ''): Promise<ReportDocument> {
	if (isEncryptedPackage(bytes)) throw new ReportError('unreadable', 'encrypted Word file: 文档已加密，需要密码才能打开（请另存为不加密的 .docx）');
	throw new ReportError('unsupported_format', '旧版 Word (.doc) 文件：请另存为 .docx 后再导入 (convert .doc to .docx)');
}
