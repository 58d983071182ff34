import { claimHolds, type ProseClaim } from '../prose';
import { readingKey, type CellReading, type Readings } from '../provenance';
import { APPLICANT_COLUMNS, REQUEST_ROWS, REQUEST_ROW_LABELS, type ReportIssue, type RequestRow } from '../schema';
import { isFullRow } from './cells';
import { ruleGaps, valuesOf, type Placement } from './orphans';
import { isBlank, type RowView } from './rows';

/**
 * A label standing alone in a text layer (or a PDF row of empty cells) is most
 * often a row printed blank. But it may also be the first label of a run of
 * labels each a line above its numbers whose last row is a row of zeros
 * printed blank: then each label of the run stands beside the previous row's
 * numbers and no line of numbers alone shows the slide. The text reads the
 * same either way; only the tables' column rules can tell.
 *
 * The same holds the other way round: labels each a line below their numbers
 * whose first row is blank end in a label alone. So, for each such label,
 * the readings where the next (or the previous) 1 to SLIDE_REACH rows
 * (labelled rows beside numbers, whose labels may be off) give their numbers
 * to the row above (below) and the run's row at the other end is blank are
 * tried beside the reading as printed (the second kind only where the
 * rules fail as printed). As printed holding every rule the readings move: it is
 * taken, and the cells a slide that also holds would change are `ambiguous`,
 * with the alternatives. As printed breaking a rule: the slides that hold are
 * the readings (one: taken, `inferred`; several: the shortest taken, the
 * cells they dispute `ambiguous`); none holding: as printed, the report's own
 * break or another slip, which the checks report.
 */

/** Rows after a label alone that a slide may take in (an extractor's slide seldom runs longer). */
const SLIDE_REACH = 4;

/**
 * A row put together from where its text stands on a line: a text layer's, or a PDF's rebuilt from positions. Not
 * markdown pipe rows, whose moved cells orphans.ts reads.
 */
const laidOut = (row: RowView) => !row.pipes && (!row.exact || row.pages !== undefined);

/** A row printed blank: a text layer's label alone, a PDF row of empty cells. */
const printedBlank = (row: RowView) =>
	laidOut(row) && (row.labelOnly === true || (row.pages !== undefined && row.values.length > 0 && row.values.every(isBlank)));

interface Slide {
	/** The rows of the run in template order: the label alone first, the row left blank last. */
	keys: RequestRow[];
	values: Map<RequestRow, number[]>;
	/** The row whose printed numbers the run's j-th row takes (undefined: blank, zeros). */
	from: (j: number) => RequestRow | undefined;
	/** Labels a line below their numbers, the label alone last. */
	below?: boolean;
}

/** A lookup of table 三's cells under one reading, for the prose's claims. */
function lookupIn(values: Map<RequestRow, number[]>) {
	return (path: string) => {
		const [head, row, col] = path.split('.');
		return head === 'requests' ? values.get(row as RequestRow)?.[APPLICANT_COLUMNS.indexOf(col as (typeof APPLICANT_COLUMNS)[number])] : undefined;
	};
}

export function slideFromBlank(rows: Map<RequestRow, RowView>, settled: Readings, claims: () => readonly ProseClaim[] = () => []): Placement {
	const readings: Readings = new Map();
	const issues: ReportIssue[] = [];
	const keys = REQUEST_ROWS.filter((k) => rows.has(k));
	const free = (k: RequestRow) => !settled.has(readingKey('三', k));
	const blankAt = keys.flatMap((k, i) => (free(k) && printedBlank(rows.get(k)!) ? [i] : []));
	if (blankAt.length === 0) return { readings, issues };
	const values = new Map<RequestRow, number[]>();
	for (const [key, row] of rows) values.set(key, valuesOf(row));
	// A row an earlier step placed or moved, or one printed in a table's own cells, never slides.
	const slidable = (k: RequestRow) => {
		const row = rows.get(k)!;
		return free(k) && laidOut(row) && !printedBlank(row) && isFullRow(row);
	};
	const slides: Slide[] = [];
	const zeros = APPLICANT_COLUMNS.map(() => 0);
	for (const a of blankAt) {
		// Labels a line above their numbers: the label alone first, each row's numbers beside the next label, the last row blank.
		for (let n = 1; n <= SLIDE_REACH && a + n < keys.length && slidable(keys[a + n]); n++) {
			const run = keys.slice(a, a + n + 1);
			const moved = new Map(values);
			run.forEach((k, j) => moved.set(k, j < n ? values.get(run[j + 1])! : zeros));
			slides.push({ keys: run, values: moved, from: (j) => (j < n ? run[j + 1] : undefined) });
		}
		// Labels a line below their numbers: the run's first row blank, each row's numbers beside the previous label, the label alone last.
		for (let n = 1; n <= SLIDE_REACH && a - n >= 0 && slidable(keys[a - n]); n++) {
			const run = keys.slice(a - n, a + 1);
			const moved = new Map(values);
			run.forEach((k, j) => moved.set(k, j > 0 ? values.get(run[j - 1])! : zeros));
			slides.push({ keys: run, values: moved, from: (j) => (j > 0 ? run[j - 1] : undefined), below: true });
		}
	}
	if (slides.length === 0) return { readings, issues };
	// The shortest slides first: the fewest rows moved off their labels.
	slides.sort((x, y) => x.keys.length - y.keys.length);
	const printed = ruleGaps(values);
	const gaps = slides.map((s) => ruleGaps(s.values));
	// A rule no slide moves (the document's own break elsewhere, a column of zeros) says nothing of them.
	const moving = printed.map((g, at) => gaps.some((s) => s[at] !== g));
	const holds = (g: readonly number[]) => g.every((x, at) => !moving[at] || x === 0);
	let kept = slides.filter((_, i) => holds(gaps[i]));
	if (kept.length === 0) return { readings, issues };
	const asPrinted = holds(printed);
	if (asPrinted) {
		// Labels a line below their numbers are read only where the rules fail as printed: tried where they hold, they would put
		// in doubt the rows above every row printed blank, in every clean PDF that prints one (the other way round is the slide
		// the extractors of issue 12 made, a label alone where a row's numbers were).
		kept = kept.filter((s) => !s.below);
		// The prose as a witness: a count it states that the reading as printed gives and a slide does not rules the slide out.
		const stated = claims().filter((c) => c.sums.some((set) => set.every((p) => p.startsWith('requests.'))));
		const gives = (values: Map<RequestRow, number[]>) => stated.map((c) => claimHolds(c, lookupIn(values)));
		const mine = gives(values);
		kept = kept.filter((s) => gives(s.values).every((h, i) => !(mine[i] === true && h === false)));
		if (kept.length === 0) return { readings, issues };
	}
	const taken = asPrinted ? undefined : kept[0];
	const chosen = taken?.values ?? values;
	// Each row's values under every reading kept: as printed too, where it holds.
	const readingsKept = asPrinted ? [values, ...kept.map((s) => s.values)] : kept.map((s) => s.values);
	// The rows as printed: a row moved here must not take numbers another move already replaced.
	const printedRows = new Map(rows);
	const touched = [...new Set(kept.flatMap((s) => s.keys))].sort((x, y) => REQUEST_ROWS.indexOf(x) - REQUEST_ROWS.indexOf(y));
	for (const key of touched) {
		const mine = chosen.get(key)!;
		const cells: CellReading[] = mine.map((v, c) => {
			const others = [...new Set(readingsKept.map((r) => r.get(key)![c]))].filter((x) => x !== v).sort((x, y) => x - y);
			// Undisputed: as the reading taken has it (a label alone's blanks are the grammar's reading, as mapRequests says).
			return others.length > 0
				? { how: 'ambiguous', alternatives: others }
				: { how: taken?.keys.includes(key) || printedRows.get(key)!.labelOnly ? 'inferred' : 'read' };
		});
		if (!taken?.keys.includes(key) && cells.every((c) => c.how !== 'ambiguous')) continue;
		readings.set(readingKey('三', key), cells);
		const sure = cells.every((c) => c.how !== 'ambiguous');
		const own = printedRows.get(key)!;
		if (taken?.keys.includes(key)) {
			const source = taken.from(taken.keys.indexOf(key));
			const from = source && printedRows.get(source)!;
			rows.set(
				key,
				from
					? { ...from, printed: `（数字印在「${from.printed}」一行，置于${REQUEST_ROW_LABELS[key]}一行）` }
					: { ...own, values: APPLICANT_COLUMNS.map(() => ''), labelOnly: true }
			);
		}
		const shown = mine.join(' ');
		const where = { table: '三' as const, row: key };
		issues.push(
			sure
				? {
						code: 'reading_inferred',
						severity: 'info',
						message: `表三「${REQUEST_ROW_LABELS[key]}」按勾稽关系读作 ${shown}：按印出的位置读，勾稽关系不成立；一串行的行标签与数字错开了一行，这一串行一端的行是空白的行（只印了行标签）`,
						where
					}
				: {
						code: 'reading_ambiguous',
						severity: 'warning',
						message: `表三「${REQUEST_ROW_LABELS[key]}」取 ${shown}，但在只印了行标签的空白行旁，一串行的行标签也可能与数字错开了一行（这一串行一端的行是空白的行），勾稽关系两种读法都成立；请核对原件`,
						where
					}
		);
	}
	return { readings, issues };
}
