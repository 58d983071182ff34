import { readingKey, type CellProvenance, type CellReading, type How, type Provenance, type Readings } from '../provenance';
import {
	ACTIVE_LAYOUT,
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_GROUPS,
	REQUEST_ROW_LABELS,
	type ActiveTable,
	type CaseCells,
	type CaseGroup,
	type ReportIssue,
	type RequestCells,
	type RequestRow,
	type Template
} from '../schema';
import { pageOf, type RowView } from './rows';

/**
 * Every cell of the mapped tables with how it was read and where: the
 * readings decided before mapping (glued text) where there are any, else
 * `read`; a row the mapping placed by guesswork (taken in order without a
 * label, its cells right-aligned or filled in order) is `ambiguous`.
 */

/**
 * Cell paths, built once: provenance is made for every report parsed. Keyed
 * by the columns array itself (the template's own), then the row: a row's
 * columns differ between templates (licensing: three in 2019, one in 2021).
 */
type PathCache = WeakMap<readonly string[], Map<string, string[]>>;
const REQUEST_PATHS: PathCache = new WeakMap();
const ACTIVE_PATHS: PathCache = new WeakMap();
const CASE_PATHS: PathCache = new WeakMap();
function pathsOf(cache: PathCache, prefix: string, row: string, columns: readonly string[]): string[] {
	let rows = cache.get(columns);
	if (!rows) cache.set(columns, (rows = new Map()));
	let paths = rows.get(row);
	if (!paths) rows.set(row, (paths = columns.map((c) => `${prefix}${row}.${c}`)));
	return paths;
}

/** Issues that say a whole row's placement is a guess. */
const GUESSED_ROW = new Set(['row_by_order', 'cells_ambiguous', 'cells_missing', 'cells_extra']);

/** A row of numbers printed without a label, named by the template row it was placed in (messages quote the row's name). */
export function unlabelledRow(key: RequestRow): string {
	return `（无标签行，置于${REQUEST_ROW_LABELS[key]}一行）`;
}

export interface ProvenanceInput {
	template: Template;
	active: ActiveTable;
	activeRows: Map<string, RowView>;
	requests: Record<RequestRow, RequestCells | null>;
	requestRows: Map<RequestRow, RowView>;
	cases: Record<CaseGroup, CaseCells | null>;
	casesRow?: RowView;
	issues: readonly ReportIssue[];
	readings?: Readings;
}

export function provenanceOf(p: ProvenanceInput): Provenance {
	const out: Provenance = {};
	const guessed = new Set<string>();
	for (const i of p.issues) if (GUESSED_ROW.has(i.code) && i.where?.row) guessed.add(`${i.where.table}:${i.where.row}`);
	// Asked once per row, not per cell.
	const isGuessed = (table: CellProvenance['table'], rowKey: string) => guessed.size > 0 && guessed.has(`${table}:${rowKey}`);
	const add = (
		path: string,
		table: CellProvenance['table'],
		rowGuessed: boolean,
		printed: string,
		column: string,
		reading: CellReading | undefined,
		page: number | undefined
	) => {
		const how: How = reading?.how ?? (rowGuessed ? 'ambiguous' : 'read');
		const entry: CellProvenance = { how, table, row: printed, column };
		if (page !== undefined) entry.page = page;
		if (reading?.alternatives) entry.alternatives = reading.alternatives;
		if (reading?.reason) entry.reason = reading.reason;
		out[path] = entry;
	};
	const layout: Record<string, readonly string[]> = ACTIVE_LAYOUT[p.template];
	for (const [key, fields] of Object.entries(p.active)) {
		if (!fields) continue;
		const readings = p.readings?.get(readingKey('二', key));
		const columns = layout[key] ?? Object.keys(fields);
		const paths = pathsOf(ACTIVE_PATHS, 'active.', key, columns);
		const row = p.activeRows.get(key);
		const printed = row?.printed ?? key;
		const rowGuessed = isGuessed('二', key);
		columns.forEach((field, i) => add(paths[i], '二', rowGuessed, printed, field, readings?.[i], pageOf(row, i, columns.length)));
	}
	for (const [key, cells] of Object.entries(p.requests) as [RequestRow, RequestCells | null][]) {
		if (!cells) continue;
		const readings = p.readings?.get(readingKey('三', key));
		const paths = pathsOf(REQUEST_PATHS, 'requests.', key, APPLICANT_COLUMNS);
		const row = p.requestRows.get(key);
		const printed = row?.printed || unlabelledRow(key);
		const rowGuessed = isGuessed('三', key);
		APPLICANT_COLUMNS.forEach((col, i) => add(paths[i], '三', rowGuessed, printed, col, readings?.[i], pageOf(row, i, APPLICANT_COLUMNS.length)));
	}
	for (const [group, cells] of Object.entries(p.cases) as [CaseGroup, CaseCells | null][]) {
		if (!cells) continue;
		const readings = p.readings?.get(readingKey('四', group));
		// Table 四 is one printed row for all three groups: its issues name the first group.
		const rowKey = p.issues.some((i) => i.where?.table === '四' && GUESSED_ROW.has(i.code)) ? 'review' : group;
		const at = CASE_GROUPS.indexOf(group) * CASE_FIELDS.length;
		const width = CASE_GROUPS.length * CASE_FIELDS.length;
		const paths = pathsOf(CASE_PATHS, '', group, CASE_FIELDS);
		const rowGuessed = isGuessed('四', rowKey);
		CASE_FIELDS.forEach((f, i) => add(paths[i], '四', rowGuessed, p.casesRow?.printed || group, f, readings?.[i], pageOf(p.casesRow, at + i, width)));
	}
	return out;
}
