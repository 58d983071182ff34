import type { CellReading, Readings } from '../provenance';
import { readingKey } from '../provenance';
import { readNumber } from '../numbers';
import { claimHolds, type ProseClaim } from '../prose';
import {
	APPLICANT_COLUMNS,
	BALANCE_RULE,
	OTHER_SPLIT_ROWS,
	OUTCOME_ROWS,
	REQUEST_ROWS,
	REQUEST_ROW_LABELS,
	type ReportIssue,
	type RequestRow,
	type Template
} from '../schema';
import { templateOf } from '../template/index';
import { emptyPipeRow, labelMayBeOff, type PlacedRow } from './requests';
import { isFullRow, requestCells } from './cells';
import type { RowView } from './rows';
import { reasonOf } from './witness';

/**
 * Rows of table 三's numbers whose labels a PDF extractor moved away (markdown
 * where "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |" stands alone and its words sit as loose
 * lines elsewhere). The labelled rows around such a run bound where it can go:
 * the template rows between them that no label claims. Candidates are the ways
 * to place the run there in its printed order; the tables' column rules
 * (outcome rows add up to （七）总计, 新收 + 上年结转 = 办理总计 + 结转下年)
 * keep the ones that hold. Where several still hold, the report's own prose
 * is a witness: a count it states (部分公开 N 件, 办结 N 件) that some of them
 * give and others do not keeps those (a count no placement gives changes
 * nothing: proseIssues reports it). One survivor, or survivors that agree, is
 * taken and marked `inferred` (with the sentence, where the prose decided);
 * otherwise the layout's favourite is taken and the cells the survivors
 * dispute are `ambiguous`, with the alternatives.
 *
 * An extractor may also print a label a line off its numbers, beside the
 * previous or the next row's: a run of rows slides by one, one end numbers
 * alone, the other a label over empty cells or as loose words. So the
 * labelled pipe rows next to a row without a label (or to a label over empty
 * cells) are loosened: their numbers join the run and their labels' places
 * become free. The layout favours each label with its own numbers, and a
 * reading that fills every template row over one that leaves a row out; the
 * column rules choose among the rest.
 */

/** Placements tried per run, and in all (the column rules are checked on each). */
const RUN_LIMIT = 512;
const JOINT_LIMIT = 4096;
/**
 * Labelled pipe rows on either side of a row without a label (or of a label
 * row with empty cells) whose label may sit beside a neighbour's numbers: an
 * extractor that centres a tall label cell prints it one line off, and the
 * rest of the run slides with it.
 */
const LOOSE_REACH = 6;

interface Run {
	/** The rows without labels, and the loosened labelled rows (label maybe on a neighbour's numbers), in printed order. */
	rows: RowView[];
	/** For each row, the template row its own label names (loosened rows only). */
	own: (RequestRow | undefined)[];
	/** The template rows they may take, in template order. */
	slots: RequestRow[];
	/** For each row, the rows named by loose words printed just before it that joined no numbers (requests.ts). */
	strays?: (RequestRow[] | undefined)[];
	/** For each row, whether its label is its own cell's (not loose words joined to it). */
	inCell?: boolean[];
	/** Every placement: for each row, an index into `slots` (increasing). */
	placements: number[][];
}

/** The template's rows as the document has them: （六） as one row or as its three sub-rows. */
function rowSequence(template: Template, labelled: ReadonlySet<RequestRow>): RequestRow[] {
	const single = labelled.has('other') || (templateOf(template).requests.other === 'single' && !OTHER_SPLIT_ROWS.some((r) => labelled.has(r)));
	return REQUEST_ROWS.filter((r) => (single ? !OTHER_SPLIT_ROWS.includes(r) : r !== 'other'));
}

/** The indices of a longest strictly increasing series of the values ≥ 0 (n is a table's rows: quadratic is fine). */
function increasingSeries(values: readonly number[]): Set<number> {
	const length = values.map(() => 0);
	const previous = values.map(() => -1);
	let end = -1;
	values.forEach((v, i) => {
		if (v < 0) return;
		length[i] = 1;
		for (let j = 0; j < i; j++)
			if (values[j] >= 0 && values[j] < v && length[j] + 1 > length[i]) {
				length[i] = length[j] + 1;
				previous[i] = j;
			}
		if (end < 0 || length[i] > length[end]) end = i;
	});
	const out = new Set<number>();
	for (let i = end; i >= 0; i = previous[i]) out.add(i);
	return out;
}

/** Choices of `m` of `s` indices, increasing (`ordered`) or in any order, earliest first, up to `limit`. */
function placesFor(m: number, s: number, limit: number, ordered: boolean): number[][] {
	const out: number[][] = [];
	const pick: number[] = [];
	const walk = (from: number): void => {
		if (out.length >= limit) return;
		if (pick.length === m) {
			out.push(pick.slice());
			return;
		}
		for (let i = ordered ? from : 0; i <= s - (ordered ? m - pick.length : 1); i++) {
			if (!ordered && pick.includes(i)) continue;
			pick.push(i);
			walk(i + 1);
			pick.pop();
		}
	};
	walk(0);
	return out;
}

/**
 * The labelled pipe rows that may be one line off their numbers: those within
 * LOOSE_REACH of a row without a label or a label row with empty cells,
 * walking over full labelled rows whose labels may be off (pipe rows, text lines) only.
 */
function looseRows(placed: readonly PlacedRow[], soft: ReadonlySet<RequestRow>): Set<number> {
	const movable = (p: PlacedRow) => p.labelled && p.key !== undefined && !soft.has(p.key) && labelMayBeOff(p.row) && isFullRow(p.row);
	// A text layer's label line alone is most often a row printed blank, and many are: only its numbers alone somewhere show a slide.
	const seed = (p: PlacedRow) => !p.labelled || (p.key !== undefined && soft.has(p.key) && p.row.pipes === true);
	const out = new Set<number>();
	placed.forEach((p, i) => {
		if (!seed(p)) return;
		for (const step of [-1, 1]) for (let j = i + step, n = 0; j >= 0 && j < placed.length && n < LOOSE_REACH && movable(placed[j]); j += step, n++) out.add(j);
	});
	return out;
}

/** A row's seven values as numbers (blank = 0; a cell that is not a number counts as 0 here, the mapping reports it). */
export function valuesOf(row: RowView): number[] {
	const { cells } = requestCells(row);
	return cells.map((c) => readNumber(c, 'count').value ?? 0);
}

/** How far each column rule is from holding, column by column (0: it holds; Infinity: a row it needs is not placed). */
export function ruleGaps(values: Map<RequestRow, number[]>): number[] {
	const gaps: number[] = [];
	const total = values.get('total_processed');
	const outcomes = OUTCOME_ROWS.filter((r) => values.has(r));
	const balance = [...BALANCE_RULE.received, ...BALANCE_RULE.settled].every((r) => values.has(r));
	for (let c = 0; c < APPLICANT_COLUMNS.length; c++) {
		const at = (r: RequestRow) => values.get(r)![c];
		gaps.push(total ? outcomes.reduce((s, r) => s + at(r), 0) - total[c] : Infinity);
		gaps.push(balance ? BALANCE_RULE.received.reduce((s, r) => s + at(r), 0) - BALANCE_RULE.settled.reduce((s, r) => s + at(r), 0) : Infinity);
	}
	return gaps;
}

export interface Placement {
	readings: Readings;
	issues: ReportIssue[];
}

/**
 * The prose's claims on table 三 that choose between the combinations the
 * column rules kept: each claim that holds under some of them and fails under
 * others (a claim every one gives alike says nothing of the placement; one
 * none gives is the report's disagreement, not a witness). Undefined when no
 * claim narrows them.
 */
function witnessed(kept: readonly { values: Map<RequestRow, number[]> }[], claims: readonly ProseClaim[]): { holding: boolean[]; reason: string } | undefined {
	const column = new Map<string, number>(APPLICANT_COLUMNS.map((c, i) => [c, i]));
	const lookup = (values: Map<RequestRow, number[]>) => (path: string) => {
		const [head, row, col] = path.split('.');
		return head === 'requests' ? values.get(row as RequestRow)?.[column.get(col) ?? -1] : undefined;
	};
	let holding = kept.map(() => true);
	const used: ProseClaim[] = [];
	for (const claim of claims) {
		if (!claim.sums.some((set) => set.every((p) => p.startsWith('requests.')))) continue;
		// A claim no combination gives is no witness; one a combination cannot judge (a row left out) does not rule it out.
		const results = kept.map((k) => claimHolds(claim, lookup(k.values)));
		if (!results.includes(true)) continue;
		const narrowed = holding.map((h, i) => h && results[i] !== false);
		if (!narrowed.some(Boolean) || narrowed.every((n, i) => n === holding[i])) continue;
		holding = narrowed;
		used.push(claim);
	}
	return used.length > 0 ? { holding, reason: reasonOf(used) } : undefined;
}

/**
 * Place table 三's rows without labels (`rows` is updated) and say how each
 * cell of them was decided. A run with more rows than free places keeps the
 * first ones in the earliest places, in doubt, and the rest are left out.
 * `claims`: the prose's, asked for only where the column rules leave a choice.
 */
export function placeOrphans(
	placed: readonly PlacedRow[],
	rows: Map<RequestRow, RowView>,
	template: Template,
	claims: () => readonly ProseClaim[] = () => []
): Placement {
	const readings: Readings = new Map();
	const issues: ReportIssue[] = [];
	if (placed.every((p) => p.labelled)) return swapLoose(placed, rows);

	const labelled = new Set(placed.filter((p) => p.labelled && p.key).map((p) => p.key!));
	const sequence = rowSequence(template, labelled);
	// A markdown row with its label and only empty cells may be a label whose numbers the extractor put on a row of their own:
	// its place stays open to the rows without labels (left alone, its blanks are zeros).
	const soft = new Set(placed.filter((p) => p.labelled && p.key && emptyPipeRow(p.row)).map((p) => p.key!));
	for (const key of soft) labelled.delete(key);
	for (const p of placed) if (!p.labelled && p.key) rows.delete(p.key);
	const loose = looseRows(placed, soft);
	for (const i of loose) {
		labelled.delete(placed[i].key!);
		rows.delete(placed[i].key!);
	}

	// Runs of rows without labels (and the loosened rows among them), bounded by the labelled rows printed before and after them.
	const runs: Run[] = [];
	/** Placements of `own.length` rows into `slots`, the layout's favourite first. */
	const placementsOf = (
		own: readonly (RequestRow | undefined)[],
		slots: readonly RequestRow[],
		ordered = true,
		strays: readonly (RequestRow[] | undefined)[] = [],
		inCell: readonly boolean[] = [],
		afterBlank: readonly boolean[] = []
	): number[][] => {
		let placements = own.length <= slots.length ? placesFor(own.length, slots.length, RUN_LIMIT, ordered) : [];
		// The layout's own reading, and the readings that fill every row but those printed over empty cells, which a long
		// run's earliest placements may not reach.
		if (ordered) {
			const seen = new Set(placements.map((pl) => pl.join()));
			placements.push(...[...asPrintedOf(own, slots), ...fillingOf(own.length, slots)].filter((pl) => !seen.has(pl.join()) && seen.add(pl.join())));
		}
		const jumps = ordered ? [...latesOf(own, slots, strays, inCell, afterBlank), ...jumpsOf(own, slots)] : [];
		// A reading that leaves a template row out (the table then incomplete) gives way to one that fills every row; only a row of empty cells may stay as it is.
		const fills = (pl: readonly number[]) => slots.every((r, at) => soft.has(r) || pl.includes(at));
		if ([...placements, ...jumps].some(fills)) {
			placements = placements.filter(fills);
			jumps.splice(0, jumps.length, ...jumps.filter(fills));
		}
		// The labels as printed first, then the numbers in their printed order (a run slid by a line), then a row printed out of order.
		const moved = (pl: readonly number[]) => pl.reduce((n, at, k) => n + (own[k] !== undefined && slots[at] !== own[k] ? 1 : 0), 0);
		const seen = new Set(placements.map((pl) => pl.join()));
		return [
			...placements
				.map((pl, i) => ({ pl, i, m: moved(pl) }))
				.sort((a, b) => a.m - b.m || a.i - b.i)
				.map((x) => x.pl),
			...jumps.filter((pl) => !seen.has(pl.join()))
		];
	};
	/** The increasing placements of `m` rows that take every place but some labels over empty cells (the rest of those left as zeros). */
	const fillingOf = (m: number, slots: readonly RequestRow[]): number[][] => {
		const hard = slots.flatMap((r, at) => (soft.has(r) ? [] : [at]));
		const open = slots.flatMap((r, at) => (soft.has(r) ? [at] : []));
		if (m < hard.length || m - hard.length > open.length) return [];
		return placesFor(m - hard.length, open.length, RUN_LIMIT, true).map((pick) => [...hard, ...pick.map((i) => open[i])].sort((a, b) => a - b));
	};
	/**
	 * Placements that leave every loosened row with its own label (the layout's reading: a label over empty cells is
	 * zeros in place), the rows without labels in printed order in the free places between them.
	 */
	const asPrintedOf = (own: readonly (RequestRow | undefined)[], slots: readonly RequestRow[]): number[][] => {
		const fixedAt = own.map((k) => (k === undefined ? -1 : slots.indexOf(k)));
		if (own.some((k, i) => k !== undefined && fixedAt[i] < 0)) return [];
		const out: number[][] = [];
		const pl: number[] = [];
		const walk = (k: number, after: number): void => {
			if (out.length >= RUN_LIMIT) return;
			if (k === own.length) {
				out.push(pl.slice());
				return;
			}
			if (fixedAt[k] >= 0) {
				if (fixedAt[k] <= after) return;
				pl.push(fixedAt[k]);
				walk(k + 1, fixedAt[k]);
				pl.pop();
				return;
			}
			const next = fixedAt.slice(k).find((at) => at >= 0) ?? slots.length;
			for (let at = after + 1; at < next; at++) {
				pl.push(at);
				walk(k + 1, at);
				pl.pop();
			}
		};
		walk(0, -1);
		return out;
	};
	/**
	 * A row without a label printed right after a labelled row, where loose words naming a free row stand before that
	 * labelled row with no other labelled row between: its numbers may have been printed late, after the next labelled
	 * row, their words left in place. That row takes them, the rest of the run in printed order in the other places
	 * (one such fault per reading), the rows printed before the words above that row and the others below it: the
	 * words stand in its place.
	 */
	const latesOf = (
		own: readonly (RequestRow | undefined)[],
		slots: readonly RequestRow[],
		strays: readonly (RequestRow[] | undefined)[],
		inCell: readonly boolean[],
		afterBlank: readonly boolean[]
	): number[][] => {
		const out: number[][] = [];
		if (own.length > slots.length) return out;
		own.forEach((key, k) => {
			// Right after a labelled row, or after a label over empty cells (its own numbers slid away from it).
			if (key !== undefined || k === 0 || ((own[k - 1] === undefined || !inCell[k - 1]) && !afterBlank[k])) return;
			// Words before the labelled row, or before rows without labels of their own ahead of it.
			for (let j = k - 1; j >= 0 && (j === k - 1 || !inCell[j]); j--) {
				for (const stray of strays[j] ?? []) {
					const at = slots.indexOf(stray);
					if (at < 0) continue;
					const restSlots = slots.flatMap((_, i) => (i === at ? [] : [i]));
					for (const pick of placesFor(own.length - 1, restSlots.length, RUN_LIMIT, true)) {
						const pl: number[] = [];
						let n = 0;
						own.forEach((_, i) => pl.push(i === k ? at : restSlots[pick[n++]]));
						if (pl.every((slot, i) => i === k || (i < j ? slot < at : slot > at))) out.push(pl);
					}
				}
			}
		});
		return out;
	};
	/**
	 * A run's rows without labels printed out of order among its loosened rows: each loosened row with its own label,
	 * the others, in their printed order, in the places left. Not where the run has a label over empty cells: that is a
	 * slide's end.
	 */
	const jumpsOf = (own: readonly (RequestRow | undefined)[], slots: readonly RequestRow[]): number[][] => {
		const fixedAt = own.map((k) => (k === undefined ? -1 : slots.indexOf(k)));
		const orphans = own.flatMap((k, i) => (k === undefined ? [i] : []));
		if (orphans.length === 0 || orphans.length === own.length || slots.some((r) => soft.has(r))) return [];
		if (own.some((k, i) => k !== undefined && fixedAt[i] < 0)) return [];
		const free = slots.flatMap((_, at) => (fixedAt.includes(at) ? [] : [at]));
		return placesFor(orphans.length, free.length, RUN_LIMIT, true).map((pick) => {
			const pl = fixedAt.slice();
			orphans.forEach((k, n) => (pl[k] = free[pick[n]]));
			return pl;
		});
	};
	// The labelled rows that bound runs: the longest series of them printed in the template's order. A labelled row printed
	// out of order keeps its label's place but bounds nothing, so it cannot shut the rows without labels out of theirs.
	const anchorAt = placed.map((p, i) => (p.labelled && !loose.has(i) && !soft.has(p.key!) ? sequence.indexOf(p.key!) : -1));
	const inOrder = increasingSeries(anchorAt);
	let before = -1;
	let pending: RowView[] = [];
	let own: (RequestRow | undefined)[] = [];
	let strays: (RequestRow[] | undefined)[] = [];
	let inCell: boolean[] = [];
	/** For each row, whether a label over empty cells was printed just before it. */
	let afterBlank: boolean[] = [];
	let blank = false;
	const close = (after: number) => {
		if (pending.length === 0) return;
		const slots = sequence.slice(before + 1, Math.max(before + 1, after)).filter((r) => !labelled.has(r));
		runs.push({ rows: pending, own, slots, strays, inCell, placements: placementsOf(own, slots, true, strays, inCell, afterBlank) });
		pending = [];
		own = [];
		strays = [];
		inCell = [];
		afterBlank = [];
	};
	placed.forEach((p, i) => {
		const blankBefore = blank;
		blank = false;
		if (!p.labelled || loose.has(i)) {
			pending.push(p.row);
			own.push(p.labelled ? p.key : undefined);
			strays.push(p.straysBefore);
			inCell.push(p.labelled && !p.joined);
			afterBlank.push(blankBefore);
			return;
		}
		if (soft.has(p.key!)) {
			blank = true;
			return;
		}
		const at = anchorAt[i];
		if (at >= 0 && !inOrder.has(i)) return;
		close(at < 0 ? sequence.length : at);
		if (at > before) before = at;
	});
	close(sequence.length);
	// A run with more rows than places between its neighbours: its rows without labels were printed out of order. The
	// loosened rows keep their own labels, and the others may take any free template row the other runs leave; the
	// column rules choose.
	const claimed = new Set(runs.filter((r) => r.placements.length > 0).flatMap((r) => r.slots));
	for (const [i, run] of runs.entries()) {
		if (run.placements.length > 0) continue;
		// The loosened rows go back to their own labels, whatever becomes of the others.
		run.rows.forEach((row, k) => {
			const key = run.own[k];
			if (key === undefined) return;
			rows.set(key, row);
			claimed.add(key);
		});
		const slots = sequence.filter((r) => !labelled.has(r) && !claimed.has(r));
		const orphans = run.rows.filter((_, k) => run.own[k] === undefined);
		const own = orphans.map(() => undefined);
		// Printed out of order, they may be in any order among themselves too.
		const placements = placementsOf(own, slots, false);
		// No room anywhere: placeOverfull keeps what fits of them, in doubt, between their neighbours.
		runs[i] =
			placements.length > 0 ? { rows: orphans, own, slots, placements } : { rows: orphans, own, slots: run.slots.filter((r) => !claimed.has(r)), placements };
		for (const r of runs[i].slots) claimed.add(r);
	}

	// The column rules over every combination of the runs' placements (past the limit, each run alone, the others earliest).
	const fixed = new Map<RequestRow, number[]>();
	for (const [key, row] of rows) fixed.set(key, valuesOf(row));
	const runValues = runs.map((r) => r.rows.map(valuesOf));
	const combos: { picks: number[]; gaps: number[]; values: Map<RequestRow, number[]> }[] = [];
	const tryPicks = (picks: number[]) => {
		const values = new Map(fixed);
		picks.forEach((j, r) => runs[r].placements[j]?.forEach((slot, k) => values.set(runs[r].slots[slot], runValues[r][k])));
		combos.push({ picks: picks.slice(), gaps: ruleGaps(values), values });
	};
	const choices = runs.map((r) => Math.max(1, r.placements.length));
	if (choices.reduce((n, c) => n * c, 1) <= JOINT_LIMIT) {
		const picks = runs.map(() => 0);
		const walk = (i: number): void => {
			if (i === runs.length) return tryPicks(picks);
			for (let j = 0; j < choices[i]; j++) {
				picks[i] = j;
				walk(i + 1);
			}
		};
		walk(0);
	} else
		runs.forEach((_, i) => {
			for (let j = 0; j < choices[i]; j++) tryPicks(runs.map((__, r) => (r === i ? j : 0)));
		});
	// A rule the placements do not move (the document's own break, or a column of zeros) says nothing of them.
	const moving = combos[0].gaps.map((g, at) => combos.some((c) => c.gaps[at] !== g));
	const decides = moving.some(Boolean);
	const survivors: Set<number>[] = runs.map(() => new Set());
	const ruled = combos.filter((c) => c.gaps.every((g, at) => !moving[at] || g === 0));
	for (const c of ruled) c.picks.forEach((j, r) => survivors[r].add(j));
	// Several combinations kept: the prose may say which (only then are its claims read).
	const prose = ruled.length > 1 ? witnessed(ruled, claims()) : undefined;
	const vouched: Set<number>[] = runs.map(() => new Set());
	if (prose) ruled.forEach((c, i) => prose.holding[i] && c.picks.forEach((j, r) => vouched[r].add(j)));

	const plans = runs.map((run, i) => {
		const ruledHere = [...survivors[i]].sort((x, y) => x - y);
		// The placements the prose leaves of those the rules kept (all of them where it says nothing of this run).
		const byProse = prose !== undefined && vouched[i].size < ruledHere.length;
		const kept = byProse ? [...vouched[i]].sort((x, y) => x - y) : ruledHere;
		const reason = byProse ? prose.reason : undefined;
		const pool = kept.length > 0 ? kept : run.placements.map((_, j) => j);
		return { ruledHere, byProse, kept, reason, pool };
	});
	// The rules under the reading taken: a cell placed by order in a rule that then fails is in doubt, not inferred
	// (the numbers may belong elsewhere in a way no candidate tried).
	const taken = new Map(fixed);
	/** The rows given numbers not printed beside their own label. */
	const moved = new Set<RequestRow>();
	runs.forEach((run, i) => {
		const placement = run.placements.length > 0 ? run.placements[plans[i].pool[0]] : run.slots.slice(0, run.rows.length).map((_, k) => k);
		placement.forEach((slot, k) => {
			taken.set(run.slots[slot], runValues[i][k]);
			if (run.own[k] !== run.slots[slot]) moved.add(run.slots[slot]);
		});
	});
	const gapsTaken = ruleGaps(taken);
	const outcomeRows: readonly RequestRow[] = [...OUTCOME_ROWS, 'total_processed'];
	const balanceRows: readonly RequestRow[] = [...BALANCE_RULE.received, ...BALANCE_RULE.settled];
	// A rule that fails over a row moved here may be our slip; one that fails over rows all as printed is the document's.
	const implicated = (gap: number, rows: readonly RequestRow[]) => gap !== 0 && Number.isFinite(gap) && rows.some((r) => moved.has(r));
	// A cell is in doubt where such a rule it takes part in fails; the balance also where the outcomes do, （七）总计 being in both.
	const failing = (key: RequestRow, c: number) =>
		(outcomeRows.includes(key) && implicated(gapsTaken[2 * c], outcomeRows)) ||
		(balanceRows.includes(key) && (implicated(gapsTaken[2 * c + 1], balanceRows) || implicated(gapsTaken[2 * c], outcomeRows)));
	runs.forEach((run, i) => {
		if (run.placements.length === 0) {
			placeOverfull(run, runValues[i], rows, readings, issues);
			return;
		}
		const { ruledHere, kept, reason, pool } = plans[i];
		const decidedByRules = decides && ruledHere.length > 0 && ruledHere.length < run.placements.length;
		const placement = run.placements[pool[0]];
		placement.forEach((slot, k) => rows.set(run.slots[slot], run.rows[k]));
		// Each place's values under every placement kept (undefined: the place is left empty).
		const zeros = APPLICANT_COLUMNS.map(() => 0);
		const at = (j: number, slot: number): number[] | undefined => {
			const k = run.placements[j].indexOf(slot);
			return k >= 0 ? runValues[i][k] : soft.has(run.slots[slot]) ? zeros : undefined;
		};
		// A row of empty cells left as zeros where another placement kept by the rules gives it numbers: in doubt.
		run.slots.forEach((key, slot) => {
			if (!soft.has(key) || placement.includes(slot)) return;
			const cells: CellReading[] = APPLICANT_COLUMNS.map((_, c) => {
				const others = [...new Set(pool.map((j) => at(j, slot)?.[c] ?? 0))].filter((v) => v !== 0);
				if (others.length > 0) return { how: 'ambiguous', alternatives: others.sort((a, b) => a - b) };
				// Blank, as printed, where only the prose ruled out a placement that gave it numbers.
				return reason && ruledHere.some((j) => (at(j, slot)?.[c] ?? 0) !== 0) ? { how: 'inferred', reason } : { how: 'read' };
			});
			if (cells.every((c) => c.how === 'read')) return;
			if (cells.every((c) => c.how !== 'ambiguous')) {
				readings.set(readingKey('三', key), cells);
				issues.push({
					code: 'reading_inferred',
					severity: 'info',
					message: `表三「${REQUEST_ROW_LABELS[key]}」一行的单元格都是空的；附近一行没有行标签的数字按报告正文（${reason}）不属于这一行，按空白（0）读取`,
					where: { table: '三', row: key }
				});
				return;
			}
			readings.set(readingKey('三', key), cells);
			issues.push({
				code: 'reading_ambiguous',
				severity: 'warning',
				message: `表三「${REQUEST_ROW_LABELS[key]}」一行的单元格都是空的，它的数字也可能是附近一行没有行标签的数字；按空白（0）读取，请核对原件`,
				where: { table: '三', row: key }
			});
		});
		placement.forEach((slot, k) => {
			const key = run.slots[slot];
			const disputed: (number[] | undefined)[] = APPLICANT_COLUMNS.map((_, c) => {
				const mine = runValues[i][k][c];
				const others = new Set<number>();
				for (const j of pool) {
					const v = at(j, slot)?.[c];
					if (v !== mine) others.add(v ?? 0);
				}
				return others.size > 0 ? [...others].sort((a, b) => a - b) : undefined;
			});
			// Cells a placement the rules kept would change, which only the prose ruled out.
			const vouchedFor = APPLICANT_COLUMNS.map((_, c) => reason !== undefined && ruledHere.some((j) => at(j, slot)?.[c] !== runValues[i][k][c]));
			const ownKey = run.own[k];
			// A labelled row left with its own label, and no reading kept gives its place other numbers: read as printed.
			const asPrinted = ownKey === key && disputed.every((d) => d === undefined) && !vouchedFor.some(Boolean);
			if (asPrinted && !APPLICANT_COLUMNS.some((_, c) => failing(key, c))) return;
			// Kept with its own label, but a rule fails in some column: those of its cells are in doubt, the rest read.
			const cells: CellReading[] = disputed.map((others, c) =>
				asPrinted
					? { how: failing(key, c) ? 'ambiguous' : 'read' }
					: others
						? { how: 'ambiguous', alternatives: others }
						: kept.length > 0 && !failing(key, c)
							? vouchedFor[c]
								? { how: 'inferred', reason }
								: { how: 'inferred' }
							: { how: 'ambiguous' }
			);
			readings.set(readingKey('三', key), cells);
			const sure = cells.every((c) => c.how === 'inferred');
			const places = [...new Set(pool.map((j) => run.slots[run.placements[j][k]]))].map((r) => `「${REQUEST_ROW_LABELS[r]}」`);
			const shown = run.rows[k].values.join(' ').trim();
			if (ownKey !== undefined) {
				const printed = run.rows[k].printed;
				// The numbers stand beside another row's label: named by where they are printed and where they were put.
				if (ownKey !== key) rows.set(key, { ...run.rows[k], printed: `（数字印在「${printed}」一行，置于${REQUEST_ROW_LABELS[key]}一行）` });
				issues.push(
					sure
						? {
								code: 'reading_inferred',
								severity: 'info',
								message:
									ownKey === key
										? `表三「${printed}」一行的数字（${shown}）按报告正文（${reason}）属于本行，不是相邻一行的`
										: `表三「${printed}」一行的数字（${shown}）按表格的行序${decidedByRules ? '和勾稽关系' : ''}${reason ? `和报告正文（${reason}）` : ''}只能是「${REQUEST_ROW_LABELS[key]}」：行标签印在了相邻一行的数字旁`,
								where: { table: '三', row: key }
							}
						: {
								code: 'reading_ambiguous',
								severity: 'warning',
								message: `表三「${printed}」一行的数字（${shown}）可能是${places.join('、')}（行标签可能印在相邻一行的数字旁）${kept.length === 0 ? '，没有一种排法使勾稽关系成立' : ''}；取「${REQUEST_ROW_LABELS[key]}」，请核对原件`,
								where: { table: '三', row: key }
							}
				);
				return;
			}
			issues.push(
				sure
					? {
							code: 'reading_inferred',
							severity: 'info',
							message: `表三有一行数字（${shown}）没有行标签；按表格的行序${decidedByRules ? '和勾稽关系' : ''}${reason ? `和报告正文（${reason}）` : ''}只能是「${REQUEST_ROW_LABELS[key]}」`,
							where: { table: '三', row: key }
						}
					: {
							code: 'reading_ambiguous',
							severity: 'warning',
							message: `表三有一行数字（${shown}）没有行标签，可能是${places.join('、')}${kept.length === 0 ? '（没有一种排法使勾稽关系成立）' : ''}；按顺序取「${REQUEST_ROW_LABELS[key]}」，请核对原件`,
							where: { table: '三', row: key }
						}
			);
		});
	});
	// Rows labelled only by loose lines may still stand beside a neighbour's numbers: tried where the rules fail.
	const swapped = swapLoose(placed, rows);
	for (const [key, cells] of swapped.readings) readings.set(key, cells);
	issues.push(...swapped.issues);
	return { readings, issues };
}

/** How far apart in print a row labelled by loose lines and a neighbour whose numbers it may have are. */
const SWAP_REACH = 2;

/**
 * Every row has a label, but some only from loose lines of text beside a row
 * of numbers (markdown from PDF extractors): such words may stand beside a
 * neighbour's numbers, a row printed out of order. Only where the column
 * rules fail as printed, each exchange of such a row's numbers with a
 * neighbour's is tried; the exchanges under which every rule holds are the
 * readings: one is taken and its cells `inferred`, several leave the cells
 * they dispute `ambiguous`. None: the document's own break, read as printed.
 */
function swapLoose(placed: readonly PlacedRow[], rows: Map<RequestRow, RowView>): Placement {
	const readings: Readings = new Map();
	const issues: ReportIssue[] = [];
	if (!placed.some((p) => p.joined)) return { readings, issues };
	const values = new Map<RequestRow, number[]>();
	for (const [key, row] of rows) values.set(key, valuesOf(row));
	const holds = (gaps: readonly number[]) => gaps.every((g) => g === 0 || !Number.isFinite(g));
	if (holds(ruleGaps(values))) return { readings, issues };
	// Pairs of rows (a row labelled by loose lines, a labelled pipe row near it) whose exchange makes every rule hold, nearest first.
	const taken = placed.filter((p) => p.labelled && p.key !== undefined && p.row.pipes === true && rows.get(p.key) === p.row);
	const pairs: [RequestRow, RequestRow][] = [];
	for (let d = 1; d <= SWAP_REACH; d++)
		for (let i = 0; i + d < taken.length; i++) {
			const [a, b] = [taken[i], taken[i + d]];
			if (!a.joined && !b.joined) continue;
			const swapped = new Map(values);
			swapped.set(a.key!, values.get(b.key!)!);
			swapped.set(b.key!, values.get(a.key!)!);
			if (holds(ruleGaps(swapped))) pairs.push([a.key!, b.key!]);
		}
	if (pairs.length === 0) return { readings, issues };
	const [a, b] = pairs[0];
	/** Each place's values under every exchange kept. */
	const under = (key: RequestRow) => pairs.map(([x, y]) => values.get(key === x ? y : key === y ? x : key)!);
	const [rowA, rowB] = [rows.get(a)!, rows.get(b)!];
	for (const [key, row] of [
		[a, rowB],
		[b, rowA]
	] as const) {
		rows.set(key, { ...row, printed: `（数字印在「${row.printed}」一行，置于${REQUEST_ROW_LABELS[key]}一行）` });
		const mine = values.get(key === a ? b : a)!;
		const cells: CellReading[] = mine.map((v, c) => {
			const others = [...new Set(under(key).map((vs) => vs[c]))].filter((x) => x !== v).sort((x, y) => x - y);
			return others.length > 0 ? { how: 'ambiguous', alternatives: others } : { how: 'inferred' };
		});
		readings.set(readingKey('三', key), cells);
		const sure = cells.every((c) => c.how === 'inferred');
		issues.push({
			code: sure ? 'reading_inferred' : 'reading_ambiguous',
			severity: sure ? 'info' : 'warning',
			message: `表三「${row.printed}」一行的数字（${mine.join(' ')}）按勾稽关系${sure ? '只能是' : '可能是'}「${REQUEST_ROW_LABELS[key]}」：按印出的行标签读，表格的勾稽关系不成立，行标签（表格外的文字）与相邻一行的数字错位${sure ? '' : '；请核对原件'}`,
			where: { table: '三', row: key }
		});
	}
	return { readings, issues };
}

/** More rows without labels than free places: the first ones in order, every cell in doubt; the rest left out. */
function placeOverfull(run: Run, values: number[][], rows: Map<RequestRow, RowView>, readings: Readings, issues: ReportIssue[]): void {
	run.rows.forEach((row, k) => {
		const key = run.slots[k];
		if (!key) {
			issues.push({
				code: 'row_unknown',
				severity: 'warning',
				message: `表三中一行数字（${row.values.join(' ')}）没有行标签，表格的行序里也没有它的位置，已忽略`,
				where: { table: '三' }
			});
			return;
		}
		rows.set(key, row);
		readings.set(
			readingKey('三', key),
			values[k].map((): CellReading => ({ how: 'ambiguous' }))
		);
		issues.push({
			code: 'row_by_order',
			severity: 'warning',
			message: `表三有一行数字没有行标签，按顺序视为「${REQUEST_ROW_LABELS[key]}」`,
			where: { table: '三', row: key }
		});
	});
}
