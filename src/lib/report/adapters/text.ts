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

/**
 * Plain text → document: every non-blank line is prose, and also a table row
 * (tab-separated, markdown pipes, or space-separated words). The template
 * mapping decides which rows belong to which table.
 */
export function textAdapter(text: string): ReportDocument {
	const lines: string[] = [];
	const loose: Table = { rows: [], exactCells: false };
	const piped: Table = { rows: [], exactCells: false, pipes: true };
	const rows: { table: Table; row: Cell[] }[] = [];
	// A string split is cheaper than a regexp split, and the same when there is no \r.
	for (const raw of text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n')) {
		const trimmed = raw.trim();
		if (!trimmed) {
			// A line of tabs only is a table row whose every cell is blank (an agency with no case prints
			// table 四's values so): kept as a row of empty cells, never as prose. The mapping decides.
			const fields = raw.includes('\t') ? raw.split('\t').length : 0;
			if (fields > 1 && fields <= MAX_FIELDS) rows.push({ table: loose, row: Array.from({ length: fields }, () => cell('')) });
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
			table = loose;
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
	for (const { table, row } of rows) {
		if (table !== last) {
			tables.push(table.pipes ? { rows: [], exactCells: table.exactCells, pipes: true } : { rows: [], exactCells: table.exactCells });
			last = table;
		}
		tables[tables.length - 1].rows.push(row);
	}
	return { lines, tables, titles: [] };
}
