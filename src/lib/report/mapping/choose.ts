import type { CellReading } from '../provenance';
import { cellNumber } from './split';

/**
 * Candidates, then a choice (issue 12): of the readings the layout allows,
 * those the tables' rules keep survive. One survivor is taken, its cells that
 * the layout alone left open marked `inferred`; several → the one the layout
 * favours, the cells they disagree on `ambiguous` with the alternatives; none
 * → the layout's favourite, its open cells `ambiguous`, and the checks will
 * report the broken rule. The report's prose, where it states a count of
 * these cells (prose.ts), narrows any of these sets further.
 */

export interface Choice {
	cells: string[];
	readings: CellReading[];
	/** What decided the row: the layout alone, the arithmetic, or neither. */
	outcome: 'read' | 'inferred' | 'ambiguous';
}

/** Cells where the readings disagree, with the values other than the chosen one. */
function disagreements(readings: readonly string[][], chosen: readonly string[]): (number[] | undefined)[] {
	return chosen.map((c, i) => {
		const others = new Set<number>();
		for (const r of readings) if (r[i] !== c) others.add(cellNumber(r[i]));
		return others.size > 0 ? [...others].sort((a, b) => a - b) : undefined;
	});
}

/** The reading with the lowest cost (the first on a tie: the search order is the layout's own). */
export function cheapest(readings: readonly string[][], cost: (cells: readonly string[]) => number): string[] {
	let best = readings[0];
	let bestCost = cost(best);
	for (const r of readings.slice(1)) {
		const c = cost(r);
		if (c < bestCost) {
			best = r;
			bestCost = c;
		}
	}
	return best.slice();
}

/** The readings the prose agrees with, and the sentences that say so. */
export interface Witnessed {
	readings: readonly string[][];
	reason: string;
}

/**
 * `layout`: every reading the layout allows (at least one); `survivors`: those
 * the rules keep; `witnessed`: those the prose also agrees with. A reading the
 * prose contradicts is dropped unless that leaves none; a cell only the prose
 * decided is `inferred` with the prose's sentence as its reason.
 */
export function choose(layout: readonly string[][], survivors: readonly string[][], cost: (cells: readonly string[]) => number, witnessed?: Witnessed): Choice {
	const ruled = survivors.length > 0 ? survivors : layout;
	const pool = witnessed && witnessed.readings.length > 0 ? witnessed.readings : ruled;
	const cells = cheapest(pool, cost);
	const open = disagreements(layout, cells);
	const byRules = disagreements(ruled, cells);
	const left = disagreements(pool, cells);
	const readings: CellReading[] = cells.map((_, i) => {
		if (!open[i]) return { how: 'read' };
		if (left[i]) return { how: 'ambiguous', alternatives: left[i] };
		if (survivors.length > 0 && !byRules[i]) return { how: 'inferred' };
		// Only the prose narrowed this cell to one value.
		return { how: 'inferred', reason: witnessed!.reason };
	});
	const outcome = readings.some((r) => r.how === 'ambiguous') ? 'ambiguous' : readings.some((r) => r.how === 'inferred') ? 'inferred' : 'read';
	return { cells, readings, outcome };
}

/**
 * The layout's preference among counts printed side by side: digits spread
 * evenly over the cells (Σ digits², least for an even spread), and a 总计 no
 * smaller than any of its parts.
 */
export function evenCost(totalAt?: number) {
	return (cells: readonly string[]): number => {
		let c = 0;
		for (const x of cells) c += x.length * x.length;
		if (totalAt !== undefined) {
			const total = cellNumber(cells[totalAt]);
			if (cells.some((x, i) => i !== totalAt && cellNumber(x) > total)) c += 100;
		}
		return c;
	};
}
