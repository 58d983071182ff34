import { isReportError, ReportError } from '../../errors';
import { checkPageCount, checkPdfStreams } from './bounds';
import type { Item, PageBox } from './lines';

/**
 * pdf.js (pdfjs-dist 5.6.205, legacy build — newer builds crash on Node 20),
 * loaded lazily, and a PDF's positioned text items read out of it.
 *
 * Runs in Node and in the browser: pdf.js is imported lazily, always without
 * a worker unless `configurePdf({ workerSrc })` names one. No Node-only API
 * is imported; in Node the CMap and standard-font folders default to the
 * installed pdfjs-dist package (found through process.getBuiltinModule).
 */

export interface PdfOptions {
	/**
	 * Base URL of pdf.js's `cmaps/` folder, with a trailing slash: CJK fonts
	 * that use a predefined CMap (UniGB-UCS2-H …) without embedding need it.
	 * Browser: a URL the app serves itself (never a CDN). Node: a file: URL or
	 * a path; defaults to node_modules/pdfjs-dist/cmaps/.
	 */
	cMapUrl?: string;
	/** Base URL of pdf.js's `standard_fonts/` folder (non-embedded Helvetica …), same rules. */
	standardFontDataUrl?: string;
	/**
	 * Browser only: URL of pdfjs-dist/legacy/build/pdf.worker.min.mjs (e.g. a
	 * Vite `?url` import) to parse in a Web Worker. Without it pdf.js runs on
	 * the calling thread.
	 */
	workerSrc?: string;
}

const options: PdfOptions = {};

/** Set where pdf.js finds its CMaps, standard fonts and worker. Call before the first parse (later calls apply to later parses). */
export function configurePdf(opts: PdfOptions): void {
	for (const key of ['cMapUrl', 'standardFontDataUrl'] as const) {
		const v = opts[key];
		if (v !== undefined) options[key] = v && !v.endsWith('/') ? `${v}/` : v;
	}
	if (opts.workerSrc !== undefined) {
		options.workerSrc = opts.workerSrc;
		if (loaded && opts.workerSrc) loaded.GlobalWorkerOptions.workerSrc = opts.workerSrc;
	}
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

interface NodeProcess {
	versions: { node?: string };
	platform?: string;
	getBuiltinModule(id: string): unknown;
}

/** The Node process object when running in Node (≥ 20.16), without importing anything Node-only. */
function nodeProcess(): NodeProcess | undefined {
	const p = (globalThis as { process?: Partial<NodeProcess> }).process;
	return p?.versions?.node && typeof p.getBuiltinModule === 'function' ? (p as NodeProcess) : undefined;
}

let loaded: PdfJs | undefined;
let loading: Promise<PdfJs> | undefined;

async function loadPdfJs(): Promise<PdfJs> {
	if (loaded) return loaded;
	loading ??= (async () => {
		const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
		if (options.workerSrc) pdfjs.GlobalWorkerOptions.workerSrc = options.workerSrc;
		else {
			// No worker: pdf.js's "fake worker" runs the parser on this thread.
			const g = globalThis as { pdfjsWorker?: unknown };
			g.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
		}
		loaded = pdfjs;
		return pdfjs;
	})();
	try {
		return await loading;
	} catch (e) {
		loading = undefined;
		throw e;
	}
}

/** Node default: the installed pdfjs-dist package's folder, as a path with a trailing slash. */
let packageDir: string | null | undefined;
function pdfjsPackageDir(): string | null {
	if (packageDir !== undefined) return packageDir;
	packageDir = null;
	const proc = nodeProcess();
	if (!proc) return packageDir;
	try {
		const mod = proc.getBuiltinModule('module') as { createRequire(from: string): { resolve(id: string): string } };
		const pkg = mod.createRequire(import.meta.url).resolve('pdfjs-dist/package.json');
		packageDir = pkg.replace(/package\.json$/, '');
	} catch {
		packageDir = null;
	}
	return packageDir;
}

function resourceUrl(kind: 'cMapUrl' | 'standardFontDataUrl'): string | undefined {
	const configured = options[kind];
	if (configured) return configured;
	const dir = pdfjsPackageDir();
	if (!dir) return undefined;
	return dir + (kind === 'cMapUrl' ? 'cmaps/' : 'standard_fonts/');
}

/** A file: URL or a path → a path (Node). */
function toPath(url: string, proc: NodeProcess): string {
	if (!url.startsWith('file:')) return url;
	const { fileURLToPath } = proc.getBuiltinModule('url') as { fileURLToPath(u: string): string };
	return fileURLToPath(url);
}

async function readBinary(url: string): Promise<Uint8Array> {
	const proc = nodeProcess();
	if (proc && (url.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(url) || /^[a-z]:[\\/]/i.test(url))) {
		const fs = proc.getBuiltinModule('fs') as { promises: { readFile(p: string): Promise<Uint8Array> } };
		return new Uint8Array(await fs.promises.readFile(toPath(url, proc)));
	}
	const res = await fetch(url);
	if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
	return new Uint8Array(await res.arrayBuffer());
}

/**
 * pdf.js asks this for CMaps and standard fonts (its `BinaryDataFactory`
 * option). One implementation for both sides: file: URLs and paths in Node,
 * fetch() elsewhere.
 */
class BinaryDataFactory {
	private readonly urls: Record<string, string | null | undefined>;
	constructor(urls: { cMapUrl?: string | null; standardFontDataUrl?: string | null; wasmUrl?: string | null }) {
		this.urls = urls;
	}
	async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
		const base = this.urls[kind];
		if (!base) throw new Error(`pdf.js needs ${kind} for ${filename}: call configurePdf({ ${kind} })`);
		return readBinary(base + filename);
	}
}

// ---------------------------------------------------------------- text items

/**
 * Characters some PDF producers map glyphs to instead of the ideographs
 * themselves: Kangxi radicals (⼀ for 一), compatibility ideographs, and the
 * vertical presentation forms of vertical text (︑ for 、).
 */
function normalizeGlyphs(s: string): string {
	return s.replace(/[\u2F00-\u2FDF\uF900-\uFAFF\uFE10-\uFE1F\uFE30-\uFE4F]/g, (c) => c.normalize('NFKC'));
}

interface TextItemLike {
	str: string;
	transform: number[];
	width: number;
	height: number;
	dir?: string;
}

/** Every non-blank text item of every page, pages stacked 100 points apart. */
async function extractItems(pdf: import('pdfjs-dist/legacy/build/pdf.mjs').PDFDocumentProxy, pdfjs: PdfJs) {
	const items: Item[] = [];
	const pageBox: PageBox[] = [];
	let offset = 0;
	for (let p = 1; p <= pdf.numPages; p++) {
		const page = await pdf.getPage(p);
		const vp = page.getViewport({ scale: 1 });
		const content = await page.getTextContent();
		pageBox.push({ top: offset, height: vp.height });
		for (const raw of content.items as TextItemLike[]) {
			if (typeof raw.str !== 'string' || !raw.str.trim()) continue;
			const m = pdfjs.Util.transform(vp.transform, raw.transform) as number[];
			const size = Math.hypot(m[2], m[3]) || raw.height || 10;
			const upright = Math.abs(m[1]) < 1e-3 * size && Math.abs(m[2]) < 1e-3 * size && m[0] > 0;
			const vertical = raw.dir === 'ttb' || !upright;
			const text = normalizeGlyphs(raw.str).replace(/\s+/g, ' ');
			if (vertical) {
				// Vertical or rotated text (a merged label cell): keep its box.
				const x = m[4];
				const w = Math.max(raw.width ? Math.abs(raw.width) : size, size);
				items.push({ text, x0: x, x1: x + (raw.dir === 'ttb' ? size : w), yc: offset + m[5] - size * 0.35, size, page: p - 1, vertical });
				continue;
			}
			const width = raw.width > 0 ? raw.width * (vp.scale ?? 1) : size * text.length * 0.5;
			items.push({ text, x0: m[4], x1: m[4] + width, yc: offset + m[5] - size * 0.35, size, page: p - 1, vertical });
		}
		offset += vp.height + 100;
		page.cleanup();
	}
	return { items, pageBox };
}

interface PdfError {
	name?: string;
	message?: string;
}

/** Any failure inside pdf.js, as the user sees it. */
export function brokenPdf(e: unknown): ReportError {
	const err = e as PdfError;
	return new ReportError('unreadable', `broken PDF: 文件已损坏，无法读取（${err?.message ?? String(e)}）`);
}

/** What the layout needs from a PDF: its text items, each page's box, and the Info dictionary's title. */
export interface PdfContent {
	items: Item[];
	pageBox: PageBox[];
	infoTitle?: string;
}

/** PDF bytes → text items. Throws ReportError for encrypted, broken and oversized (bounds.ts) files. */
export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
	// pdf.js inflates whole streams without a cap: bound them before it sees the file.
	await checkPdfStreams(bytes);
	const pdfjs = await loadPdfJs();
	const cMapUrl = resourceUrl('cMapUrl');
	const standardFontDataUrl = resourceUrl('standardFontDataUrl');
	const task = pdfjs.getDocument({
		// A plain copy: pdf.js refuses Node Buffers and detaches what it is given.
		data: new Uint8Array(bytes),
		cMapUrl,
		cMapPacked: true,
		standardFontDataUrl,
		BinaryDataFactory,
		useWorkerFetch: false,
		isEvalSupported: false,
		disableFontFace: true,
		useSystemFonts: false,
		stopAtErrors: false,
		verbosity: 0
	});
	let pdf: Awaited<typeof task.promise>;
	try {
		pdf = await task.promise;
	} catch (e) {
		await task.destroy().catch(() => {});
		const err = e as PdfError;
		if (err?.name === 'PasswordException')
			throw new ReportError('unreadable', `encrypted PDF: 文件已加密，需要密码才能打开（${err.message ?? 'password required'}）`);
		throw brokenPdf(e);
	}
	try {
		checkPageCount(pdf.numPages);
		const { items, pageBox } = await extractItems(pdf, pdfjs);
		let info: { Title?: unknown } = {};
		try {
			info = ((await pdf.getMetadata())?.info ?? {}) as { Title?: unknown };
		} catch {
			// metadata is optional
		}
		return { items, pageBox, infoTitle: typeof info.Title === 'string' ? info.Title : undefined };
	} catch (e) {
		throw isReportError(e) ? e : brokenPdf(e);
	} finally {
		await pdf.destroy().catch(() => {});
	}
}
