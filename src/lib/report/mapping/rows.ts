import type { Table } from '../document';
import { labelKey, toHalfWidth } from '../normalize';
import { looksChineseNumeral, problemText, readCell, readNumber, shownCell, type CellValue } from '../numbers';
import { APPLICANT_LABELS, cellKind, type ReportIssue } from '../schema';

/** One table row as the mapping sees it: its label and the value cells after it. */
export interface RowView {
	/** labelKey of every label cell in the row, joined. */
	label: string;
	/** The label as printed, for messages. */
	printed: string;
	/** Each label cell's text. */
	labelCells: string[];
	/** Raw texts of the cells after the last label cell. */
	values: string[];
	exact: boolean;
	/** A markdown pipe row (Table.pipes). */
	pipes?: boolean;
	/** The page each value cell is printed on, where the format has pages (PDF). */
	pages?: number[];
	/** A page footer ("- 7 -", "第 7 页") printed where the table breaks across pages: no row of any table. */
	footer?: boolean;
	/** A row's label standing alone in a text layer, read as a row of blank cells (mapping/requests.ts). */
	labelOnly?: boolean;
	/** The table's header prints its columns in another order, and this row's cells could not be matched to them (columns.ts). */
	columnsUnplaced?: boolean;
	/** Columns the table's header does not print (columns.ts): null in the record, whatever `values` holds there. */
	absent?: string[];
}

export type TableNo = '二' | '三' | '四';

/** Labels longer than this are prose, not table rows. */
export const MAX_LABEL = 64;

export function isBlank(text: string): boolean {
	return readCell(text)?.note === 'blank';
}

// Every row of a document comes through here (in text, every line): plain loops, no intermediate arrays.
function viewRow(cells: { text: string; page?: number }[], exact: boolean, pipes?: boolean, tabs?: boolean): RowView {
	let lastLabel = -1;
	let seenValue = false;
	const labels: string[] = [];
	for (let i = 0; i < cells.length; i++) {
		const text = cells[i].text;
		// Not a value (a blank or white-space cell reads as one): a label. In an HTML or Word table, a cell among the
		// numbers that prints a number with words we don't read ("128左右") is one of the row's cells, unreadable, not
		// part of the label: taken into the label it would drop the row or shift its numbers. So in text split on tabs (copied
		// from such a table), where a field is a cell; not in text split on spaces, where "12月31日" after a number is words.
		const v = readCell(text);
		// A Chinese numeral opening the row before its label ("一" | "本年新收…") is the row's numbering, not a count.
		if (v === undefined || (v.numeral !== undefined && lastLabel < 0 && !valueBefore(cells, i) && !valueFollows(cells, i))) {
			if ((exact || tabs === true) && strayNumber(text) && (seenValue || (lastLabel >= 0 && valueFollows(cells, i)))) continue;
			lastLabel = i;
			labels.push(text);
		} else if ((exact || tabs === true) && !seenValue && text.trim() !== '') seenValue = true; // read where the stray rule applies only
	}
	const joined = labels.length === 1 ? labels[0] : labels.join(' ');
	const printed = joined.trim().replace(/\s+/g, ' ');
	const values: string[] = [];
	let paged = cells.length > lastLabel + 1;
	for (let i = lastLabel + 1; i < cells.length; i++) {
		values.push(cells[i].text);
		if (cells[i].page === undefined) paged = false;
	}
	const view: RowView = { label: labelKey(printed), printed, labelCells: labels, values, exact };
	if (paged) view.pages = cells.slice(lastLabel + 1).map((c) => c.page!);
	if (pipes) view.pipes = true;
	if (isPageFooter(cells)) view.footer = true;
	return view;
}

/** A row's numbering ("1.", "2、", "（3）") starts a label, never a number. */
export const NUMBERING = /^\s*[(（]?\d{1,2}\s*[.、．)）]/;

/** Cell text that holds a digit but is not a row's numbering (a number printed with words), or Chinese numerals we do not read ("一百二"). */
function strayNumber(text: string): boolean {
	if (text.length > 32) return false;
	const half = toHalfWidth(text);
	return (/\d/.test(half) && !NUMBERING.test(half)) || looksChineseNumeral(text);
}

/** Whether a non-blank value stands before the i-th cell (asked of Chinese numerals only: seenValue is kept for exact cells alone). */
function valueBefore(cells: readonly { text: string }[], i: number): boolean {
	for (let j = 0; j < i; j++) {
		const v = readCell(cells[j].text);
		if (v !== undefined && v.note !== 'blank') return true;
	}
	return false;
}

/** Whether the next non-blank cell after the i-th is a value (the i-th then stands among the numbers). */
function valueFollows(cells: readonly { text: string }[], i: number): boolean {
	for (let j = i + 1; j < cells.length; j++) {
		const v = readCell(cells[j].text);
		if (v?.note !== 'blank') return v !== undefined;
	}
	return false;
}

/**
 * A page footer printed inside a table where it breaks across pages ("- 7 -",
 * "第 7 页", "第7页 共12页", "7/12"): not a row of the table. Only the whole
 * line, with its page number marked as one, so a stray count is still reported.
 */
const PAGE_FOOTER =
	/^(?:[-－—–―~·•]\s*\d{1,4}\s*[-－—–―~·•]|第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,，、]?\s*第\s*\d{1,4}\s*页|\d{1,4}\s*\/\s*\d{1,4})$/;

/** Whether a row's cells, as printed, are a page footer (`7/12`: the page is not past the count of pages). */
function isPageFooter(cells: readonly { text: string }[]): boolean {
	// Every line of a text document comes through here: the long ones (prose) are turned away before any string is built.
	if (cells.length > 5) return false;
	let length = 0;
	for (const c of cells) length += c.text.length;
	if (length > 24) return false;
	const text =
		cells.length === 1
			? cells[0].text.trim()
			: cells
					.map((c) => c.text)
					.join(' ')
					.trim();
	if (!PAGE_FOOTER.test(text)) return false;
	const pages = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
	return !pages || Number(pages[1]) <= Number(pages[2]);
}

/**
 * The page of a row's i-th value of n after fitting (PDF): the cell's own where
 * fitting kept one cell per value, else the row's first (a row is one printed line).
 */
export function pageOf(row: RowView | undefined, i: number, n: number): number | undefined {
	const pages = row?.pages;
	if (!pages) return undefined;
	return pages.length === n ? pages[i] : pages[0];
}

/** Every row of the tables, in order (an array: a generator's resumption cost more than the rows). */
export function rowsOf(tables: Table[]): RowView[] {
	const out: RowView[] = [];
	// Columns a Word row skips hold nothing: the row is its printed cells (they stand where the spans say, for what reads spans).
	for (const t of tables) for (const r of t.rows) out.push(viewRow(r.some((c) => c.skipped) ? r.filter((c) => !c.skipped) : r, t.exactCells, t.pipes, t.tabs));
	return out;
}

export type Fit = { cells: string[]; problem?: 'missing' | 'extra' | 'ambiguous' };

/**
 * Fit a row's value cells to the n columns the template has.
 *
 * Exact cells (HTML, Word, markdown): extra blank cells at either end are
 * dropped (an empty trailing column of a Word table); what still does not fit
 * is reported.
 *
 * Text split on tabs: an empty field is either a blank value or the shadow of a
 * merged cell, so: exactly n numbers → in order; else, when the template's
 * grid is known, one field per grid column; else n fields between the first
 * and last number → by position; else right-aligned to the row's end
 * (leading empties are merged label columns), flagged as a guess.
 */
export function fit(values: string[], n: number, exact: boolean, grid?: readonly (string | null)[]): Fit {
	const v = values.slice();
	if (!exact) {
		const numbers = v.filter((x) => !isBlank(x));
		if (numbers.length === n) return { cells: numbers };
		if (grid) {
			const w = v.slice();
			while (w.length > grid.length && isBlank(w[w.length - 1])) w.pop();
			if (w.length === grid.length) return { cells: w.filter((_, i) => grid[i] !== null) };
		}
		let first = 0;
		let last = v.length - 1;
		while (first <= last && isBlank(v[first])) first++;
		while (last >= first && isBlank(v[last])) last--;
		if (last - first + 1 === n) return { cells: v.slice(first, last + 1) };
		if (numbers.length === 0) return { cells: new Array<string>(n).fill('') };
		if (last + 1 >= n && last - first + 1 < n) return { cells: v.slice(last + 1 - n, last + 1), problem: 'ambiguous' };
	}
	while (v.length > n && isBlank(v[v.length - 1])) v.pop();
	while (v.length > n && isBlank(v[0])) v.shift();
	if (v.length > n) return { cells: v.slice(0, n), problem: 'extra' };
	if (v.length < n) {
		// Text where empty cells vanished: keep what is there in order, the last
		// non-blank value in the last column (总计), and flag the row.
		const filled = new Array<string>(n).fill('');
		const present = v.filter((x) => !isBlank(x));
		present.forEach((x, i) => {
			filled[i === present.length - 1 && n > 1 ? n - 1 : i] = x;
		});
		return { cells: filled, problem: 'missing' };
	}
	return { cells: v };
}

/** Value cells read, and how many of them were blank: all blank is a copy of the empty template. */
export interface Tally {
	cells: number;
	blank: number;
}

/**
 * One fitted cell's value (a missing cell reads as blank = 0), counted in the
 * tally; a dash or 无 read as 0 is noted, and a number the column cannot hold
 * as printed (numbers.ts) is null with an issue naming the printed text.
 */
export function readValue(printed: string, tally: Tally, issues: ReportIssue[], table: TableNo, row: string, column: string): CellValue {
	const v = readNumber(printed, cellKind(column));
	tally.cells++;
	if (v.note === 'blank') tally.blank++;
	if (v.problem) {
		issues.push({
			code: 'cell_unreadable',
			severity: v.problem === 'spaced' || v.problem === 'too_long' ? 'error' : 'warning',
			message: `表${table} ${row} / ${column}：单元格为“${shownCell(printed)}”，${problemText(v.problem)}，记为空（null）`,
			where: { table, row, column }
		});
	} else if (v.approx) {
		// The agency's own number, but not an exact count: read, never silently exact.
		issues.push({
			code: 'approximate',
			severity: 'warning',
			message: `表${table} ${row} / ${column}：单元格为“${shownCell(printed)}”，是约数，按 ${v.value} 计，并非确数${v.mark ? `（“${v.mark}”是注释或附注）` : ''}`,
			where: { table, row, column }
		});
	} else if (v.numeral !== undefined) {
		issues.push({
			code: 'chinese_numeral',
			severity: 'info',
			message: `表${table} ${row} / ${column}：单元格为“${shownCell(printed)}”，是汉字数字，按 ${v.value} 计`,
			where: { table, row, column }
		});
	} else if (v.mark) {
		issues.push({
			code: 'footnote_mark',
			severity: 'info',
			message: `表${table} ${row} / ${column}：单元格为“${shownCell(printed)}”，数字后的“${v.mark}”是注释或附注，按 ${v.value} 计`,
			where: { table, row, column }
		});
	} else if (v.note === 'dash' || v.note === 'none') {
		issues.push({
			code: 'dash_as_zero',
			severity: 'info',
			message: `表${table} ${row} / ${column}：单元格为“${printed.trim()}”，按 0 计`,
			where: { table, row, column }
		});
	}
	return v;
}

/** The issue for a row whose value cells did not fit the template's columns. */
export function shapeIssue(table: TableNo, row: string, printed: string, problem: NonNullable<Fit['problem']>, view: RowView, expected: number): ReportIssue {
	const got = view.values.filter((v) => !isBlank(v)).length;
	if (problem === 'ambiguous')
		return {
			code: 'cells_ambiguous',
			severity: 'warning',
			message: `表${table}「${printed}」的空单元格在文本中无法与合并单元格区分；按右对齐读取 ${expected} 列，请核对原件`,
			where: { table, row },
			expected,
			actual: got
		};
	return problem === 'missing'
		? {
				code: 'cells_missing',
				severity: 'error',
				message: `表${table}「${printed}」应有 ${expected} 个数，只读到 ${got} 个（空单元格在文本中丢失）；按顺序填入、最后一个数作${table === '三' ? APPLICANT_LABELS.total : '末列'}，请核对原件`,
				where: { table, row },
				expected,
				actual: got
			}
		: {
				code: 'cells_extra',
				severity: 'error',
				message: `表${table}「${printed}」应有 ${expected} 个数，读到 ${view.values.length} 个；取前 ${expected} 个，请核对原件`,
				where: { table, row },
				expected,
				actual: view.values.length
			};
}
