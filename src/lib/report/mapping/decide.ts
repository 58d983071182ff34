import { readNumber } from '../numbers';
import { claimHolds, claimsOn, type ProseClaim } from '../prose';
import { readingKey, type CellReading, type Readings } from '../provenance';
import {
	APPLICANT_COLUMNS,
	BALANCE_RULE,
	CASE_FIELDS,
	CASE_GROUP_LABELS,
	CASE_GROUPS,
	OUTCOME_ROWS,
	type CaseGroup,
	type ReportIssue,
	type RequestRow
} from '../schema';
import { combineCaseParts } from './cases';
import { fit, type RowView } from './rows';
import { cheapest, choose, evenCost, type Choice, type Witnessed } from './choose';
import { cellNumber, digitCount, prepareRun, splitRun } from './split';
import { reasonOf, runWitness } from './witness';

/**
 * The tables' grammar as the arbiter of run-together digits: table 三's row
 * totals, then its column rules (outcomes add up to （七）总计; 新收 + 上年结转
 * = 办理总计 + 结转下年) across the rows still open; table 四's group totals;
 * table 二's cell counts and the layout's preferences. The report's prose
 * (its claims, prose.ts) is a further witness wherever these leave a choice.
 */

/** Counts in these tables stay below ten million. */
const MAX_COUNT_DIGITS = 7;
/** Readings kept per run; the layout's list is longer so that `read` is only said of cells no reading disputes. */
const LAYOUT_LIMIT = 512;
const RULE_LIMIT = 64;
/** Row combinations tried against the column rules; past this each row keeps its own survivors. */
const JOINT_LIMIT = 4096;

export interface RequestRun {
	key: RequestRow;
	label: string;
	run: string;
}

export interface DecidedRun extends RequestRun {
	choice: Choice;
}

const N = APPLICANT_COLUMNS.length;
const TOTAL_AT = N - 1;

function sumOf(cells: readonly string[], from: number, to: number): number {
	let s = 0;
	for (let i = from; i < to; i++) s += cellNumber(cells[i]);
	return s;
}

/** Rule 3: the six applicant columns add up to 总计. */
function rowTotalHolds(cells: readonly string[]): boolean {
	return cells.length < N || sumOf(cells, 0, TOTAL_AT) === cellNumber(cells[TOTAL_AT]);
}

/** Rules 1 and 2, for every column, over the rows the document has. */
export function columnsHold(rows: Map<RequestRow, readonly string[]>): boolean {
	const outcomes = OUTCOME_ROWS.filter((r) => rows.has(r));
	const total = rows.get('total_processed');
	const balance = [...BALANCE_RULE.received, ...BALANCE_RULE.settled].every((r) => rows.has(r));
	for (let c = 0; c < N; c++) {
		const at = (r: RequestRow) => cellNumber(rows.get(r)![c]);
		if (total && outcomes.length > 0 && outcomes.reduce((s, r) => s + at(r), 0) !== cellNumber(total[c])) return false;
		if (balance && BALANCE_RULE.received.reduce((s, r) => s + at(r), 0) !== BALANCE_RULE.settled.reduce((s, r) => s + at(r), 0)) return false;
	}
	return true;
}

/**
 * For each row, the readings that appear in some combination satisfying `holds` (the column rules, and the
 * prose where it is a witness); undefined: none does, or too many to try.
 */
export function jointSurvivors(
	keys: readonly RequestRow[],
	candidates: readonly string[][][],
	holds: (rows: Map<RequestRow, readonly string[]>) => boolean
): string[][][] | undefined {
	const open = candidates.map((c, i) => (c.length > 1 ? i : -1)).filter((i) => i >= 0);
	const size = open.reduce((p, i) => p * candidates[i].length, 1);
	if (open.length === 0 || size > JOINT_LIMIT) return undefined;
	const rows = new Map<RequestRow, readonly string[]>(keys.map((k, i) => [k, candidates[i][0]]));
	const used = candidates.map(() => new Set<number>());
	const pick = new Array<number>(open.length).fill(0);
	let any = false;
	const walk = (depth: number): void => {
		if (depth === open.length) {
			if (!holds(rows)) return;
			any = true;
			open.forEach((row, d) => used[row].add(pick[d]));
			return;
		}
		const row = open[depth];
		candidates[row].forEach((cells, j) => {
			rows.set(keys[row], cells);
			pick[depth] = j;
			walk(depth + 1);
		});
	};
	walk(0);
	if (!any) return undefined;
	return candidates.map((c, i) => (c.length > 1 ? c.filter((_, j) => used[i].has(j)) : c));
}

/** Table 三's claims of the prose as a test of rows read so far: false where the rows give a claim's cells another sum. */
function requestsWitness(claims: readonly ProseClaim[] | undefined, keys: readonly RequestRow[]) {
	const present = new Set<string>(keys);
	const rowOf = (path: string) => path.split('.')[1];
	const bearing = claims ? claimsOn(claims, (p) => p.startsWith('requests.') && present.has(rowOf(p))) : [];
	if (bearing.length === 0) return undefined;
	const holds = (rows: ReadonlyMap<RequestRow, readonly string[]>) =>
		bearing.every((c) => {
			const get = (path: string) => {
				const [, row, column] = path.split('.');
				const cells = rows.get(row as RequestRow);
				return cells ? cellNumber(cells[APPLICANT_COLUMNS.indexOf(column as (typeof APPLICANT_COLUMNS)[number])]) : undefined;
			};
			return claimHolds(c, get) !== false;
		});
	/** The sentences bearing on one row. */
	const reason = (key: RequestRow) => {
		const on = bearing.filter((c) => c.sums.some((set) => set.some((p) => rowOf(p) === key)));
		return on.length > 0 ? reasonOf(on) : undefined;
	};
	return { holds, reason };
}

/** Table 三's runs → each row's cells and how they were decided; `claims`: the prose's, a witness where the arithmetic leaves a choice. */
export function decideRequests(runs: readonly RequestRun[], claims?: readonly ProseClaim[]): DecidedRun[] {
	const cost = evenCost(TOTAL_AT);
	const layouts = runs.map((r) => splitRun(prepareRun(r.run), { n: N, maxDigits: MAX_COUNT_DIGITS }, LAYOUT_LIMIT).readings);
	const ruled = runs.map((r) => splitRun(prepareRun(r.run), { n: N, maxDigits: MAX_COUNT_DIGITS, accept: rowTotalHolds }, RULE_LIMIT).readings);
	// A row no reading of which holds its total keeps the layout's favourite in the column rules.
	const candidates = ruled.map((ok, i) => (ok.length > 0 ? ok : layouts[i].length > 0 ? [cheapest(layouts[i], cost)] : []));
	const present = runs.map((_, i) => candidates[i].length > 0);
	const keys = runs.filter((_, i) => present[i]).map((r) => r.key);
	const kept = candidates.filter((_, i) => present[i]);
	const joint = jointSurvivors(keys, kept, columnsHold);
	const prose = requestsWitness(claims, keys);
	const jointProse = prose && jointSurvivors(keys, kept, (rows) => columnsHold(rows) && prose.holds(rows));
	let k = 0;
	return runs.map((r, i) => {
		if (!present[i]) return { ...r, choice: unsplit(r.run) };
		const survivors = joint?.[k] ?? ruled[i];
		// With no combination of rows the prose agrees with, each row is judged on the claims it completes alone.
		const agreed = jointProse?.[k] ?? survivors.filter((cells) => prose?.holds(new Map([[r.key, cells]])) ?? true);
		k++;
		const reason = prose?.reason(r.key);
		const witnessed: Witnessed | undefined = reason ? { readings: agreed, reason } : undefined;
		return { ...r, choice: choose(layouts[i], ruled[i].length > 0 ? survivors : [], cost, witnessed) };
	});
}

/** A run too short for the row's cells: its printed fields as they are, every one in doubt. */
function unsplit(run: string): Choice {
	const cells = run.split(/\s+/).filter(Boolean);
	return { cells, readings: cells.map((): CellReading => ({ how: 'ambiguous' })), outcome: 'ambiguous' };
}

/** Table 四's cells in run order: the groups side by side, five fields each. */
const CASE_PATHS = CASE_GROUPS.flatMap((g) => CASE_FIELDS.map((f) => `${g}.${f}`));

/** Table 四's run (its groups side by side): each group's total holds, and 总计 is no smaller than its parts; the prose witnesses. */
export function decideCases(text: string, width: number, claims?: readonly ProseClaim[]): Choice | undefined {
	const g = CASE_FIELDS.length;
	const groupHolds = (cells: readonly string[]) =>
		cells.length % g !== 0 || sumOf(cells, cells.length - g, cells.length - 1) === cellNumber(cells[cells.length - 1]);
	const run = prepareRun(text);
	const layout = splitRun(run, { n: width, maxDigits: MAX_COUNT_DIGITS }, LAYOUT_LIMIT).readings;
	if (layout.length === 0) return undefined;
	const ruled = splitRun(run, { n: width, maxDigits: MAX_COUNT_DIGITS, accept: groupHolds }, RULE_LIMIT).readings;
	const witness = runWitness(claims, CASE_PATHS.slice(0, width));
	let witnessed: Witnessed | undefined;
	if (witness) {
		const accept = ruled.length > 0 ? (cells: readonly string[]) => groupHolds(cells) && witness.holds(cells) : witness.holds;
		witnessed = { readings: splitRun(run, { n: width, maxDigits: MAX_COUNT_DIGITS, accept }, RULE_LIMIT).readings, reason: witness.reason };
	}
	const even = evenCost();
	const cost = (cells: readonly string[]) => {
		let c = even(cells);
		for (let at = g - 1; at < cells.length; at += g) if (cells.slice(at - g + 1, at).some((x) => cellNumber(x) > cellNumber(cells[at]))) c += 100;
		return c;
	};
	return choose(layout, ruled, cost, witnessed);
}

/** Every order of a list (at most three small tables: six orders), the given order first. */
function orders<T>(items: readonly T[]): T[][] {
	if (items.length <= 1) return [items.slice()];
	return items.flatMap((x, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

export interface CasePartsChoice {
	row: RowView;
	readings: Readings;
	issues: ReportIssue[];
}

/**
 * Table 四 printed as three small tables, some without a title that says
 * which part they are (two tables both titled 行政诉讼): they were taken in
 * the template's order. Every group has the same arithmetic, so only the
 * prose can tell them apart: the orders it contradicts are dropped unless
 * none is left; cells every remaining order agrees on are read (or inferred
 * by the prose, with its sentence), the others ambiguous with the
 * alternatives. `claims` is called only when the order matters.
 */
export function decideCaseParts(
	rows: ReadonlyMap<CaseGroup, RowView>,
	byOrder: readonly CaseGroup[],
	claims: () => readonly ProseClaim[]
): CasePartsChoice | undefined {
	if (byOrder.length < 2) return undefined;
	const values = new Map(
		[...rows].map(([g, row]): [CaseGroup, string[]] => [
			g,
			fit(row.values, CASE_FIELDS.length, row.exact).cells.map((c) => String(readNumber(c, 'count').value ?? 0))
		])
	);
	// Each order of the untitled tables as a reading of the fifteen cells, the printed order first.
	const placements = orders(byOrder);
	const cellsOf = (order: readonly CaseGroup[]) =>
		CASE_GROUPS.flatMap((g) => {
			const at = byOrder.indexOf(g);
			return values.get(at < 0 ? g : order[at])!;
		});
	const layout = placements.map(cellsOf);
	if (layout.every((cells) => cells.join() === layout[0].join())) return undefined;
	const witness = runWitness(claims(), CASE_PATHS);
	const witnessed = witness && { readings: layout.filter((cells) => witness.holds(cells)), reason: witness.reason };
	const choice = choose(layout, [], (cells) => layout.indexOf(cells as string[]), witnessed);
	const order = placements[layout.findIndex((cells) => cells.join() === choice.cells.join())];
	const parts = new Map(rows);
	byOrder.forEach((g, i) => parts.set(g, rows.get(order[i])!));
	const readings: Readings = new Map();
	CASE_GROUPS.forEach((g, gi) => readings.set(readingKey('四', g), choice.readings.slice(gi * CASE_FIELDS.length, (gi + 1) * CASE_FIELDS.length)));
	const names = byOrder.map((g) => `「${CASE_GROUP_LABELS[g]}」`).join('、');
	const reason = choice.readings.find((r) => r.reason)?.reason;
	const what = `表四印成三张小表，其中 ${byOrder.length} 张的标题没有说明是哪一部分`;
	// One issue for each part whose cells the order decided, so every doubted cell's row is named.
	const issues = byOrder
		.filter((g) => (readings.get(readingKey('四', g)) ?? []).some((r) => r.how !== 'read'))
		.map(
			(g): ReportIssue =>
				choice.outcome === 'ambiguous'
					? {
							code: 'reading_ambiguous',
							severity: 'warning',
							message: `${what}；按表格的顺序作${names}，「${CASE_GROUP_LABELS[g]}」的数字请核对原件`,
							where: { table: '四', row: g }
						}
					: {
							code: 'reading_inferred',
							severity: 'info',
							message: `${what}；按报告正文（${reason}）可确定哪张是「${CASE_GROUP_LABELS[g]}」`,
							where: { table: '四', row: g }
						}
		);
	return { row: combineCaseParts(parts), readings, issues };
}

/** A typical government procurement project, in yuan: the layout's guess where projects and amount ran together. */
const TYPICAL_PROJECT_YUAN = 1e6;

/**
 * Table 二 has no arithmetic: the layout's preferences decide and the cells
 * stay ambiguous where readings differ. Counts side by side have similar
 * digit counts; 本年增/减 is usually 0 and short; an amount over its project
 * count is near a typical project.
 */
export function activeCost(fields: readonly string[]) {
	return (cells: readonly string[]): number => {
		let c = 0;
		const counts = cells.filter((_, i) => fields[i] !== 'change' && !fields[i].startsWith('amount')).map(digitCount);
		for (let i = 0; i < counts.length; i++) for (let j = i + 1; j < counts.length; j++) c += (counts[i] - counts[j]) ** 2;
		const change = fields.indexOf('change');
		if (change >= 0 && cells[change] !== '0') c += 2 * digitCount(cells[change]);
		const amount = fields.indexOf('amount_yuan');
		const projects = fields.indexOf('projects');
		if (amount >= 0 && projects >= 0)
			c += Math.abs(Math.log10(cellNumber(cells[amount]) / Math.max(1, cellNumber(cells[projects]))) - Math.log10(TYPICAL_PROJECT_YUAN));
		return c;
	};
}
