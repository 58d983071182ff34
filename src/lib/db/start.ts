import { TABLES, type ColumnSpec, type TableName } from '$lib/dataset/columns';
import { OVERVIEW_METRICS, metricOf } from './aggregate';
import { LoadError, messageOf } from './errors';
import { NO_FILTERS, metricSums, scope } from './queries';
import { ident, join, sql, type Sql } from './sql';

/**
 * The start data: what the page loads before it says ready, derived at build
 * time (lib/server/start.ts, native DuckDB) from the dataset's canonical
 * files, so it stays bounded whatever the number of reports:
 * - the overview's cubes: its own metricSums per group of reports that its
 *   filters can tell apart (year, template, scope, status, and the agency's
 *   region, level, category), re-added by any filter of those (queries.ts);
 * - agency_years: per agency and report scope and status, the years it
 *   reported (a bit per year), its place in name order and its part — what
 *   the overview's distinct-agency count and report matrix need.
 * Per-report rows (`report_metrics`, `agencies`) are split into parts of
 * PART_AGENCIES agencies in name order, read when a query needs them: the
 * matrix the first parts, a profile its agency's part, anything else all.
 * The start tables are Arrow IPC streams, which the page hands to DuckDB's
 * worker undecoded (at a million reports, decoding them from Parquet on the
 * page's thread held DuckDB's own start back by seconds); the parts are
 * Parquet, decoded by the page as the dataset's own files are.
 */

/** Agencies per part of report_metrics and agencies (name order). */
export const PART_AGENCIES = 500;

/** The tables derived for the start. */
export const START_TABLES = ['overview_cube', 'overview_city_cube', 'agency_years'] as const;
export type StartTable = (typeof START_TABLES)[number];

/** The tables read from parts. */
export const PART_TABLES = ['agencies', 'report_metrics'] as const;
export type PartTable = (typeof PART_TABLES)[number];

/**
 * The agency columns each cube groups by. A filter set is answered by the
 * first cube holding every column it filters on (the city cube has no level
 * or category: both cubes would be 7× the rows).
 */
export const CUBES: readonly { table: Extract<StartTable, `${string}cube`>; agency: readonly ('province' | 'city' | 'level' | 'category')[] }[] = [
	{ table: 'overview_cube', agency: ['province', 'level', 'category'] },
	{ table: 'overview_city_cube', agency: ['province', 'city'] }
];

/** The report columns every cube groups by (Filters filter on them, or the overview groups by them). */
const CUBE_REPORT: readonly ColumnSpec[] = [
	['year', 'INTEGER'],
	['template', 'VARCHAR'],
	['scope', 'VARCHAR'],
	['status', 'VARCHAR']
];

/** The stored part of metricSums: the flagged columns are re-derived from `status`, a group key. */
export function cubeMetricColumns(id: string): string[] {
	return metricOf(id).ratio ? [`${id}__total`, `${id}__denominator`, `${id}__reports`] : [`${id}__total`, `${id}__reports`];
}

/** The agency columns' types (agencies' own). */
function agencyColumn(name: string): ColumnSpec {
	const c = TABLES.agencies.find(([n]) => n === name);
	if (!c) throw new Error(`agencies has no column ${name}`);
	return c;
}

/** Each start table's columns, as the derivation writes them and the page loads them. */
export const START_COLUMNS: Record<StartTable, readonly ColumnSpec[]> = {
	...(Object.fromEntries(
		CUBES.map((c) => [
			c.table,
			[
				...CUBE_REPORT,
				...c.agency.map(agencyColumn),
				['reports', 'DOUBLE'],
				...OVERVIEW_METRICS.flatMap((id) => cubeMetricColumns(id).map((n): ColumnSpec => [n, 'DOUBLE', 'null']))
			]
		])
	) as Record<(typeof CUBES)[number]['table'], ColumnSpec[]>),
	agency_years: [
		['agency_id', 'VARCHAR'],
		// Place in name order (ORDER BY name, id, as the matrix orders), and its part.
		['rank', 'INTEGER'],
		['part', 'INTEGER'],
		agencyColumn('province'),
		agencyColumn('city'),
		agencyColumn('level'),
		agencyColumn('category'),
		['scope', 'VARCHAR', 'null'],
		['status', 'VARCHAR', 'null'],
		// Bit (year − YEAR_BASE) set for each year with a report of this scope and status; 0: an agency without reports.
		['years', 'DOUBLE']
	]
};

/**
 * Year bits count from here. A DOUBLE holds 53 bits exactly, so years up to
 * YEAR_BASE + 52; the build refuses a dataset with others (YEARS_OUTSIDE).
 */
export const YEAR_BASE = 2000;
export const YEAR_LAST = YEAR_BASE + 52;

/** The bits of the years from–to (either open), as agency_years.years holds them. */
export function yearsMask(from: number | null, to: number | null): number {
	const lo = Math.max(from ?? YEAR_BASE, YEAR_BASE) - YEAR_BASE;
	const hi = Math.min(to ?? YEAR_LAST, YEAR_LAST) - YEAR_BASE;
	return hi < lo ? 0 : 2 ** (hi + 1) - 2 ** lo;
}

/** A column list of specs. */
function names(cols: readonly ColumnSpec[], alias?: string): Sql {
	return join(
		cols.map(([n]) => (alias ? { text: `${alias}.${ident(n).text}`, params: [] } : ident(n))),
		', '
	);
}

/**
 * The statements that derive the start tables from `agencies` and
 * `report_metrics` (both whole, in the same database): run by the build in
 * native DuckDB, and by the tests. `agency_parts` (id → rank) is a helper
 * the part files are cut from; `partAgencies`: agencies per part (tests cut
 * small datasets into several).
 */
export function deriveStartSql(partAgencies = PART_AGENCIES): Sql[] {
	const ids = [...OVERVIEW_METRICS];
	return [
		sql`CREATE OR REPLACE TEMP TABLE agency_parts AS
			SELECT id AS agency_id, CAST(row_number() OVER (ORDER BY name, id) - 1 AS INTEGER) AS rank FROM agencies`,
		...CUBES.map(
			(c) => sql`CREATE OR REPLACE TABLE ${ident(c.table)} AS
			SELECT ${names(START_COLUMNS[c.table])} FROM (
				${scope(NO_FILTERS, ids, false, c.agency)}
				SELECT s.year, s.template, s.scope, s.status, ${names(c.agency.map(agencyColumn), 's')},
					CAST(COUNT(*) AS DOUBLE) AS reports, ${metricSums(ids)}
				FROM s GROUP BY ALL
			) ORDER BY ALL`
		),
		sql`CREATE OR REPLACE TABLE agency_years AS
			SELECT p.agency_id, p.rank, CAST(p.rank // ${partAgencies} AS INTEGER) AS part, a.province, a.city, a.level, a.category, r.scope, r.status,
				CAST(coalesce(sum(DISTINCT pow(2, r.year - ${YEAR_BASE})), 0) AS DOUBLE) AS years
			FROM agency_parts p JOIN agencies a ON a.id = p.agency_id LEFT JOIN report_metrics r ON r.agency_id = p.agency_id
			GROUP BY ALL ORDER BY p.rank, r.scope, r.status`
	];
}

/**
 * Checks the cubes rest on: one report per agency and year (so a cube's
 * distinct agencies per year and template are its reports), and years within
 * the bits of agency_years. Each failure is a sentence; none: [].
 */
export function startChecksSql(): Sql {
	return sql`SELECT
		CAST(COUNT(*) - COUNT(DISTINCT (agency_id, year)) AS DOUBLE) AS repeated,
		CAST(COUNT(*) FILTER (WHERE year < ${YEAR_BASE} OR year > ${YEAR_LAST}) AS DOUBLE) AS outside
		FROM report_metrics`;
}

/** Part `i` of a part table, in its file's order. */
export function partSql(table: PartTable, i: number, partAgencies = PART_AGENCIES): Sql {
	const key = table === 'agencies' ? 'id' : 'agency_id';
	return sql`SELECT ${names(TABLES[table], 't')} FROM ${ident(table)} t JOIN agency_parts p ON p.agency_id = t.${ident(key)}
		WHERE p.rank // ${partAgencies} = ${i} ORDER BY t.${ident(TABLES[table][0][0])}`;
}

/** The least and greatest report id of a file (its first and last: files are sorted by report id). */
export type KeySpan = readonly [string, string];

/** What the build wrote for the start (start/index.json). */
export interface StartIndex {
	/** The dataset version it was derived from (manifest.json's). */
	version: string;
	/** Number of parts of each part table. */
	parts: number;
	/**
	 * Per table read on demand, each of its files' (manifest.files order)
	 * report id span: a row scope then opens only the files that may hold it
	 * (at a million reports, one of ten), not every file's footer. Absent for
	 * a file without rows; absent altogether: every file is opened.
	 */
	spans?: Partial<Record<TableName, (KeySpan | null)[]>>;
}

export const START_INDEX = 'index.json';
export const startFile = (table: StartTable) => `${table}.arrow`;
export const partFile = (table: PartTable, i: number) => `${table}-${i}.parquet`;

/** start/index.json's text → StartIndex; broken, or of another dataset version than `version`: a LoadError naming it. */
export function parseStartIndex(text: string, version: string, file = `start/${START_INDEX}`): StartIndex {
	let o: Partial<StartIndex> | null;
	try {
		o = JSON.parse(text) as Partial<StartIndex> | null;
	} catch (e) {
		throw new LoadError('manifest_invalid', file, messageOf(e));
	}
	if (!o || typeof o.version !== 'string' || typeof o.parts !== 'number' || !Number.isInteger(o.parts) || o.parts < 0)
		throw new LoadError('manifest_invalid', file, 'version / parts');
	if (o.version !== version) throw new LoadError('manifest_invalid', file, `built for dataset ${o.version}, manifest.json is ${version}`);
	const span = (x: unknown) => x === null || (Array.isArray(x) && x.length === 2 && x.every((k) => typeof k === 'string') && x[0] <= x[1]);
	if (o.spans !== undefined && (typeof o.spans !== 'object' || o.spans === null || !Object.values(o.spans).every((l) => Array.isArray(l) && l.every(span))))
		throw new LoadError('manifest_invalid', file, 'spans');
	return o as StartIndex;
}
