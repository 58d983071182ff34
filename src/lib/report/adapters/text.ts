import { cell, type Cell, type ReportDocument, type Table } from '../document';
import { isValueText } from '../numbers';

const MAX_ROW_CHARS = 2000;
const MAX_FIELDS = 64;

const MD_SEPARATOR = /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/;

/** "| a | b |" → ["a", "b"]. */
function splitPipes(line: string): string[] {
	let s = line.trim();
	if (s.startsWith('|')) s = s.slice(1);
	if (s.endsWith('|')) s = s.slice(0, -1);
	return s.split('|').map((c) => c.trim());
}

/** "a\t b \tc" → ["a", "b", "c"]: raw.split('\t').map(trim) without the intermediate array (every row of a tab-separated table). */
function tabFields(raw: string): string[] {
	const out: string[] = [];
	let start = 0;
	for (let tab = raw.indexOf('\t'); tab >= 0; tab = raw.indexOf('\t', start)) {
		out.push(raw.slice(start, tab).trim());
		start = tab + 1;
	}
	out.push(raw.slice(start).trim());
	return out;
}

/**
 * A line without tabs: words separated by spaces. Numbers become cells of
 * their own and the words between them join into one label cell, so
 * "(二) 部分公开 (区分处理的) 3 0 0" → ["(二) 部分公开 (区分处理的)", "3", "0", "0"].
 */
function splitSpaces(line: string): string[] {
	const out: string[] = [];
	let label = '';
	for (const word of line.trim().split(/[ \u3000\u00a0]+/)) {
		if (!word) continue;
		if (isValueText(word) && /\d|^[-—–/／无]+$/.test(word)) {
			if (label) out.push(label);
			label = '';
			out.push(word);
		} else label = label ? `${label} ${word}` : word;
	}
	if (label) out.push(label);
	return out;
}

/** A line that is one value and nothing else: a number, or a mark printed for zero. */
function loneValue(row: readonly Cell[]): boolean {
	return row.length === 1 && isValueText(row[0].text) && /\d|^[-—–/／无]+$/.test(row[0].text);
}

/** A column heading of table 三 or 四 on a line of its own (a unit after it in brackets allowed: （件）): never a row's label. */
const COLUMN_HEADING =
	/^(申请人情况|自然人|法人或其他组织|商业企业|科研机构|社会公益组织|法律服务机构|其他|小计|总计|行政复议|行政诉讼|未经复议直接起诉|复议后起诉|结果维持|结果纠正|其他结果|尚未审结)\s*(?:[（(][件个项次][）)])?$/;

const OUTCOMES = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
/**
 * The column headings of tables 三 and 四 as the template prints them, a cell after another. Headings a line each
 * cannot say which column is whose (a heading's span is lost): only a run of them the template prints is read.
 */
const HEADING_RUNS = [
	['申请人情况', '自然人', '法人或其他组织', '总计', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
	['行政复议', '行政诉讼', ...OUTCOMES, '未经复议直接起诉', '复议后起诉', ...OUTCOMES, ...OUTCOMES],
	...['行政复议', '未经复议直接起诉', '复议后起诉'].map((group) => [group, ...OUTCOMES])
].map((run) => `\n${run.join('\n')}\n`);

/**
 * Column headings a line each, one after another: one header row, as a table prints it (a heading printed again
 * starts the next). Undefined when a run of them is not one the template prints.
 */
function joinHeadings(rows: { table: Table; row: Cell[] }[], loose: Table): { table: Table; row: Cell[] }[] | undefined {
	const out: { table: Table; row: Cell[] }[] = [];
	let run: string[] = [];
	const templateRun = () => run.length === 0 || HEADING_RUNS.some((t) => t.includes(`\n${run.join('\n')}\n`));
	for (const r of rows) {
		const last = out.length > 0 ? out[out.length - 1] : undefined;
		const heading = r.table === loose && r.row.length === 1 && COLUMN_HEADING.test(r.row[0].text);
		if (heading) run.push(COLUMN_HEADING.exec(r.row[0].text)![1]);
		else if (!templateRun()) return undefined;
		else run = [];
		const joins = heading && last?.table === loose && last.row.every((c) => COLUMN_HEADING.test(c.text) && c.text !== r.row[0].text);
		if (joins) last.row.push(r.row[0]);
		else out.push(heading ? { table: loose, row: [...r.row] } : r);
	}
	return templateRun() ? out : undefined;
}

/**
 * Text from a page scraped one table cell to a line: each run of lines that
 * are one value each is one row, after the line of label text just before it
 * (a column heading excepted). Read as they stand, every number was a row of
 * its own and no table had a row of numbers.
 */
function joinCellLines(rows: { table: Table; row: Cell[] }[], loose: Table): { table: Table; row: Cell[] }[] {
	const out: { table: Table; row: Cell[] }[] = [];
	for (let i = 0; i < rows.length; i++) {
		if (rows[i].table !== loose || !loneValue(rows[i].row)) {
			out.push(rows[i]);
			continue;
		}
		const cells: Cell[] = [];
		for (; i < rows.length && rows[i].table === loose && loneValue(rows[i].row); i++) cells.push(rows[i].row[0]);
		i--;
		const before = out.length > 0 ? out[out.length - 1] : undefined;
		if (before?.table === loose && before.row.length === 1 && !isValueText(before.row[0].text) && !COLUMN_HEADING.test(before.row[0].text))
			out[out.length - 1] = { table: loose, row: [before.row[0], ...cells] };
		else out.push({ table: loose, row: cells });
	}
	return out;
}

/** Lines that are a number alone: a table of a report laid out a cell to a line has scores of them. */
const MANY_LONE_NUMBERS = 20;

/** Whether a document's lines look like a page scraped a table cell to a line (many lines that are one number each). */
export function looksCellPerLine(lines: readonly string[]): boolean {
	let lone = 0;
	for (const line of lines) if (/\d/.test(line) && isValueText(line) && ++lone >= MANY_LONE_NUMBERS) return true;
	return false;
}

/**
 * Plain text → document: every non-blank line is prose, and also a table row
 * (tab-separated, markdown pipes, or space-separated words). The template
 * mapping decides which rows belong to which table.
 */
export function textAdapter(text: string): ReportDocument {
	const lines: string[] = [];
	const loose: Table = { rows: [], exactCells: false };
	const piped: Table = { rows: [], exactCells: false, pipes: true };
	const tabbed: Table = { rows: [], exactCells: false, tabs: true };
	const rows: { table: Table; row: Cell[] }[] = [];
	// A string split is cheaper than a regexp split, and the same when there is no \r.
	for (const raw of text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n')) {
		const trimmed = raw.trim();
		if (!trimmed) {
			// A line of tabs only is a table row whose every cell is blank (an agency with no case prints
			// table 四's values so): kept as a row of empty cells, never as prose. The mapping decides.
			const fields = raw.includes('\t') ? raw.split('\t').length : 0;
			if (fields > 1 && fields <= MAX_FIELDS) rows.push({ table: tabbed, row: Array.from({ length: fields }, () => cell('')) });
			continue;
		}
		lines.push(trimmed.replace(/\s+/g, ' '));
		// A table row is short; a very long line is prose (or not a report at all).
		if (raw.length > MAX_ROW_CHARS) continue;
		let fields: string[];
		let table: Table;
		// GitHub-flavoured markdown lets a row leave out its outer pipes ("a | b | c"); a tab-separated line is not one.
		if ((trimmed.startsWith('|') && trimmed.length > 1) || (trimmed.includes('|') && !raw.includes('\t'))) {
			if (MD_SEPARATOR.test(trimmed)) continue;
			fields = splitPipes(trimmed);
			table = piped;
		} else if (raw.includes('\t')) {
			fields = tabFields(raw);
			table = tabbed;
		} else {
			fields = splitSpaces(raw);
			table = loose;
		}
		if (fields.length > MAX_FIELDS) continue;
		rows.push({ table, row: fields.map((f) => cell(f)) });
	}
	// Keep document order across both kinds of rows: one table per run of a kind.
	const tables: Table[] = [];
	let last: Table | undefined;
	// A page scraped a cell to a line has runs of lines of one value each; only such a page is read so.
	const cellLines = rows.some((r, i) => i > 0 && loneValue(r.row) && rows[i - 1].table === loose && loneValue(rows[i - 1].row) && r.table === loose);
	for (const { table, row } of (cellLines && joinHeadings(joinCellLines(rows, loose), loose)) || rows) {
		if (table !== last) {
			tables.push({ ...table, rows: [] });
			last = table;
		}
		tables[tables.length - 1].rows.push(row);
	}
	return { lines, tables, titles: [] };
}
