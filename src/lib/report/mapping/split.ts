import { toHalfWidth } from '../normalize';

/**
 * Splitting a run of digits whose cell boundaries were lost ("3960181" =
 * 396 | 0 | 181) into every reading the layout allows. A printed space is a
 * boundary the text kept; a count never has a leading zero; a decimal part and
 * a unit stay on the number they follow. The tables' arithmetic then chooses
 * among the readings (glued.ts); this module only enumerates them, pruned by
 * a check at every group boundary so a table 四 run of 15 cells stays cheap.
 */

/** A run prepared for splitting: its digits, the boundaries the text kept, and what trails a position. */
export interface Run {
	digits: string;
	/** Positions (in `digits`) where a cell must end: printed spaces. */
	forced: number[];
	/** Text that stays on the cell ending at a position: a decimal part, a unit. */
	trailing: Map<number, string>;
	/** A sign (本年增/减 "+2", "-1") on the cell starting at a position; a sign also starts a cell. */
	signs: Map<number, string>;
}

const GROUP = /([+\-−]?)(\d+)((?:\.\d+)?(?:万元|元)?)/g;

export function prepareRun(text: string): Run {
	let digits = '';
	const forced: number[] = [];
	const trailing = new Map<number, string>();
	const signs = new Map<number, string>();
	for (const m of toHalfWidth(text).matchAll(GROUP)) {
		if (m[1]) signs.set(digits.length, m[1] === '+' ? '+' : '-');
		digits += m[2];
		forced.push(digits.length);
		if (m[3]) trailing.set(digits.length, m[3]);
	}
	return { digits, forced, trailing, signs };
}

export interface SplitOptions {
	/** Cells to produce. */
	n: number;
	/** Longest plausible cell, in digits (counts stay far below a billion). */
	maxDigits: number;
	/** Cells a decimal part may end (amount fields); elsewhere a decimal ends no reading. */
	decimalCells?: readonly number[];
	/** Called when a cell is complete; false prunes every reading that starts so. */
	accept?: (cells: readonly string[]) => boolean;
}

/** Search steps one run may take: far above any real row, a bound on hostile input. */
const STEP_BUDGET = 200_000;

/**
 * Every split of the run into exactly `n` cells the layout allows (and
 * `accept` keeps), up to `limit` of them. `exhausted` is true when the step
 * budget ran out, so the list may be incomplete.
 */
export function splitRun(run: Run, o: SplitOptions, limit = 64): { readings: string[][]; exhausted: boolean } {
	const { digits, forced, trailing, signs } = run;
	const readings: string[][] = [];
	const cells: string[] = [];
	let steps = 0;
	const nextForced = (pos: number) => forced.find((f) => f > pos) ?? digits.length;

	function rec(pos: number): void {
		if (readings.length >= limit || ++steps > STEP_BUDGET) return;
		if (cells.length === o.n) {
			if (pos === digits.length) readings.push(cells.slice());
			return;
		}
		const left = o.n - cells.length;
		if (digits.length - pos < left) return;
		const stop = nextForced(pos);
		// A sign starts a cell, so a cell never runs into the next signed one.
		const signed = [...signs.keys()].find((at) => at > pos) ?? digits.length;
		const longest = digits[pos] === '0' ? 1 : Math.min(o.maxDigits, stop - pos, signed - pos);
		for (let len = 1; len <= longest; len++) {
			const end = pos + len;
			const tail = end === stop ? (trailing.get(end) ?? '') : '';
			if (tail.includes('.') && !(o.decimalCells ?? []).includes(cells.length)) continue;
			cells.push((signs.get(pos) ?? '') + digits.slice(pos, end) + tail);
			if (!o.accept || o.accept(cells)) rec(end);
			cells.pop();
		}
	}
	if (digits.length > 0) rec(0);
	return { readings, exhausted: steps > STEP_BUDGET };
}

/** A split cell's value ("75394432.52元" → 75394432.52, "-3" → -3). */
export function cellNumber(cell: string): number {
	return Number(/^[+-]?[\d.]+/.exec(cell)?.[0].replace(/\.$/, '') ?? 'NaN');
}

/** Digits of a cell, for the layout's preferences. */
export function digitCount(cell: string): number {
	return /^[+-]?(\d+)/.exec(cell)?.[1].length ?? 0;
}
