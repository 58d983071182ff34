import { labelKey, toHalfWidth } from '../normalize';
import {
	APPLICANT_COLUMNS,
	APPLICANT_LABELS,
	OTHER_SPLIT_ROWS,
	REQUEST_ROWS,
	REQUEST_ROW_LABELS,
	emptyRequests,
	type ReportIssue,
	type RequestCells,
	type RequestRow
} from '../schema';
import {
	OTHER_GROUP_PREFIX,
	OTHER_OTHER_ROW,
	REQUEST_ROW_PATTERNS,
	REQUESTS_HEADER_ROW,
	SECTION_PATTERNS,
	UNGROUPED_REQUEST_ROWS,
	type RequestSection
} from '../template/labels';
import { readingKey, type CellReading, type Readings } from '../provenance';
import { unlabelledRow } from './provenance';
import { unplacedIssue } from './columns';
import { canonical, isFullRow, requestCells, rowTotalKept, settle, type RowCells } from './cells';
import { columnsHold, jointSurvivors } from './decide';
import { isBlank, MAX_LABEL, NUMBERING, readValue, shapeIssue, type RowView, type Tally } from './rows';

/** Table 三 (收到和处理申请): which row each line is, then the rows' values. */

/** The headings of the groups of sub-rows (（三）–（五）), numbering dropped. */
const GROUP_HEADING = /^(?:不予公开|无法提供|不予处理)$/;

function numberingStripped(label: string): string {
	// labelKey already dropped brackets and dots: "一予以公开" / "1属于国家秘密"
	return label.replace(/^[一二三四五六七八九十]+(?=[\u4e00-\u9fff])/, '').replace(/^\d+/, '');
}

/** A row taken into table 三; `key` is undefined for a row without a label whose place a labelled row took. */
export interface PlacedRow {
	key: RequestRow | undefined;
	row: RowView;
	labelled: boolean;
	/** A markdown row of numbers alone whose label is loose lines of text beside it (orphans.ts may find it on a neighbour's numbers). */
	joined?: boolean;
	/**
	 * Rows that loose lines of label text standing just before this row name, which joined no numbers (markdown):
	 * their numbers may have been printed after the next labelled row, out of order (orphans.ts).
	 */
	straysBefore?: RequestRow[];
}

/**
 * A line of label text that starts a row's label by its numbering ("1.", "2、",
 * "（三）", "四、"): the lines of one wrapped label never do after their first.
 */
const NUMBERED_START = /^\s*(?:[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[.．、](?!\d))/;

/** Whether a printed line of label text starts a new row's label (its numbering). */
export function startsNumberedLabel(printed: string): boolean {
	return NUMBERED_START.test(printed);
}

export interface RequestReaderOptions {
	/**
	 * Lines of label text standing alone may be rows whose cells are all
	 * blank (text from a PDF's text layer, where a row of zeros printed empty
	 * leaves only its label). Not in markdown, where such lines are words an
	 * extractor moved away from their pipe row.
	 */
	labelLines?: boolean;
}

/** Reads table 三 row by row in document order; `rows` holds the first row read for each key. */
export interface RequestReader {
	rows: Map<RequestRow, RowView>;
	/** Every full row taken, in document order: its key, and whether its label placed it (false: a row of numbers without one). */
	placed: PlacedRow[];
	/** The table (re)starts at a header row: no numbered group is open. */
	open(): void;
	/** Take one row of table 三; true when it was the table's last row (四、结转下年度继续办理). */
	read(row: RowView): boolean;
	/** The table ended (table 四 begins): a row still waiting for the rest of its label is taken as it is. */
	close(): void;
}

/**
 * Rows are recognised by label meaning. Numbered sub-rows ("1.属于国家秘密")
 * are read within their group (（三）不予公开 …), which the group's own label
 * row opens. A label wrapped over several lines with its numbers on any one
 * of them is put back together: lines of label text without numbers wait, and
 * a row of numbers whose own text names no row takes the nearest waiting
 * lines that, joined, name a row not read yet. A row of numbers that still
 * has no label is taken as the next row in template order, and said so.
 */
export function requestReader(issues: ReportIssue[], options: RequestReaderOptions = {}): RequestReader {
	const rows = new Map<RequestRow, RowView>();
	const placed: PlacedRow[] = [];
	/** The row keyOf just keyed had no label (taken by order). */
	let orphan = false;
	let section: RequestSection = '';
	let lastRequest: RequestRow | undefined;
	/** The table's last row was read, but a line of numbers alone may follow it. */
	let lastLine = false;
	/** The last row a label placed (lastRequest may be a row of numbers held by order only). */
	let lastLabelled: RequestRow | undefined;
	/** The rows read that a label placed. */
	const labelledRows = () => new Map([...rows].filter(([key]) => placed.some((p) => p.key === key && p.labelled)));
	let tentativeOther = false;
	/** Label-only lines since the last row read: pieces of a wrapped label. */
	let waiting: string[] = [];
	/** How many waiting lines may join a row's own text: a label wraps over three lines at most. */
	const MAX_WRAP = 3;
	/** Rows named by waiting lines a labelled row dropped: they go with it into `placed`. */
	let strays: RequestRow[] = [];

	/**
	 * The rows the waiting lines name, no label having placed them yet: their words, apart from their numbers. Read
	 * from the first line on, each row from the fewest lines that name it.
	 */
	function noteStrays(lines: readonly string[] = waiting): void {
		for (const key of namedBy(lines)) if (!strays.includes(key) && !placed.some((p) => p.key === key && p.labelled)) strays.push(key);
	}

	/** The rows lines of loose label text name, each from the fewest lines that name it, from the first line on. */
	function namedBy(lines: readonly string[]): RequestRow[] {
		const out: RequestRow[] = [];
		for (let from = 0; from < lines.length; from++)
			for (let to = from; to < lines.length; to++) {
				const label = labelKey(
					lines
						.slice(from, to + 1)
						.join('')
						.trim()
				);
				const key = REQUEST_ROW_PATTERNS.find(([, re]) => re.test(label))?.[0] ?? otherOtherAt(label, out) ?? bareOther(label);
				if (!key) continue;
				out.push(key);
				from = to;
				break;
			}
		return out;
	}

	/**
	 * A bare "（六）其他处理" names the single-row （六） (or heads its three sub-rows, which then name themselves: a
	 * stray 'other' finds no place among them in orphans.ts).
	 */
	function bareOther(label: string): RequestRow | undefined {
		return OTHER_GROUP_PREFIX.test(label) && numberingStripped(label.replace(OTHER_GROUP_PREFIX, '')) === '' ? 'other' : undefined;
	}

	/**
	 * "3.其他" right after （六）'s first sub-rows, even when the section label was lost, or printed after the group
	 * ended (a label set apart from its row): once a sub-row of （六） was read by its label, or named by loose words (its
	 * label set apart from its numbers), no other row is "3.其他".
	 */
	function otherOtherAt(label: string, before?: readonly RequestRow[]): RequestRow | undefined {
		if (!OTHER_OTHER_ROW.test(label)) return undefined;
		// The loose lines waiting before this row may name （六）'s first sub-rows too.
		const loose = before ?? namedBy(waiting);
		const named = (r: RequestRow) => loose.includes(r) || strays.includes(r) || placed.some((p) => (p.key === r && p.labelled) || p.straysBefore?.includes(r));
		const after =
			!placed.some((p) => p.key === 'other_other' && p.labelled) && /^\d/.test(label) && OTHER_SPLIT_ROWS.some((r) => r !== 'other_other' && named(r));
		return (lastRequest && OTHER_SPLIT_ROWS.includes(lastRequest)) || after ? 'other_other' : undefined;
	}

	function keyOf(row: RowView, hasNumbers: boolean): RequestRow | undefined {
		const { label } = row;
		if (label.length > 0 && label.length <= MAX_LABEL) {
			let key = REQUEST_ROW_PATTERNS.find(([, re]) => re.test(label))?.[0];
			if (key && UNGROUPED_REQUEST_ROWS.includes(key)) section = '';
			key ??= otherOtherAt(label);
			if (!key && section === 'other') {
				const rest = numberingStripped(label.replace(OTHER_GROUP_PREFIX, ''));
				// A bare, blank （六）其他处理 line in text is the single-row form with
				// blanks, or the vertical header of the three sub-rows: the sub-rows decide.
				if (rest === '') {
					key = 'other';
					tentativeOther = !hasNumbers && (!row.exact || row.pages !== undefined);
				} else if (rest === '其他') key = 'other_other';
			}
			// A group's heading alone is no row of either template: laid out beside a full row of numbers (its cell centred on
			// its sub-rows), those are a sub-row's whose label sits a line off, a run slid; placed as a row without a label.
			if (!key && hasNumbers && labelMayBeOff(row) && isFullRow(row) && GROUP_HEADING.test(numberingStripped(label))) {
				orphan = true;
				return nextRequestRow(lastRequest, rows);
			}
			return key;
		}
		if (!label && isFullRow(row)) {
			// A row of numbers without its label (a PDF extractor lost it): held
			// for now as the next row in document order; placeOrphans (orphans.ts)
			// then places it by the template's row sequence and the arithmetic.
			const key = nextRequestRow(lastRequest, rows);
			orphan = true;
			return key;
		}
		return undefined;
	}

	/**
	 * The row the template puts next that `pieces` of label text, joined around
	 * a line of numbers, name. Labels displaced from their numbers (markdown
	 * from PDF extractors) name other rows; those lines are left to the order
	 * rule.
	 */
	function joinedKey(before: readonly string[], own: string, after: readonly string[]): { key: RequestRow; printed: string } | undefined {
		// In a text layer, rows of numbers held by order only do not count: a label line may yet be theirs or take their place.
		const next = options.labelLines ? nextRequestRow(lastLabelled, labelledRows()) : nextRequestRow(lastRequest, rows);
		for (let total = 1; total <= MAX_WRAP; total++) {
			for (let b = Math.min(before.length, total); b >= 0; b--) {
				const a = total - b - (own ? 1 : 0);
				if (a < 0 || a > after.length || (b === 0 && a === 0)) continue;
				const pieces = [...before.slice(before.length - b), own, ...after.slice(0, a)].filter((p) => p.trim());
				// One label's lines: none after the first starts a row's numbering, and together they name one row only.
				if (options.labelLines && pieces.slice(1).some(startsNumberedLabel)) continue;
				const printed = pieces.join('').trim();
				const label = labelKey(printed);
				const key = REQUEST_ROW_PATTERNS.find(([, re]) => re.test(label))?.[0];
				if (options.labelLines && REQUEST_ROW_PATTERNS.some(([k, re]) => k !== key && re.test(label))) continue;
				if (key && key === next) return { key, printed };
			}
		}
		return undefined;
	}

	/** A full row of numbers whose label is wrapped around it: the pieces before it, and the row. */
	let deferred: { row: RowView; before: string[] } | undefined;

	function withLabel(row: RowView, printed: string): RowView {
		return { ...row, printed, label: labelKey(printed), labelCells: [printed] };
	}

	/**
	 * The deferred row, with the label pieces that followed it; `force` falls back to its own label or the order rule.
	 * `between`: the next line starts another row's label, and no piece followed the numbers: they stand between two
	 * labels, either of which may be theirs (a row printed blank, or a run of labels each a line off its numbers). The
	 * label before is then a row printed blank, and the numbers a row without a label that orphans.ts places by the
	 * arithmetic.
	 */
	function settle(force: boolean, between = false): boolean {
		if (!deferred) return false;
		const { row, before } = deferred;
		if (between && !row.label && waiting.length === 0) {
			deferred = undefined;
			waiting = before;
			if (flushBlank()) return true;
			return assign(row, keyOf(row, true));
		}
		const hit = joinedKey(before, row.printed, waiting);
		if (!hit && !force) return false;
		deferred = undefined;
		if (hit) {
			waiting = [];
			return take(hit.key, withLabel(row, hit.printed), row.pipes === true && !row.label);
		}
		if (row.pipes === true && !row.label) noteStrays(before);
		return assign(
			row,
			keyOf(
				row,
				row.values.some((v) => !isBlank(v))
			)
		);
	}

	/** The row read before this one. */
	let previous: RowView | undefined;

	function read(view: RowView): boolean {
		const wrapped = previous !== undefined && labelWrapped(previous, view);
		previous = view;
		if (!wrapped) return readRow(view);
		// The rest of a label whose row was read by what it printed first: nothing more to read.
		if (!deferred) return false;
		waiting.push(view.printed);
		return settle(false);
	}

	/**
	 * Markdown whose extractor wrapped a label cell into rows of its own: label text over empty cells, right after a row
	 * of numbers, that starts no row's numbering, is the rest of that row's label, not a row printed blank. Words that
	 * name another row by themselves are that only when the row before named none (its label then waits for them).
	 */
	function labelWrapped(before: RowView, view: RowView): boolean {
		if (view.pipes !== true || before.pipes !== true || !view.label || startsNumberedLabel(view.printed)) return false;
		if (!view.values.every(isBlank) || !isFullRow(before) || before.values.every(isBlank)) return false;
		return deferred !== undefined || REQUEST_ROW_PATTERNS.every(([key, re]) => key === lastRequest || !re.test(view.label));
	}

	function readRow(view: RowView): boolean {
		const { label } = view;
		const hasNumbers = view.values.some((v) => !isBlank(v));
		if (lastLine) {
			// Past the table's last row: only numbers alone on the next line are still table 三's (take), after the rest of its label.
			if (!hasNumbers && view.values.length === 0 && label && !startsNumberedLabel(view.printed)) return false;
			lastLine = false;
			if (!label && isFullRow(view)) assign(view, keyOf(view, hasNumbers));
			return true;
		}
		if (!hasNumbers && REQUESTS_HEADER_ROW.test(label)) return false;
		// In a text layer a row's numbering starts its label: the label lines before it, if they name a row not given yet,
		// are that row printed blank (its section as it stood before this line).
		if (options.labelLines && startsNumberedLabel(view.printed)) {
			if (settle(true, true)) return true;
			if (flushBlank()) return true;
		}
		for (const [s, re] of SECTION_PATTERNS) if (re.test(label)) section = s;
		if (!hasNumbers && view.values.length === 0) {
			if (label.length > 0 && label.length <= MAX_LABEL) waiting.push(view.printed);
			return settle(false);
		}
		// Only a full row of values takes a wrapped label; a stray number or a page footer is not a row.
		const full = isFullRow(view);
		if (!full && !view.label) return assign(view, keyOf(view, hasNumbers));
		if (settle(true)) return true;
		const own = view.label ? keyOf(view, hasNumbers) : undefined;
		if (own || !full || (waiting.length === 0 && !view.label)) {
			if (own && view.pipes === true) noteStrays();
			waiting = [];
			return assign(view, own ?? (view.label ? undefined : keyOf(view, hasNumbers)));
		}
		// A text layer's numbers alone on a line wait for the next line: the label may go on after them, or another label
		// printed blank may follow, which could be theirs as well (settle).
		const hit = options.labelLines && !view.label ? undefined : joinedKey(waiting, view.printed, []);
		if (hit) {
			waiting = [];
			// Words before numbers alone may as well stand in their row's place, its numbers printed later (orphans.ts).
			if (view.pipes === true && !view.label) strays.push(hit.key);
			return take(hit.key, withLabel(view, hit.printed), view.pipes === true && !view.label);
		}
		// The rest of the label may follow the numbers: wait for it.
		deferred = { row: view, before: waiting };
		waiting = [];
		return false;
	}

	function assign(row: RowView, key: RequestRow | undefined): boolean {
		if (key) return take(key, row);
		if (orphan) {
			// A row without a label and no next row by order (the table's first): orphans.ts places it.
			orphan = false;
			placed.push({ key: undefined, row, labelled: false });
			return false;
		}
		if (!row.label)
			issues.push({
				code: 'row_unknown',
				severity: 'warning',
				message: `表三中一行不完整的数字（${row.values.join(' ')}）没有行标签，已忽略`,
				where: { table: '三' }
			});
		else if (row.label.length <= MAX_LABEL && row.values.some((v) => !isBlank(v)))
			issues.push({
				code: 'row_unknown',
				severity: 'warning',
				message: `表三中无法识别的行「${row.printed}」，已忽略`,
				where: { table: '三' }
			});
		return false;
	}

	function take(key: RequestRow, row: RowView, joined = false): boolean {
		const labelled = !orphan;
		orphan = false;
		// A row of numbers held by order only says nothing of the form of （六）.
		if (tentativeOther && labelled && OTHER_SPLIT_ROWS.includes(key)) {
			rows.delete('other');
			const at = placed.findIndex((p) => p.key === 'other');
			if (at >= 0) placed.splice(at, 1);
			tentativeOther = false;
		}
		const held = placed.find((p) => p.key === key);
		if (held && !held.labelled && labelled) {
			// A row without a label was held in this labelled row's place: the label wins, the other is placed later.
			held.key = undefined;
			rows.delete(key);
		}
		if (rows.has(key)) {
			issues.push({
				code: 'row_duplicate',
				severity: 'warning',
				message: `表三「${REQUEST_ROW_LABELS[key]}」出现两次，取第一次`,
				where: { table: '三', row: key }
			});
			return false;
		}
		rows.set(key, row);
		const entry: PlacedRow = joined ? { key, row, labelled, joined } : { key, row, labelled };
		if (strays.length > 0) entry.straysBefore = strays;
		strays = [];
		placed.push(entry);
		// （六）其他处理 over blank cells may yet be the heading of its three sub-rows: they come next, not what follows them.
		if (!(key === 'other' && tentativeOther)) {
			lastRequest = key;
			if (labelled) lastLabelled = key;
		}
		// The table ends at its last row, unless that row was only taken by order, or a markdown row of empty cells (this one or
		// one before) may have its numbers on a later row (labels printed a line off their numbers): then it goes on to table 四's header.
		// So it does when a markdown table still lacks a row: its numbers may follow, beside no label.
		if (key !== 'carried_forward' || !labelled) return false;
		const open = placed.some((p) => p.labelled && emptyPipeRow(p.row)) || missingRows((r) => rows.has(r)).length > 0;
		// In a text layer, the line right after it may still be numbers alone: the last of a run of labels each a line above its numbers.
		if (options.labelLines && !row.pipes && open && !row.labelOnly) {
			lastLine = true;
			return false;
		}
		return !row.pipes || !open;
	}

	/**
	 * The waiting label lines, where together they name one row the table has
	 * not given yet, after the last row read: that row printed blank (a text
	 * layer's row of zeros printed as empty cells). Taken as a row of blank
	 * cells; orphans.ts may still give it a row of numbers printed apart from
	 * its label. Other waiting lines (a section's heading, the rest of a label
	 * already read) are dropped.
	 */
	function flushBlank(): boolean {
		if (!options.labelLines || waiting.length === 0) return false;
		let printed = waiting.join('').trim();
		waiting = [];
		// Digits past its numbering ("（二）部分公开 10左右"): the row printed numbers we could not read, not a blank row.
		// Every cell of it is then that unreadable text (null, each with an issue), never 0.
		const half = toHalfWidth(printed);
		const numbered = NUMBERING.exec(half)?.[0].length ?? 0;
		const digit = half.slice(numbered).search(/\d/);
		const unreadable = digit < 0 ? '' : printed.slice(numbered + digit).trim();
		if (unreadable) printed = printed.slice(0, numbered + digit).trim();
		const view: RowView = {
			label: labelKey(printed),
			printed,
			labelCells: [printed],
			values: APPLICANT_COLUMNS.map(() => unreadable),
			exact: false,
			...(unreadable ? {} : { labelOnly: true })
		};
		if (view.label.length === 0 || view.label.length > MAX_LABEL) return false;
		const keyed = REQUEST_ROW_PATTERNS.filter(([, re]) => re.test(view.label));
		if (keyed.length > 1) return false;
		const key = keyOf(view, false);
		// A row of numbers without a label held this place by order only: the label takes it back (take), orphans.ts places the numbers.
		const byOrder = placed.some((p) => p.key === key && !p.labelled);
		if (!key || (!byOrder && (rows.has(key) || (lastLabelled && templateOrder(key) <= templateOrder(lastLabelled))))) {
			if (key === 'other') tentativeOther = false;
			return false;
		}
		return take(key, view);
	}

	function open(): void {
		// A header printed again (the table continues on a new page): a row waiting for its label is taken first.
		settle(true);
		flushBlank();
		section = '';
		waiting = [];
		deferred = undefined;
	}

	return {
		rows,
		placed,
		open,
		read,
		close: () => {
			settle(true);
			flushBlank();
		}
	};
}

/**
 * A markdown row with its label and only empty cells, a text layer's label
 * line without numbers, or a PDF row of empty cells (a row printed blank): its
 * numbers may be on a row of their own (orphans.ts).
 */
export function emptyPipeRow(row: RowView): boolean {
	return (row.pipes === true || row.labelOnly === true || row.pages !== undefined) && row.values.length > 0 && row.values.every(isBlank);
}

/**
 * A row whose label and numbers were put together by where they stand on a
 * line, not by a table's cells (markdown pipe rows from PDF extractors, text
 * layers, a PDF's rows rebuilt from positions, which carry pages): a tall
 * label cell centred apart from its numbers may stand a line off them (orphans.ts).
 */
export function labelMayBeOff(row: RowView): boolean {
	return row.pipes === true || !row.exact || row.pages !== undefined;
}

/** A row's place in the template's order, （六） as a single row standing where its three sub-rows begin. */
function templateOrder(row: RequestRow): number {
	return row === 'other' ? REQUEST_ROWS.indexOf('other_no_correction') - 0.5 : REQUEST_ROWS.indexOf(row);
}

/** After `last` (or from the top), the next table 三 row not yet read, in template order. */
function nextRequestRow(last: RequestRow | undefined, seen: Map<RequestRow, RowView>): RequestRow | undefined {
	for (let i = last ? REQUEST_ROWS.indexOf(last) + 1 : 0; i < REQUEST_ROWS.length; i++) {
		const r = REQUEST_ROWS[i];
		if (seen.has(r)) continue;
		// The single （六） row is an alternative to the three sub-rows, never a next row.
		if (r === 'other') continue;
		return r;
	}
	return undefined;
}

/**
 * Rows whose moved cells the row total left open: the column rules (outcome
 * rows add up to （七）总计, the balance) over every row keep the readings
 * that hold together with the others (decide.ts), and the row is settled again.
 */
function narrowByColumns(decided: Map<RequestRow, RowCells>): void {
	const open = [...decided.values()].some((d) => d.search && d.outcome === 'ambiguous');
	if (!open) return;
	const keys = [...decided.keys()];
	const candidates = keys.map((k) => {
		const d = decided.get(k)!;
		if (d.search && d.outcome === 'ambiguous') {
			const kept = d.search.layout.filter((cells) => rowTotalKept(d, cells));
			if (kept.length > 1) return kept;
		}
		return [d.cells.map(canonical)];
	});
	const joint = jointSurvivors(keys, candidates, columnsHold);
	if (!joint) return;
	keys.forEach((k, i) => {
		const d = decided.get(k)!;
		if (d.search && candidates[i].length > 1 && joint[i].length < candidates[i].length) decided.set(k, { ...settle(d.search, joint[i]), search: d.search });
	});
}

/** The less sure of two readings of one cell (a row placed by the grammar whose cells were also moved). */
function lessSure(a: CellReading | undefined, b: CellReading): CellReading {
	const rank = { read: 0, inferred: 1, ambiguous: 2 } as const;
	return !a || rank[b.how] >= rank[a.how] ? b : a;
}

/**
 * Table 三's rows as read → the record's rows, seven applicant columns each.
 * Where a row's cells were moved (cells.ts), how each was decided goes into
 * `readings`, with one issue for the row.
 */
export function mapRequests(rows: Map<RequestRow, RowView>, tally: Tally, issues: ReportIssue[], readings: Readings): Record<RequestRow, RequestCells | null> {
	const requests = emptyRequests();
	const decided = new Map<RequestRow, RowCells>();
	let absentSaid = false;
	for (const [key, row] of rows) decided.set(key, requestCells(row));
	narrowByColumns(decided);
	for (const [key, row] of rows) {
		const { cells, problem, readings: how, outcome } = decided.get(key)!;
		if (row.columnsUnplaced) issues.push(unplacedIssue('三', key, row.printed || unlabelledRow(key), row));
		else if (problem) issues.push(shapeIssue('三', key, REQUEST_ROW_LABELS[key], problem, row, APPLICANT_COLUMNS.length));
		if (how && outcome) {
			const at = readingKey('三', key);
			const placed = readings.get(at);
			readings.set(
				at,
				how.map((r, i) => lessSure(placed?.[i], r))
			);
			const printed = row.values.map((v) => v.trim() || '空').join(' | ');
			const name = row.printed || unlabelledRow(key);
			issues.push(
				outcome === 'inferred'
					? {
							code: 'reading_inferred',
							severity: 'info',
							message: `表三「${name}」的单元格错位或合并（${printed}），按本行总计只有一种读法：${cells.join(' | ')}`,
							where: { table: '三', row: key }
						}
					: {
							code: 'reading_ambiguous',
							severity: 'warning',
							message: `表三「${name}」的单元格错位或合并（${printed}），可有多种读法，取 ${cells.join(' | ')}；标为存疑的单元格请核对原件`,
							where: { table: '三', row: key }
						}
			);
		}
		if (row.labelOnly && !readings.has(readingKey('三', key))) {
			// Only the label was printed: that the row is there, blank, is the grammar's reading (its label names a row the
			// table has not given), and its zeros are the blanks' (the rules over them say whether they hold).
			readings.set(
				readingKey('三', key),
				APPLICANT_COLUMNS.map((): CellReading => ({ how: 'inferred' }))
			);
			issues.push({
				code: 'reading_inferred',
				severity: 'info',
				message: `表三「${row.printed}」一行只印了行标签、没有数字（空白的行），按空白（0）读取`,
				where: { table: '三', row: key }
			});
		}
		const out = {} as RequestCells;
		APPLICANT_COLUMNS.forEach((col, i) => {
			out[col] = row.absent?.includes(col) ? null : readValue(cells[i], tally, issues, '三', key, col).value;
		});
		requests[key] = out;
		if (row.absent && !absentSaid) {
			absentSaid = true;
			issues.push({
				code: 'column_missing',
				severity: 'warning',
				message: `表三的表头没有「${row.absent.map((c) => APPLICANT_LABELS[c as keyof typeof APPLICANT_LABELS]).join('、')}」列：各行此列记为空（null），不推算`,
				where: { table: '三' }
			});
		}
	}
	return requests;
}

/** Rows a complete table 三 has: all but the （六） variants, and one form of （六）. */
export function missingRequestRows(requests: Record<RequestRow, RequestCells | null>): string[] {
	return missingRows((row) => !!requests[row]);
}

/** The rows of a complete table 三 that `has` says are not there, by their template labels. */
function missingRows(has: (row: RequestRow) => boolean): string[] {
	const missing: string[] = [];
	for (const row of REQUEST_ROWS) {
		if (row === 'other' || OTHER_SPLIT_ROWS.includes(row)) continue;
		if (!has(row)) missing.push(REQUEST_ROW_LABELS[row]);
	}
	const split = OTHER_SPLIT_ROWS.filter(has).length;
	if (!has('other') && split < OTHER_SPLIT_ROWS.length) {
		if (split === 0) missing.push(REQUEST_ROW_LABELS.other);
		else for (const r of OTHER_SPLIT_ROWS) if (!has(r)) missing.push(REQUEST_ROW_LABELS[r]);
	}
	return missing;
}
