/**
 * A whole report as a PDF laid out like a Word export (pdf-writer.ts): prose,
 * table 二 from its grid, table 三 with the layout faults of real PDFs, and
 * table 四 as one table or as three small ones. Table 三's labels come from
 * labels.ts (the generator's own vocabulary), wrapped over one to three
 * lines with the numbers level with any of them; rows of zeros printed blank
 * (label only) and zero cells printed empty; a run of rows whose numbers
 * stand a row off their labels (numbers alone at one end of the run, a label
 * alone at the other; or, where the run's last row is a row of zeros printed
 * blank, no numbers alone at all); and the table broken across pages, the
 * page footer between its rows and its header printed again, or not, at the
 * top of the next page. Tests and benches only.
 */
import { APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, type CompleteRecord, type RequestRow, type Template } from '../report/schema';
import { CASE_TABLE_TITLES, NUMBER_STYLES, OUTCOMES_GROUP_TEXT, REQUEST_ROW_VARIANTS } from './labels';
import { expandGrid, type TableGrid } from './layout';
import { formatValue, resolveNoise } from './noise';
import { reportOutline } from './outline';
import { centred, writePdf, type PdfPage, type PdfText } from './pdf-writer';
import { createRng, deriveSeed, recordRng, type Rng } from './random';
import { generateRecord } from './record';

const SIZE = 9;
/** Line pitch inside one wrapped label cell. */
const LINE = 12;
/** A row's padding above and below its label: rows stand further apart than the lines of one label. */
const PAD = 8;
const PAGE_TOP = 800;
const PAGE_BOTTOM = 70;
const LEFT = 60;
const RIGHT = 540;
/** Table 三's number columns (centres) and where each label column starts. */
const T3_COLUMNS = [330, 362, 394, 426, 458, 490, 525];
const LABEL_X = { a: 60, b: 90, c: 170 } as const;
/** Characters a label column holds on one line (CJK, at SIZE). */
const LABEL_CHARS = { a: 27, b: 24, c: 15 } as const;

/** How often a row of zeros prints no numbers at all, and a zero cell of another row prints empty. */
const BLANK_ZERO_ROW = 0.3;
const BLANK_ZERO_CELL = 0.2;
/** How often a run of 1 to 4 rows prints its numbers a row off its labels, and its last row of zeros blank. */
const SLIDE = 0.5;
const SLIDE_MAX = 4;
const SLIDE_BLANK_LAST = 0.5;
/** How often table 三's header is printed again on the page it continues on. */
const REPEAT_HEADER = 0.5;
/** The layout's own stream: the record's other documents stay as they were. */
const PDF_STREAM = 13;

/** Pieces of `text` of at most `width` characters. */
function pieces(text: string, width: number): string[] {
	const out: string[] = [];
	for (let at = 0; at < text.length; at += width) out.push(text.slice(at, at + width));
	return out.length > 0 ? out : [''];
}

/** Pages filled top to bottom; each page ends with its footer "- n -". */
class Sheet {
	readonly pages: PdfPage[] = [];
	y = PAGE_TOP;
	constructor() {
		this.newPage();
	}
	get texts(): PdfText[] {
		return this.pages[this.pages.length - 1].texts!;
	}
	newPage(): void {
		if (this.pages.length > 0) this.texts.push(centred(`- ${this.pages.length} -`, 297.5, 40, 10.5));
		this.pages.push({ texts: [] });
		this.y = PAGE_TOP;
	}
	/** Room for `height` more points on this page, else a new page; true when a page was begun. */
	room(height: number): boolean {
		if (this.y - height >= PAGE_BOTTOM) return false;
		this.newPage();
		return true;
	}
	/** Prose or a heading: wrapped at the text width, a line at a time. */
	paragraph(text: string, size = 12): void {
		const chars = Math.floor((RIGHT - LEFT) / size);
		for (const line of pieces(text, chars)) {
			this.room(1.8 * size);
			this.y -= 1.8 * size;
			this.texts.push({ x: LEFT, y: this.y, text: line, size });
		}
	}
	finish(): PdfPage[] {
		this.texts.push(centred(`- ${this.pages.length} -`, 297.5, 40, 10.5));
		return this.pages;
	}
}

/** Table 二 from its grid: per block its heading, then the header and each row with one column per field, label on the left. */
function activeTable(sheet: Sheet, grid: TableGrid): void {
	for (const row of grid.rows) {
		sheet.room(2 * (LINE + PAD));
		sheet.y -= LINE + PAD;
		const [head, ...fields] = row;
		if (fields.length === 0) {
			sheet.texts.push(centred(head.role === 'value' ? '' : head.text, 297.5, sheet.y));
			continue;
		}
		sheet.texts.push({ x: LEFT + 2, y: sheet.y, text: head.role === 'value' ? '' : head.text, size: SIZE });
		const step = (RIGHT - 190) / fields.length;
		fields.forEach((cell, i) => {
			const centre = 190 + (i + 0.5) * step;
			if (cell.role === 'value')
				sheet.texts.push(centred(formatValue(cell.value, cell.kind, resolveNoise(0), createRng(1), { plusSign: false }), centre, sheet.y, 10));
			else sheet.texts.push(centred(cell.text, centre, sheet.y, 7));
		});
	}
}

/** Table 四 in one piece from its grid: fifteen equal columns under two tiers of headers, leaf headers stacked. */
function casesTable(sheet: Sheet, grid: TableGrid): void {
	const step = (RIGHT - LEFT) / grid.width;
	const rows = expandGrid(grid);
	sheet.room(rows.length * (LINE + PAD) + 40);
	for (const row of rows) {
		sheet.y -= LINE + PAD;
		let tallest = 1;
		row.forEach((cell, c) => {
			if (!cell) return;
			const centre = LEFT + (c + cell.colspan / 2) * step;
			if (cell.role === 'value') sheet.texts.push(centred(String(cell.value), centre, sheet.y, 10));
			else {
				// A leaf header narrower than its words stacks them, as Word wraps them.
				const stack = cell.colspan === 1 ? pieces(cell.text, 2) : [cell.text];
				stack.forEach((piece, k) => sheet.texts.push(centred(piece, centre, sheet.y - k * 9, 7)));
				tallest = Math.max(tallest, stack.length);
			}
		});
		sheet.y -= (tallest - 1) * 9;
	}
}

/** Table 三's header: spanning cells and stacked leaves. */
function requestsHeader(sheet: Sheet): void {
	sheet.room(80);
	sheet.texts.push(centred('申请人情况', 428, (sheet.y -= 24)));
	sheet.texts.push(centred('法人或其他组织', 426, (sheet.y -= 16)));
	const top = sheet.y - 14;
	sheet.texts.push({ x: LEFT, y: top, text: '（本列数据的勾稽关系为：第一项加第二项之', size: SIZE });
	sheet.texts.push({ x: LEFT, y: top - 11, text: '和，等于第三项加第四项之和）', size: SIZE });
	const leaves = [['自然人'], ['商业', '企业'], ['科研', '机构'], ['社会', '公益', '组织'], ['法律', '服务', '机构'], ['其他'], ['总计']];
	leaves.forEach((parts, i) => parts.forEach((t, k) => sheet.texts.push(centred(t, T3_COLUMNS[i], top - k * 11))));
	sheet.y = top - 2 * 11 - 6;
}

interface T3Row {
	key: RequestRow;
	col: keyof typeof LABEL_X;
	lines: string[];
	group?: string;
	/** Numbers as printed, '' for an empty cell; undefined: the row printed blank. */
	numbers?: string[];
	/** Which label line the numbers are level with (a fraction of the way down the cell). */
	at: number;
}

function requestRows(record: CompleteRecord, rng: Rng, blanks: Rng): T3Row[] {
	const style = rng.pick(NUMBER_STYLES);
	let group: string | undefined;
	let n = 0;
	return REQUEST_ROWS.filter((k) => record.requests[k]).map((key) => {
		const variant = REQUEST_ROW_VARIANTS[key];
		if (variant.group !== group) {
			group = variant.group;
			n = 0;
		}
		n++;
		const label = rng.pick(variant.words).replace('{n}', `${n}${style}`);
		const col = /^[一二三四]、/.test(label) ? 'a' : variant.group ? 'c' : 'b';
		const width = rng.chance(0.6) ? rng.int(Math.max(6, Math.ceil(label.length / 3)), LABEL_CHARS[col]) : LABEL_CHARS[col];
		const lines = pieces(label, width).slice(0, 3);
		if (lines.length === 3 && lines[2].length < label.length - 2 * width) lines[2] = label.slice(2 * width);
		const cells = record.requests[key]!;
		const values = APPLICANT_COLUMNS.map((c) => cells[c]);
		const blankRow = cells.total === 0 && blanks.chance(BLANK_ZERO_ROW);
		const emptyZeros = blanks.chance(BLANK_ZERO_CELL);
		const numbers = blankRow ? undefined : values.map((v) => (v === 0 && emptyZeros ? '' : String(v)));
		return { key, col, lines, group: variant.group, numbers, at: rng.int(0, lines.length - 1) };
	});
}

/** Table 三 on the sheet: rows of wrapped labels, group cells floating between their rows, a run slid a row off its numbers. */
/** What the layout put into a report, so a volume test can say what it covered. */
export interface PdfLayout {
	/** Rows of table 三 in the run printed a row off its numbers (0: none). */
	slid: number;
	/** The slid run's last row of zeros was printed blank. */
	slidBlankEnd: boolean;
	/** Rows of table 三 printed blank (label only), the slid run's aside. */
	blankRows: number;
	/** Table 三 breaks across pages; its header printed again on the next. */
	split: boolean;
	headerRepeated: boolean;
	/** Table 四 as three small tables. */
	smallCaseTables: boolean;
	pages: number;
}

function requestsTable(sheet: Sheet, record: CompleteRecord, rng: Rng, layout: PdfLayout): void {
	const own = recordRng(record, PDF_STREAM);
	const rows = requestRows(record, rng, own);
	// The slid run: numbers `down` a row (each level with the next row's label, the last on a line of their own under
	// the run) or `up` (level with the previous row's, the first on a line above). Its last row of zeros may print blank.
	const slideFrom = own.chance(SLIDE) ? own.int(0, rows.length - 1) : rows.length;
	const slideTo = Math.min(rows.length - 1, slideFrom + own.int(1, SLIDE_MAX) - 1);
	const down = own.chance(0.5);
	const blankLast = own.chance(SLIDE_BLANK_LAST);
	if (slideFrom < rows.length) {
		const last = rows[slideTo];
		const zeros = APPLICANT_COLUMNS.every((c) => record.requests[last.key]![c] === 0);
		// The run prints its numbers in full (as the text layer does), but for a last row of zeros printed blank.
		for (let i = slideFrom; i <= slideTo; i++) rows[i].numbers = APPLICANT_COLUMNS.map((c) => String(record.requests[rows[i].key]![c]));
		if (blankLast && zeros) last.numbers = undefined;
		layout.slid = slideTo - slideFrom + 1;
		layout.slidBlankEnd = last.numbers === undefined;
	}
	layout.blankRows = rows.filter((r, i) => (i < slideFrom || i > slideTo) && (!r.numbers || r.numbers.every((v) => v === ''))).length;
	const firstPage = sheet.pages.length;
	requestsHeader(sheet);
	const placed: { row: T3Row; page: number; top: number; bottom: number; first: number }[] = [];
	const heightOf = (row: T3Row) => row.lines.length * LINE + PAD;
	for (const [i, row] of rows.entries()) {
		const height = heightOf(row);
		// A slid run is kept on one page: its numbers stand beside its neighbours' labels.
		const need = i === slideFrom ? rows.slice(slideFrom, slideTo + 1).reduce((h, r) => h + heightOf(r), 0) : i > slideFrom && i <= slideTo ? 0 : height;
		if (sheet.room(need) && own.chance(REPEAT_HEADER)) {
			requestsHeader(sheet);
			layout.headerRepeated = true;
		}
		const top = sheet.y;
		row.lines.forEach((t, i) => sheet.texts.push({ x: LABEL_X[row.col], y: top - PAD / 2 - SIZE - i * LINE, text: t, size: SIZE }));
		sheet.y = top - height;
		placed.push({ row, page: sheet.pages.length - 1, top, bottom: sheet.y, first: top - PAD / 2 - SIZE });
	}
	placed.forEach((p, i) => {
		const { row } = p;
		if (!row.numbers) return;
		let base = p.first - row.at * LINE;
		if (i >= slideFrom && i <= slideTo) {
			if (down) base = i < slideTo ? placed[i + 1].first : p.bottom - 1;
			else base = i > slideFrom ? placed[i - 1].first : p.top + 1;
		}
		const texts = sheet.pages[p.page].texts!;
		row.numbers.forEach((v, c) => v !== '' && texts.push(centred(v, T3_COLUMNS[c], base, 10)));
	});
	layout.split = sheet.pages.length > firstPage;
	// Merged cells: a group's label floats in the middle of its rows on the page where the group starts.
	const groups = new Set(rows.map((r) => r.group).filter(Boolean));
	for (const group of groups) {
		const mine = placed.filter((p) => p.row.group === group);
		const here = mine.filter((p) => p.page === mine[0].page);
		sheet.pages[mine[0].page].texts!.push({ x: LABEL_X.b, y: (here[0].top + here[here.length - 1].bottom) / 2 - 3.5, text: group!, size: SIZE });
	}
	const granted = placed.find((p) => p.row.key === 'granted');
	if (granted) sheet.pages[granted.page].texts!.push({ x: 66, y: granted.top - 30, text: OUTCOMES_GROUP_TEXT, size: SIZE, vertical: true });
}

/** Table 四 as three small tables, each its title, five header cells and a row of numbers. */
function smallCaseTables(sheet: Sheet, record: CompleteRecord, rng: Rng): void {
	const heads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
	const cols = heads.map((_, i) => 150 + i * 80);
	for (const g of CASE_GROUPS) {
		sheet.room(70);
		sheet.texts.push(centred(rng.pick(CASE_TABLE_TITLES[g]), 297.5, (sheet.y -= 26), 10.5));
		sheet.y -= 20;
		heads.forEach((h, i) => sheet.texts.push(centred(h, cols[i], sheet.y)));
		sheet.y -= 20;
		CASE_FIELDS.forEach((f, i) => sheet.texts.push(centred(String(record[g]?.[f] ?? 0), cols[i], sheet.y, 10)));
	}
}

export interface GeneratedPdf {
	record: CompleteRecord;
	bytes: Uint8Array;
	/** synthetic-00012-2023.pdf */
	fileName: string;
	layout: PdfLayout;
}

/** The report of `seed` (the same record as generateReport's) as a PDF with the layouts above. */
export function generatePdfReport(seed: number, opts: { template?: Template; year?: number; index?: number } = {}): GeneratedPdf {
	const record = generateRecord(seed, opts);
	const rng = createRng(deriveSeed(seed, PDF_STREAM));
	const outline = reportOutline(record, rng, resolveNoise(0));
	const sheet = new Sheet();
	const layout: PdfLayout = { slid: 0, slidBlankEnd: false, blankRows: 0, split: false, headerRepeated: false, smallCaseTables: false, pages: 0 };
	sheet.y -= 10;
	for (const line of pieces(outline.title, 24)) sheet.texts.push(centred(line, 297.5, (sheet.y -= 28), 18));
	sheet.y -= 10;
	for (const text of [outline.dateLine, outline.notice]) sheet.paragraph(text, 10.5);
	for (const block of outline.blocks) {
		if (block.kind !== 'table') sheet.paragraph(block.text, block.kind === 'heading' ? 14 : 12);
		else if (block.grid.table === '三') requestsTable(sheet, record, rng, layout);
		else if (block.grid.table === '四' && rng.chance(0.5)) {
			smallCaseTables(sheet, record, rng);
			layout.smallCaseTables = true;
		} else if (block.grid.table === '四') casesTable(sheet, block.grid);
		else activeTable(sheet, block.grid);
	}
	const pages = sheet.finish();
	layout.pages = pages.length;
	return {
		record,
		bytes: writePdf({ pages, title: outline.title }),
		fileName: `synthetic-${String(opts.index ?? seed).padStart(5, '0')}-${record.year}.pdf`,
		layout
	};
}
