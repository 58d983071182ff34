import { Parser, type Handler } from 'htmlparser2';
import { cell, type Cell, type ReportDocument, type Table } from '../document';

/** Elements whose content is never report text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'select', 'textarea']);

/** Elements that end a line of prose (everything else is inline: span, font, a, b …). */
const BLOCK = new Set([
	'address',
	'article',
	'aside',
	'blockquote',
	'body',
	'br',
	'caption',
	'center',
	'dd',
	'div',
	'dl',
	'dt',
	'fieldset',
	'figcaption',
	'figure',
	'footer',
	'form',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'head',
	'header',
	'hr',
	'html',
	'li',
	'main',
	'nav',
	'ol',
	'p',
	'pre',
	'section',
	'table',
	'tbody',
	'td',
	'tfoot',
	'th',
	'thead',
	'title',
	'tr',
	'ul'
]);

const HEADINGS = new Set(['title', 'h1', 'h2', 'h3']);

/** SKIP, BLOCK and HEADINGS as one bit set per tag name: one lookup per tag (a CMS page has thousands), not three. */
const SKIPPED = 1;
const BLOCKING = 2;
const HEADING = 4;
const TAG_KINDS = new Map<string, number>();
for (const [names, bit] of [
	[SKIP, SKIPPED],
	[BLOCK, BLOCKING],
	[HEADINGS, HEADING]
] as const)
	for (const name of names) TAG_KINDS.set(name, (TAG_KINDS.get(name) ?? 0) | bit);

/** Bounds that keep a hostile page linear: spans are clamped, huge tables cut. */
const MAX_SPAN = 1000;
const MAX_ROWS_PER_TABLE = 2000;
/** The widest standard table has 15 value columns; layout tables may be wider, never report tables. */
const MAX_CELLS_PER_ROW = 64;
/** A table inside a cell with at most this many cells is read as the cell's text. */
const MAX_NESTED_CELLS = 4;
/**
 * htmlparser2 keeps its open elements in an array it shifts at the front, so
 * each open tag costs the current depth: 100,000 nested tags took minutes.
 * Past this depth (real pages stay far below it) the parse goes on with a
 * fresh parser from the next character: deeper elements are flattened into
 * the ones already open, and the cost stays linear in the input.
 */
const MAX_DEPTH = 256;
/** Raw-text elements: a parser restarted inside one would read its content as markup. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);

function span(value: string | undefined): number {
	const n = Number.parseInt(value ?? '', 10);
	if (!Number.isFinite(n) || n < 1) return 1;
	return Math.min(n, MAX_SPAN);
}

interface OpenTable {
	table: Table;
	row: Cell[] | null;
	cell: Cell | null;
}

/**
 * HTML → document. A streaming pass: no DOM, no recursion, so 10,000 nested
 * tags or a 20 MB page cost one linear scan. Tables nested in layout tables
 * are read as tables of their own; all text, inside tables or not, also flows
 * into the prose lines (titles and the statistics-period sentence often sit in
 * a layout cell).
 */
export function htmlAdapter(html: string): ReportDocument {
	const lines: string[] = [];
	const titles: string[] = [];
	const tables: Table[] = [];
	const open: OpenTable[] = [];
	let line = '';
	let skipDepth = 0;
	let headingDepth = 0;
	let heading = '';
	/** Open <sup> elements: a cell's superscript digits ("12<sup>1</sup>", Word's superscript runs) are a footnote's number. */
	let supDepth = 0;

	const endLine = () => {
		// Every block tag ends a line, and between them is mostly indentation: trim first, it is cheap.
		const trimmed = line.trim();
		if (trimmed) lines.push(trimmed.replace(/\s+/g, ' '));
		line = '';
	};
	// Not open[open.length - 1]: outside any table that reads index -1, a slow named-property lookup, on every tag and text.
	const current = (): OpenTable | undefined => (open.length > 0 ? open[open.length - 1] : undefined);
	// Depth of the current parser's open elements (its own stack is private).
	let depth = 0;
	let parser: Parser | null = null;
	/** Where the next parser starts, when this one stopped: the '<' of the tag too deep to open. */
	let cut: number;

	// The tag being opened: its attributes arrive after its name (see below).
	let meta: { name?: string; content?: string } | null = null;
	/** The cell being opened, and which of its spans were given (the first of a repeated attribute counts). */
	let tagCell: Cell | null = null;
	let rowspanSeen = false;
	let colspanSeen = false;

	// Attributes matter on two tags (a cell's spans, a meta's title); a CMS page gives thousands of others.
	const onattribute = (name: string, value: string) => {
		if (meta) {
			if (name === 'name') meta.name ??= value;
			else if (name === 'content') meta.content ??= value;
		} else if (tagCell) {
			if (name === 'rowspan' && !rowspanSeen) {
				rowspanSeen = true;
				tagCell.rowspan = span(value);
			} else if (name === 'colspan' && !colspanSeen) {
				colspanSeen = true;
				tagCell.colspan = span(value);
			}
		}
	};

	/**
	 * Tags are handled at their name and their attributes one by one
	 * (onopentagname, onattribute), not with onopentag: given onopentag,
	 * htmlparser2 builds an attribute object for every tag of the page, a
	 * sixth of the parse. As with that object, the first of a repeated
	 * attribute counts.
	 */
	const handler: Partial<Handler> = {
		onopentagname(name) {
			meta = null;
			tagCell = null;
			// Asked for only while a tag that needs them opens (htmlparser2 looks the handler up per attribute).
			handler.onattribute = undefined;
			depth++;
			if (depth > MAX_DEPTH && !RAW_TEXT.has(name) && parser) {
				// Not handled here: the fresh parser reads this tag again from its '<'.
				cut = parser.startIndex;
				parser.pause();
				return;
			}
			const kind = TAG_KINDS.get(name) ?? 0;
			if (kind & SKIPPED) {
				skipDepth++;
				return;
			}
			if (skipDepth) return;
			if (name === 'meta') {
				meta = {};
				handler.onattribute = onattribute;
				return;
			}
			if (kind & BLOCKING) endLine();
			if (kind & HEADING) {
				headingDepth++;
				heading = '';
			}
			const top = current();
			switch (name) {
				case 'table': {
					const table: Table = { rows: [], exactCells: true };
					tables.push(table);
					open.push({ table, row: null, cell: null });
					break;
				}
				case 'tr':
					if (top) {
						top.cell = null;
						top.row = top.table.rows.length < MAX_ROWS_PER_TABLE ? [] : null;
						if (top.row) top.table.rows.push(top.row);
					}
					break;
				case 'td':
				case 'th':
					if (top) {
						if (!top.row) {
							if (top.table.rows.length >= MAX_ROWS_PER_TABLE) break;
							top.row = [];
							top.table.rows.push(top.row);
						}
						if (top.row.length < MAX_CELLS_PER_ROW) {
							top.cell = cell('');
							top.row.push(top.cell);
							tagCell = top.cell;
							rowspanSeen = colspanSeen = false;
							handler.onattribute = onattribute;
						} else top.cell = null;
					}
					break;
				case 'br':
					if (top?.cell) top.cell.text += '\n';
					break;
				case 'sup':
					supDepth++;
					break;
				case 'p':
				case 'div':
					if (top?.cell && top.cell.text) top.cell.text += '\n';
					break;
			}
		},
		// Present from the start, so setting it per tag keeps the handler's shape.
		onattribute: undefined,
		ontext(data) {
			if (skipDepth) return;
			// White space that would open a line is trimmed off it anyway (most of it: indentation between block tags).
			// Printed as superscript, not as more digits of the number before them: 12<sup>1</sup> is 12 and note 1, never 121
			// (in a cell and in a sentence alike).
			const text = supDepth > 0 ? superscriptDigits(data) : data;
			if (line || data.charCodeAt(0) > 32 || data.trim()) line += text;
			if (headingDepth) heading += data;
			const top = current();
			if (top?.cell) top.cell.text += text;
		},
		onclosetag(name) {
			depth--;
			if (meta && name === 'meta') {
				// A void element: closed as soon as its attributes are read.
				const key = (meta.name ?? '').toLowerCase();
				if ((key === 'articletitle' || key === 'title') && meta.content) titles.push(meta.content);
				meta = null;
			}
			const kind = TAG_KINDS.get(name) ?? 0;
			if (kind & SKIPPED) {
				if (skipDepth) skipDepth--;
				return;
			}
			if (skipDepth) return;
			if (name === 'sup' && supDepth > 0) supDepth--;
			if (kind & BLOCKING) endLine();
			if (kind & HEADING && headingDepth) {
				headingDepth--;
				const t = heading.replace(/\s+/g, ' ').trim();
				if (t) titles.push(t);
				heading = '';
			}
			const top = current();
			if (!top) return;
			if (name === 'table') {
				open.pop();
				const outer = current()?.cell;
				if (outer) nestedInCell(top.table, outer);
			} else if (name === 'tr') {
				top.row = null;
				top.cell = null;
			} else if (name === 'td' || name === 'th') top.cell = null;
		}
	};
	/**
	 * A table of a few cells inside a cell (a number set in a one-cell table, a
	 * count beside its unit) is that cell's content: read on its own it left
	 * the cell empty, and an empty cell is a zero. A larger table inside a cell
	 * (a layout table holding the report) stays a table of its own.
	 */
	const nestedInCell = (inner: Table, outer: Cell) => {
		let cells = 0;
		for (const row of inner.rows) cells += row.length;
		if (cells > MAX_NESTED_CELLS) return;
		const text = inner.rows
			.map((row) =>
				row
					.map((c) => c.text.trim())
					.filter(Boolean)
					.join(' ')
			)
			.filter(Boolean)
			.join('\n');
		if (text) outer.text += outer.text && !/\s$/.test(outer.text) ? `\n${text}` : text;
		const at = tables.lastIndexOf(inner);
		if (at >= 0) tables.splice(at, 1);
	};
	let rest = html;
	for (;;) {
		const p = new Parser(handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
		parser = p;
		depth = 0;
		cut = -1;
		p.write(rest);
		if (cut < 0) {
			p.end();
			break;
		}
		rest = rest.slice(cut);
	}
	endLine();
	return { lines, tables: tables.filter((t) => t.rows.length > 0), titles };
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Digits (ASCII or full-width) as their superscript forms, the rest as it is. */
function superscriptDigits(text: string): string {
	return text.replace(/[0-9０-９]/g, (d) => SUPERSCRIPT[d.charCodeAt(0) >= 0xff10 ? d.charCodeAt(0) - 0xff10 : d.charCodeAt(0) - 48]);
}

/** A cheap look at the start of a text: is this HTML? */
export function looksLikeHtml(text: string): boolean {
	// Case-insensitive on the slice, not lower-cased first: the same answer without copying 4 KB per file.
	return /<(!doctype html|html|head|body|meta|table|div|p|span|title)[\s>/]/i.test(text.slice(0, 4096));
}
