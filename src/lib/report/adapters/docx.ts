import type { ReportDocument } from '../document';
import { ReportError } from '../errors';
import { htmlAdapter } from './html';
import { checkZipBounds } from './zip';

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

/** .docx bytes → ReportDocument. */
export async function docxAdapter(bytes: Uint8Array, _fileName = ''): Promise<ReportDocument> {
	// Before mammoth inflates anything: it holds whole parts in memory.
	await checkZipBounds(bytes);
	const mammoth = await loadMammoth();
	const copy = bytes.slice();
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
	return htmlAdapter(`<html><body>${html}</body></html>`);
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
