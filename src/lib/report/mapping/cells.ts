import type { CellReading } from '../provenance';
import { readNumber } from '../numbers';
import { APPLICANT_COLUMNS } from '../schema';
import { choose, evenCost } from './choose';
import { fit, isBlank, type Fit, type RowView } from './rows';
import { prepareRun, splitRun } from './split';

/**
 * A table 三 row whose cells an extractor moved (markdown from PDF, issue 12):
 * two counts in one pipe cell ("3 0"), an empty cell pushed into the row, two
 * cells run together ("30" for 3 | 0). The layout gives every reading of the
 * row's seven cells it allows; the row total (自然人 … 其他 add up to 总计)
 * keeps those that hold, and choose() marks what it decided. Text split on
 * tabs or spaces keeps fit()'s reading: there an empty field is a merged
 * cell's shadow as often as a blank value.
 */

const N = APPLICANT_COLUMNS.length;
const TOTAL_AT = N - 1;
/** Readings tried per row: far above a real row's, a bound on hostile input. */
const LIMIT = 512;
/** Empty cells a row may have for the search (2^k subsets); past this fit()'s reading stands. */
const MAX_BLANKS = 6;
/** Counts in these tables stay below ten million. */
const MAX_COUNT_DIGITS = 7;
/** A pipe cell holding several counts separated by spaces: cells an extractor merged. */
const SPACED_COUNTS = /^\d+(?:[ \u00a0\u3000]+\d+)+$/;

/** The readings a row's printed cells allow, for the column rules to narrow (requests.ts). */
export interface Search {
	/** Readings by value (a blank or a dash is "0"). */
	layout: string[][];
	/** Each reading's cells as printed, by its values joined with "|". */
	raw: Map<string, string[]>;
	cost: (cells: readonly string[]) => number;
	/** Which of the seven cells came out of a merged pipe cell, where the row has exactly seven after splitting them. */
	merged?: boolean[];
	/** Some reading splits a run of digits. */
	split: boolean;
}

export interface RowCells extends Fit {
	/** The row's readings, where the layout allowed several (absent: as printed). */
	search?: Search;
	/** How each cell was decided, where the layout left more than one reading (absent: each read as printed). */
	readings?: CellReading[];
	outcome?: 'inferred' | 'ambiguous';
}

function value(cell: string): number {
	return readNumber(cell, 'count').value ?? NaN;
}

/** A cell as its value, where it has one ("11件" → "11", "" → "0"); else as printed. */
export function canonical(cell: string): string {
	const v = readNumber(cell, 'count');
	return v.value === null || v.problem ? cell : String(v.value);
}

function totalHolds(cells: readonly string[]): boolean {
	let sum = 0;
	for (let i = 0; i < TOTAL_AT; i++) sum += value(cells[i]);
	return sum === value(cells[TOTAL_AT]);
}

/** Alternatives where a blank cell (blank = 0) was read as no number. */
function blankAsZero(alternatives: readonly number[], chosen: number): number[] {
	return [...new Set(alternatives.map((v) => (Number.isNaN(v) ? 0 : v)))].filter((v) => v !== chosen).sort((a, b) => a - b);
}

/**
 * A whole row of table 三's values, as far as the layout shows: seven cells
 * or more, or in a pipe row at least five (cells merged or run together)
 * holding seven counts' worth of digits.
 */
export function isFullRow(row: RowView): boolean {
	if (row.values.length >= N) return true;
	if (!row.pipes || row.values.length < N - 2) return false;
	let tokens = 0;
	let digits = 0;
	for (const v of row.values) {
		const t = v.trim();
		if (SPACED_COUNTS.test(t)) tokens += t.split(/[ \u00a0\u3000]+/).length;
		else tokens++;
		digits += t.replace(/\D/g, '').length;
	}
	return tokens >= N || digits >= N;
}

/** A reading of a searched row that keeps its row total. */
export function rowTotalKept(_: RowCells, cells: readonly string[]): boolean {
	return totalHolds(cells);
}

/** A table 三 row's seven cells, and how they were decided where the layout left a choice. */
export function requestCells(row: RowView): RowCells {
	const plain = fit(row.values, N, row.exact);
	if (!row.exact && !row.pipes) return plain;
	const spaced = row.values.map((v) => SPACED_COUNTS.test(v.trim()));
	// HTML and Word cells are as the table has them: only a row fit() cannot place is searched.
	if (!row.pipes && !plain.problem && !spaced.some(Boolean)) return plain;
	if (row.values.length === N && !spaced.some(Boolean) && !plain.problem) return plain;
	const tokens: string[] = [];
	/** For each token, whether it came out of a merged cell. */
	const merged: boolean[] = [];
	row.values.forEach((v, i) => {
		const parts = spaced[i] ? v.trim().split(/[ \u00a0\u3000]+/) : [v];
		for (const p of parts) {
			tokens.push(p);
			merged.push(spaced[i]);
		}
	});
	const blanks = tokens.flatMap((t, i) => (isBlank(t) ? [i] : []));
	if (blanks.length > MAX_BLANKS) return plain;
	// Every reading: drop some of the empty cells (pushed in by the extractor), then, if cells are still missing, split runs of digits.
	const layout: string[][] = [];
	const raw = new Map<string, string[]>();
	const seen = new Set<string>();
	let split = false;
	const add = (printed: string[]) => {
		// A count is never printed with a leading zero ("00" is two cells); readings compare by value (a blank or a dash is 0).
		if (printed.some((c) => /^0\d/.test(c.trim()))) return;
		const cells = printed.map(canonical);
		const key = cells.join('|');
		if (!raw.has(key)) raw.set(key, printed);
		if (layout.length < LIMIT && !seen.has(key)) {
			seen.add(key);
			layout.push(cells);
		}
	};
	for (let mask = 0; mask < 1 << blanks.length; mask++) {
		const rest = tokens.filter((_, i) => !blanks.some((b, j) => b === i && mask & (1 << j)));
		if (rest.length === N) add(rest);
		// A run of digits splits only where an extractor may have run cells together (markdown pipes, a PDF's glyphs): an HTML or Word cell holds one number.
		else if (rest.length < N && (row.pipes || row.pages !== undefined)) {
			// A cell without digits (blank, a dash) cannot split: it stands as one 0.
			const run = rest.map((t) => (/\d/.test(t) ? t : '0')).join(' ');
			for (const r of splitRun(prepareRun(run), { n: N, maxDigits: MAX_COUNT_DIGITS }, LIMIT).readings) {
				split = true;
				add(r);
			}
		}
	}
	if (layout.length === 0) return plain;
	// The layout's favourite: fit()'s reading where it is one of them (blanks dropped at the ends first), else digits spread evenly.
	const favourite = plain.problem ? -1 : layout.findIndex((r) => r.every((c, i) => c === canonical(plain.cells[i])));
	const even = evenCost(TOTAL_AT);
	const cost = (cells: readonly string[]) => (favourite >= 0 && cells === layout[favourite] ? -1 : even(cells));
	const search: Search = { layout, raw, cost, merged: tokens.length === N ? merged : undefined, split };
	return { ...settle(search, layout.filter(totalHolds)), search };
}

/**
 * The row's cells from the readings the rules keep (`survivors`, a subset of
 * the layout's), and how each was decided.
 */
export function settle(search: Search, survivors: readonly string[][]): RowCells {
	const { layout, cost, merged, split } = search;
	const choice = choose(layout, survivors, cost);
	// One reading, but cells out of a merged pipe cell, or a run split where no space was printed, are our doing: the row total vouches for them.
	// (Dropping the one empty cell that does not fit leaves the printed numbers as they are.)
	const vouched = (): CellReading => ({ how: totalHolds(choice.cells) ? 'inferred' : 'ambiguous' });
	const readings =
		layout.length > 1
			? choice.readings.map((r, i) => (r.alternatives ? { ...r, alternatives: blankAsZero(r.alternatives, value(choice.cells[i]) || 0) } : r))
			: split
				? choice.readings.map(vouched)
				: merged
					? choice.readings.map((r, i) => (merged[i] ? vouched() : r))
					: choice.readings;
	const outcome = readings.some((r) => r.how === 'ambiguous') ? 'ambiguous' : readings.some((r) => r.how === 'inferred') ? 'inferred' : undefined;
	// The cells as printed where the reading took them whole (a dash stays a dash, for its note).
	return { cells: search.raw.get(choice.cells.join('|')) ?? choice.cells, readings: outcome ? readings : undefined, outcome };
}
