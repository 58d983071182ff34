/**
 * The format-neutral shape every adapter produces: the document's prose as
 * lines, and its tables as rows of cells. Adapters know formats and nothing
 * about reports; the template mapping (mapping/) knows reports and nothing
 * about formats.
 */

export interface Cell {
	text: string;
	rowspan: number;
	colspan: number;
	/** 1-based page the cell is printed on, for formats with pages (PDF). */
	page?: number;
	/** Grid columns a Word row skips before its first cell (w:gridBefore): no cell is printed there, so it holds no label and no value. */
	skipped?: true;
}

export interface Table {
	rows: Cell[][];
	/**
	 * True when cell boundaries are reliable (HTML, Word): an empty cell is a
	 * blank value. False for text split on tabs or spaces, and for markdown
	 * pipes, where an empty field may be a merged label column.
	 */
	exactCells: boolean;
	/** Markdown pipe rows: cells as an extractor drew them, which may hold two counts or an empty cell pushed in (mapping/cells.ts). */
	pipes?: boolean;
	/** Text split on tabs: each field is a cell of the page it was copied from, so a number printed with words stands in its own field. */
	tabs?: boolean;
}

export interface ReportDocument {
	/** Prose in reading order, one line per paragraph (tables excluded). */
	lines: string[];
	tables: Table[];
	/** Text of <title> and headings, where the format has them. */
	titles: string[];
}

/** A document adapter: decoded text in, document out. */
export type Adapter = (text: string) => ReportDocument;

export function cell(text: string, rowspan = 1, colspan = 1): Cell {
	return { text, rowspan, colspan };
}
