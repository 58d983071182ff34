import { cell, type Cell, type ReportDocument, type Table } from './document';
import { ReportError } from './errors';
import { readCell } from './numbers';

/**
 * PDF adapter: a text-layer PDF → ReportDocument, via pdf.js (pdfjs-dist
 * 5.6.205, legacy build — newer builds crash on Node 20).
 *
 * A PDF has no tables, only positioned text. The tables are rebuilt here:
 * text items → visual lines (by vertical centre, tolerance from the font
 * size) → segments (items joined across small gaps) → runs of value lines
 * (lines ending in numbers) → rows whose cells are the label text and one
 * cell per number column, '' where the PDF simply has no item (an empty
 * cell). Columns come from the x extents of the numbers of the whole run and
 * from the header cells above it, so a row that has only 自然人 and 总计
 * still gets 7 cells with the two numbers in the right places.
 *
 * Layout problems handled here rather than in the mapping (report-format.md
 * §9.3): labels wrapped over two or three lines with the numbers on another
 * line; merged-cell labels ("（三）不予公开") floating between rows; vertical
 * labels ("三、本年度办理结果"); header cells stacked one fragment per line
 * ("商业 / 企业", "结 / 果 / 维 / 持"); page-number footers ("- 3 -") and
 * page breaks in the middle of a table, which continues without its header.
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

// ---------------------------------------------------------------- loading

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

// ---------------------------------------------------------------- the adapter

/** One text item in page space: y grows downwards, pages stacked. */
interface Item {
	text: string;
	x0: number;
	x1: number;
	/** Vertical centre of the glyphs. */
	yc: number;
	size: number;
	page: number;
	vertical: boolean;
}

type Kind = 'text' | 'number';

interface Segment {
	text: string;
	x0: number;
	x1: number;
	yc: number;
	size: number;
	kind: Kind;
	/** Items of a stacked header keep their own heights. */
	top: number;
}

interface Line {
	page: number;
	yc: number;
	size: number;
	segments: Segment[];
	vertical: boolean;
	/** Label segments (up to the last text segment) and the numbers after them. */
	labels: Segment[];
	values: Segment[];
	isValue: boolean;
}

const PAGE_NUMBER = /^[-－—–_~·•\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-－—–_~·•\s]*$|^(?:page\s*)?\d{1,4}\s*(?:of|\/)\s*\d{1,4}$/i;

function classify(text: string): Kind {
	const t = text.trim();
	const v = readCell(t);
	if (v === undefined || t === '') return 'text';
	if (/\d/.test(t) || v.note === 'dash' || v.note === 'none') return 'number';
	return 'text';
}

/** "21 0 0 0" drawn as one item: one item per number, placed by character offset. */
function splitNumberRuns(item: Item): Item[] {
	const parts = item.text.trim().split(/\s+/);
	if (parts.length < 2 || !parts.every((p) => classify(p) === 'number' && /\d/.test(p))) return [item];
	const len = item.text.length;
	const w = item.x1 - item.x0;
	const out: Item[] = [];
	let from = 0;
	for (const p of parts) {
		const at = item.text.indexOf(p, from);
		from = at + p.length;
		out.push({ ...item, text: p, x0: item.x0 + (w * at) / len, x1: item.x0 + (w * from) / len });
	}
	return out;
}

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

async function extractItems(pdf: import('pdfjs-dist/legacy/build/pdf.mjs').PDFDocumentProxy, pdfjs: PdfJs) {
	const items: Item[] = [];
	const pageBox: { top: number; height: number }[] = [];
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
			const item: Item = { text, x0: m[4], x1: m[4] + width, yc: offset + m[5] - size * 0.35, size, page: p - 1, vertical };
			items.push(...splitNumberRuns(item));
		}
		offset += vp.height + 100;
		page.cleanup();
	}
	return { items, pageBox };
}

/** Items → visual lines per page (centre within 45 % of the smaller font size). */
function buildLines(items: Item[]): Line[] {
	const lines: Line[] = [];
	const byPage = new Map<number, Item[]>();
	for (const it of items) {
		const list = byPage.get(it.page) ?? [];
		list.push(it);
		byPage.set(it.page, list);
	}
	for (const page of [...byPage.keys()].sort((a, b) => a - b)) {
		const list = byPage.get(page)!.slice().sort((a, b) => a.yc - b.yc || a.x0 - b.x0);
		interface Group {
			items: Item[];
			yc: number;
			size: number;
			vertical: boolean;
		}
		const groups: Group[] = [];
		let current: Group | undefined;
		for (const it of list) {
			if (it.vertical) {
				groups.push({ items: [it], yc: it.yc, size: it.size, vertical: true });
				continue;
			}
			if (current && Math.abs(it.yc - current.yc) <= 0.45 * Math.min(it.size, current.size)) {
				current.items.push(it);
				const n = current.items.length;
				current.yc = (current.yc * (n - 1) + it.yc) / n;
				current.size = Math.max(current.size, it.size);
			} else {
				current = { items: [it], yc: it.yc, size: it.size, vertical: false };
				groups.push(current);
			}
		}
		groups.sort((a, b) => a.yc - b.yc);
		for (const g of groups) lines.push(makeLine(page, g.items, g.vertical));
	}
	return lines;
}

/** Spaces between two Chinese characters or full-width marks are layout, not text ("三 、本 年 度" → "三、本年度"). */
const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f';
const CJK_GAP = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');
function tidy(text: string): string {
	return text.replace(CJK_GAP, '');
}

/** Join items of one line into segments: text runs across small gaps, numbers on their own. */
function makeLine(page: number, items: Item[], vertical: boolean): Line {
	const sorted = items.slice().sort((a, b) => a.x0 - b.x0);
	const segments: Segment[] = [];
	for (const it of sorted) {
		const kind = classify(it.text);
		const prev = segments[segments.length - 1];
		if (prev) {
			const em = Math.min(prev.size, it.size);
			const gap = it.x0 - prev.x1;
			const join =
				(prev.kind === 'text' && kind === 'text' && gap < 0.4 * em) ||
				(prev.kind !== kind && gap < 0.35 * em) ||
				(prev.kind === 'number' && kind === 'number' && gap < 0.12 * em);
			if (join) {
				prev.text += gap > 0.2 * em && /[\x21-\x7e]$/.test(prev.text) && /^[\x21-\x7e]/.test(it.text) ? ` ${it.text}` : it.text;
				prev.x1 = Math.max(prev.x1, it.x1);
				prev.yc = (prev.yc + it.yc) / 2;
				prev.size = Math.max(prev.size, it.size);
				prev.top = Math.min(prev.top, it.yc);
				prev.kind = classify(prev.text);
				continue;
			}
		}
		segments.push({ text: it.text, x0: it.x0, x1: it.x1, yc: it.yc, size: it.size, kind, top: it.yc });
	}
	for (const s of segments) s.text = tidy(s.text);
	const yc = segments.reduce((s, g) => s + g.yc, 0) / Math.max(segments.length, 1);
	const size = Math.max(...segments.map((s) => s.size));
	let lastText = -1;
	segments.forEach((s, i) => {
		if (s.kind === 'text') lastText = i;
	});
	const labels = segments.slice(0, lastText + 1);
	const values = segments.slice(lastText + 1);
	// A value line: numbers after the labels, set apart like table cells (a
	// sentence that happens to end in a number is not one).
	let isValue = !vertical && values.length > 0;
	if (isValue && labels.length > 0 && values.length === 1) {
		const gap = values[0].x0 - labels[labels.length - 1].x1;
		isValue = gap >= 1.5 * Math.min(values[0].size, labels[labels.length - 1].size);
	}
	return { page, yc, size, segments, vertical, labels, values, isValue };
}

function lineText(line: Line): string {
	return line.segments
		.map((s) => s.text.trim())
		.filter(Boolean)
		.join(' ');
}

function isFurniture(line: Line, box: { top: number; height: number }): boolean {
	const text = lineText(line);
	if (!PAGE_NUMBER.test(text)) return false;
	const y = line.yc - box.top;
	return y > box.height * 0.86 || y < box.height * 0.1;
}

// ---------------------------------------------------------------- runs → rows

interface Run {
	/** Lines of the run in document order: value lines and label-area lines between them. */
	lines: Line[];
	/** Header lines right above the run (the last stack of them). */
	header: Line[];
	numericLeft: number;
}

interface Column {
	x0: number;
	x1: number;
}

function overlaps(a: { x0: number; x1: number }, b: { x0: number; x1: number }, pad = 0.5): boolean {
	return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > -pad;
}

/** Number columns of a run: x extents of its numbers merged where they overlap, plus header cells over blank columns. */
function runColumns(run: Run, lines: Line[] = run.lines, withHeader = true): Column[] {
	const spans = lines
		.filter((l) => l.isValue)
		.flatMap((l) => l.values.map((v) => ({ x0: v.x0, x1: v.x1 })))
		.sort((a, b) => a.x0 - b.x0);
	const cols: Column[] = [];
	for (const s of spans) {
		const hit = cols.filter((c) => overlaps(c, s));
		if (hit.length === 0) cols.push({ ...s });
		else {
			const merged = { x0: Math.min(s.x0, ...hit.map((c) => c.x0)), x1: Math.max(s.x1, ...hit.map((c) => c.x1)) };
			for (const h of hit) cols.splice(cols.indexOf(h), 1);
			cols.push(merged);
		}
	}
	// Header leaves over columns that are blank in every row.
	const leaves = withHeader ? headerLeaves(run.header) : [];
	for (const leaf of leaves) {
		const centre = (leaf.x0 + leaf.x1) / 2;
		if (centre < run.numericLeft - leaf.size) continue;
		if (cols.some((c) => overlaps(c, leaf, 0))) continue;
		cols.push({ x0: leaf.x0, x1: leaf.x1 });
	}
	return cols.sort((a, b) => a.x0 - b.x0);
}

/** Header fragments stacked into columns (top to bottom), and the spanning cells above them. */
interface HeaderColumn {
	x0: number;
	x1: number;
	size: number;
	parts: Segment[];
}

function stackHeader(lines: Line[]): { spanning: Segment[][]; columns: HeaderColumn[] } {
	const segs = lines.flatMap((l) => l.segments).sort((a, b) => a.x1 - a.x0 - (b.x1 - b.x0));
	const columns: HeaderColumn[] = [];
	const spanning: Segment[] = [];
	for (const s of segs) {
		const hit = columns.filter((c) => overlaps(c, s, -0.5));
		if (hit.length === 0) columns.push({ x0: s.x0, x1: s.x1, size: s.size, parts: [s] });
		else if (hit.length === 1) {
			const c = hit[0];
			c.parts.push(s);
			c.x0 = Math.min(c.x0, s.x0);
			c.x1 = Math.max(c.x1, s.x1);
			c.size = Math.max(c.size, s.size);
		} else spanning.push(s);
	}
	// Spanning cells keep their visual lines.
	const spanRows = new Map<number, Segment[]>();
	for (const s of spanning) {
		const key = lines.findIndex((l) => l.segments.includes(s));
		spanRows.set(key, [...(spanRows.get(key) ?? []), s].sort((a, b) => a.x0 - b.x0));
	}
	return {
		spanning: [...spanRows.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v),
		columns: columns.sort((a, b) => a.x0 - b.x0)
	};
}

function headerText(c: HeaderColumn): string {
	return c.parts
		.slice()
		.sort((a, b) => a.top - b.top || a.x0 - b.x0)
		.map((p) => p.text.trim())
		.join('');
}

function headerLeaves(lines: Line[]): HeaderColumn[] {
	if (lines.length === 0) return [];
	return stackHeader(lines).columns;
}

/** Lines whose vertical gaps are at most a line and a half: one header block. */
function stacks(lines: Line[]): Line[][] {
	const out: Line[][] = [];
	for (const l of lines) {
		const cur = out[out.length - 1];
		const prev = cur?.[cur.length - 1];
		if (prev && !prev.vertical && !l.vertical && prev.page === l.page && l.yc - prev.yc <= 1.55 * Math.max(prev.size, l.size))
			cur.push(l);
		else out.push([l]);
	}
	return out;
}

/** Rows for lines outside runs: a single line as its segments, a stacked header as one row of columns. */
function looseRows(lines: Line[]): Cell[][] {
	const rows: Cell[][] = [];
	for (const stack of stacks(lines)) {
		if (stack.length === 1 || stack.every((l) => l.segments.length === 1 && stack[0].segments.length === 1 && overlaps(l.segments[0], stack[0].segments[0]))) {
			for (const l of stack) rows.push(l.segments.map((s) => cell(s.text.trim())));
			continue;
		}
		const { spanning, columns } = stackHeader(stack);
		for (const r of spanning) rows.push(r.map((s) => cell(s.text.trim())));
		rows.push(columns.map((c) => cell(headerText(c))));
	}
	return rows;
}

/** Label text of one run grouped into blocks: wrapped lines of one cell. */
interface Block {
	pieces: { seg: Segment; line: Line }[];
	x0: number;
	x1: number;
	top: number;
	bottom: number;
	size: number;
	page: number;
	vertical: boolean;
	/** The value line whose own label is in this block, if any. */
	owner?: Line;
}

/**
 * The rows of one run. Label text is first grouped into blocks (the lines of
 * one wrapped cell: same column, line spacing apart); a block then belongs
 * to the value line whose label it contains, or whose numbers sit within its
 * height (a label wrapped around its numbers). A block with no numbers of its
 * own is either a merged cell's label floating between the rows it spans —
 * its neighbours' labels are all to its right — and goes with the nearest
 * row; or a row whose cells are all empty, when it sits in a label column of
 * the run; or a label-only row (a vertical label, a note).
 */
function runRows(run: Run): Cell[][] {
	const valueLines = run.lines.filter((l) => l.isValue);
	const runCols = runColumns(run);
	// A table continued on another page may sit a few points off. Where each
	// page shows the same number of columns as the first, read each page by
	// its own columns; otherwise use the columns of the whole run.
	const pages = [...new Set(valueLines.map((l) => l.page))];
	const colsOf = new Map<number, Column[]>();
	if (pages.length > 1) {
		const first = runColumns(run, valueLines.filter((l) => l.page === pages[0]));
		const perPage = pages.map((p, i) => (i === 0 ? first : runColumns(run, valueLines.filter((l) => l.page === p), false)));
		if (perPage.every((c) => c.length === first.length) && first.length < runCols.length) pages.forEach((p, i) => colsOf.set(p, perPage[i]));
	}

	// ---- blocks
	const pieces = run.lines
		.flatMap((line) => (line.isValue ? line.labels : line.segments).map((seg) => ({ seg, line })))
		.sort((a, b) => a.line.page - b.line.page || a.seg.yc - b.seg.yc || a.seg.x0 - b.seg.x0);
	const blocks: Block[] = [];
	for (const p of pieces) {
		const { seg, line } = p;
		let open: Block | undefined;
		// Only recent blocks can continue (pieces come in reading order).
		for (let i = blocks.length - 1; !line.vertical && i >= 0 && i >= blocks.length - 64; i--) {
			const b = blocks[i];
			if (b.page !== line.page) break;
			const gap = seg.yc - b.bottom;
			if (
				!b.vertical &&
				overlaps(b, seg, -0.5) &&
				gap > 0.3 * seg.size &&
				gap <= 1.6 * Math.max(seg.size, b.size) &&
				!(b.owner && line.isValue && b.owner !== line)
			) {
				open = b;
				break;
			}
		}
		if (open) {
			open.pieces.push(p);
			open.x0 = Math.min(open.x0, seg.x0);
			open.x1 = Math.max(open.x1, seg.x1);
			open.bottom = seg.yc;
			open.size = Math.max(open.size, seg.size);
			if (line.isValue) open.owner = line;
		} else
			blocks.push({
				pieces: [p],
				x0: seg.x0,
				x1: seg.x1,
				top: seg.yc,
				bottom: seg.yc,
				size: seg.size,
				page: line.page,
				vertical: line.vertical,
				owner: line.isValue ? line : undefined
			});
	}

	// ---- blocks → rows
	const labelsOf = new Map<Line, Segment[]>();
	for (const v of valueLines) labelsOf.set(v, []);
	const standalone: { at: Line; segs: Segment[]; blank: boolean }[] = [];
	const owned = new Map<Line, Block[]>();
	for (const b of blocks) if (b.owner) owned.set(b.owner, [...(owned.get(b.owner) ?? []), b]);
	const ownLabelStarts = (v: Line) => (owned.get(v) ?? []).map((b) => b.x0);
	const rowLabelX0 = [...new Set(blocks.filter((b) => b.owner).map((b) => Math.round(b.x0)))];
	const valuesByPage = new Map<number, Line[]>();
	for (const v of valueLines) valuesByPage.set(v.page, [...(valuesByPage.get(v.page) ?? []), v]);
	for (const b of blocks) {
		const segs = b.pieces.map((p) => p.seg);
		if (b.owner) {
			labelsOf.get(b.owner)!.push(...segs);
			continue;
		}
		if (b.vertical) {
			standalone.push({ at: b.pieces[0].line, segs, blank: false });
			continue;
		}
		const samePage = valuesByPage.get(b.page) ?? [];
		// Numbers within the block's height, on a line without a label of its own in this column.
		const pad = 0.6 * b.size;
		const inside = samePage.filter(
			(v) => v.yc >= b.top - pad && v.yc <= b.bottom + pad && !(owned.get(v) ?? []).some((o) => overlaps(o, b, -0.5))
		);
		if (inside.length > 0) {
			const centre = (b.top + b.bottom) / 2;
			const v = inside.reduce((best, x) => (Math.abs(x.yc - centre) < Math.abs(best.yc - centre) ? x : best));
			labelsOf.get(v)!.push(...segs);
			continue;
		}
		const centre = (b.top + b.bottom) / 2;
		const above = samePage.filter((v) => v.yc < centre).pop();
		const below = samePage.find((v) => v.yc > centre);
		const rightOf = (v: Line | undefined) => {
			const starts = v ? ownLabelStarts(v) : [];
			return starts.length > 0 && starts.every((x) => x > b.x1);
		};
		if (above && below && rightOf(above) && rightOf(below)) {
			// A merged cell's label: it joins the row it is closest to, as in HTML.
			const v = centre - above.yc <= below.yc - centre ? above : below;
			labelsOf.get(v)!.push(...segs);
			continue;
		}
		const aligned = rowLabelX0.some((x) => Math.abs(x - b.x0) < 2);
		standalone.push({ at: b.pieces[0].line, segs, blank: aligned });
	}

	const out: { line: Line; cells: Cell[] }[] = [];
	for (const v of valueLines) {
		const labels = labelCells(labelsOf.get(v)!);
		const cols = colsOf.get(v.page) ?? runCols;
		const values = cols.map(() => '');
		for (const s of v.values) {
			let k = cols.findIndex((c) => overlaps(c, s));
			if (k < 0) {
				const centre = (s.x0 + s.x1) / 2;
				k = cols.reduce((bi, c, i) => (Math.abs((c.x0 + c.x1) / 2 - centre) < Math.abs((cols[bi].x0 + cols[bi].x1) / 2 - centre) ? i : bi), 0);
			}
			values[k] = values[k] ? `${values[k]}${s.text.trim()}` : s.text.trim();
		}
		out.push({ line: v, cells: [...labels.map((t) => cell(t)), ...values.map((t) => cell(t))] });
	}
	for (const { at, segs, blank } of standalone) {
		const labels = labelCells(segs).map((t) => cell(t));
		const width = (colsOf.get(at.page) ?? runCols).length;
		out.push({ line: at, cells: blank ? [...labels, ...Array.from({ length: width }, () => cell(''))] : labels });
	}
	const order = new Map(run.lines.map((l, i) => [l, i]));
	out.sort((a, b) => order.get(a.line)! - order.get(b.line)!);
	return out.map((r) => r.cells);
}

/** Label segments of one row → cells: one per label column, wrapped parts joined top to bottom. */
function labelCells(segs: Segment[]): string[] {
	const columns: { x0: number; x1: number; parts: Segment[] }[] = [];
	for (const s of segs.slice().sort((a, b) => a.x0 - b.x0)) {
		const c = columns.find((col) => overlaps(col, s, -0.5));
		if (c) {
			c.parts.push(s);
			c.x1 = Math.max(c.x1, s.x1);
		} else columns.push({ x0: s.x0, x1: s.x1, parts: [s] });
	}
	return columns.map((c) =>
		c.parts
			.sort((a, b) => a.yc - b.yc || a.x0 - b.x0)
			.map((p) => p.text.trim())
			.join('')
	);
}

/**
 * Lines → tables in document order. A run starts at a value line and goes on
 * through value lines and lines that stay left of its numbers (labels); a
 * line reaching into the number area (a heading, a header row, prose) ends
 * it. Page breaks do not: a table continued on the next page stays one run.
 */
function buildTables(lines: Line[]): Table[] {
	const tables: Table[] = [];
	let pending: Line[] = [];
	let run: Run | undefined;

	const flushLoose = (ls: Line[]) => {
		if (ls.length === 0) return;
		const rows = looseRows(ls);
		if (rows.length) tables.push({ rows, exactCells: false });
	};
	const closeRun = () => {
		if (!run) return;
		// Label-area lines after the last value line: keep those that belong to it.
		let lastValue = run.lines.length - 1;
		while (lastValue >= 0 && !run.lines[lastValue].isValue) lastValue--;
		const trailing = run.lines.splice(lastValue + 1);
		const keep: Line[] = [];
		const last = run.lines[lastValue];
		// Wrapped label lines under the last row, or empty rows at the row pitch.
		const values = run.lines.filter((l) => l.isValue && l.page === last.page);
		const pitch = values.length > 1 ? last.yc - values[values.length - 2].yc : 0;
		let ref = last;
		for (const l of trailing) {
			if (l.page !== last.page || l.yc - ref.yc > Math.max(2.5 * ref.size, 1.25 * pitch)) break;
			keep.push(l);
			ref = l;
		}
		run.lines.push(...keep);
		tables.push({ rows: runRows(run), exactCells: true });
		pending = trailing.slice(keep.length);
		run = undefined;
	};

	for (const line of lines) {
		if (run) {
			if (line.isValue) {
				run.numericLeft = Math.min(run.numericLeft, ...line.values.map((v) => v.x0));
				run.lines.push(line);
				continue;
			}
			const right = Math.max(...line.segments.map((s) => s.x1));
			if (right < run.numericLeft - 0.5) {
				run.lines.push(line);
				continue;
			}
			closeRun();
			pending.push(line);
			continue;
		}
		if (!line.isValue) {
			pending.push(line);
			continue;
		}
		// A new run: pull back the label-area lines just above it.
		const numericLeft = Math.min(...line.values.map((v) => v.x0));
		let k = pending.length;
		while (k > 0) {
			const p = pending[k - 1];
			if (p.page !== line.page || p.vertical) break;
			const right = Math.max(...p.segments.map((s) => s.x1));
			if (right >= numericLeft - 0.5) break;
			k--;
		}
		let lead = pending.slice(k);
		const before = pending.slice(0, k);
		// Only lines close enough to be this row's label or a blank row above it.
		const kept: Line[] = [];
		let ref = line;
		for (let i = lead.length - 1; i >= 0; i--) {
			const p = lead[i];
			if (ref.yc - p.yc > 3 * Math.max(p.size, ref.size)) break;
			kept.unshift(p);
			ref = p;
		}
		before.push(...lead.slice(0, lead.length - kept.length));
		lead = kept;
		// Header: the stack of lines right above (reaching into the number area).
		const headerStacks = stacks(before.filter((l) => l.page === line.page));
		const header = headerStacks.length ? headerStacks[headerStacks.length - 1] : [];
		flushLoose(before);
		pending = [];
		run = { lines: [...lead, line], header, numericLeft };
	}
	if (run) closeRun();
	flushLoose(pending);
	return tables;
}

// ---------------------------------------------------------------- entry point

interface PdfError {
	name?: string;
	message?: string;
}

/** PDF bytes → ReportDocument. Throws ReportError for scanned, encrypted and broken files. */
export async function pdfAdapter(bytes: Uint8Array, _fileName = ''): Promise<ReportDocument> {
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
		throw new ReportError('unreadable', `broken PDF: 文件已损坏，无法读取（${err?.message ?? String(e)}）`);
	}
	try {
		const { items, pageBox } = await extractItems(pdf, pdfjs);
		let info: { Title?: unknown } = {};
		try {
			info = ((await pdf.getMetadata())?.info ?? {}) as { Title?: unknown };
		} catch {
			// metadata is optional
		}
		return toDocument(items, pageBox, typeof info.Title === 'string' ? info.Title : undefined);
	} catch (e) {
		if (e instanceof ReportError) throw e;
		const err = e as PdfError;
		throw new ReportError('unreadable', `broken PDF: 文件已损坏，无法读取（${err?.message ?? String(e)}）`);
	} finally {
		await pdf.destroy().catch(() => {});
	}
}

/** Positioned items → document. */
function toDocument(items: Item[], pageBox: { top: number; height: number }[], infoTitle?: string): ReportDocument {
	const all = buildLines(items);
	const lines = all.filter((l) => !isFurniture(l, pageBox[l.page]));
	const meaningful = lines.reduce((n, l) => n + lineText(l).replace(/[^\p{L}\p{N}]/gu, '').length, 0);
	if (meaningful < 10) throw new ReportError('no_tables', 'scanned PDF: no text layer; OCR is not supported');

	const tables = buildTables(lines);
	const inRuns = new Set<Line>();
	for (const l of lines) if (l.isValue) inRuns.add(l);
	const prose = lines.filter((l) => !inRuns.has(l)).map(lineText).filter(Boolean);

	// Titles: the largest lines at the top of the first page, joined.
	const titles: string[] = [];
	const first = lines.filter((l) => l.page === 0 && !l.vertical && l.yc - pageBox[0].top < pageBox[0].height * 0.5);
	if (first.length) {
		const sizes = first.map((l) => l.size).sort((a, b) => a - b);
		const median = sizes[Math.floor(sizes.length / 2)];
		const max = sizes[sizes.length - 1];
		const big: Line[] = [];
		if (max >= median * 1.15)
			for (const l of first) {
				if (l.size >= max * 0.9) big.push(l);
				else if (big.length) break;
			}
		if (big.length) titles.push(big.map(lineText).join(''));
	}
	if (infoTitle?.trim()) titles.push(infoTitle.trim());
	return { lines: prose, tables, titles };
}
