import { METRIC_BY_ID, OUTCOME_METRICS, partsOf, rootOf } from '$lib/catalog/metrics';
import type { SumScope } from '$lib/agencies/scope';
import {
	NO_FILTERS,
	NO_REPORT_FILTERS,
	isFlagged,
	metricValue,
	partsAddUp,
	reportRange,
	scope,
	type Filters,
	type ReportFilters,
	type Runner
} from './queries';
import { empty, ident, join, list, sql, type Sql } from './sql';

/**
 * The researcher views' questions: outcome shares and their reasons, the
 * applicant mix, and the peer group of a body. Same rules as queries.ts:
 * values are parameters, metric ids come from the catalog. Like the overview
 * they read `report_metrics` (loaded at start), never the long tables.
 */

/** The outcome metric each drill-down breaks down. */
export const DRILL_PARENT: Record<'denied' | 'unable' | 'rejected' | 'other', string> = {
	denied: 'outcome_denied',
	unable: 'outcome_unable',
	rejected: 'outcome_not_processed',
	other: 'outcome_other'
};

/** One metric summed over the reports of one bar: a year, or an agency. */
export interface BarSum {
	bar: string;
	/** The agency's name (agency bars), or the year. */
	name: string;
	metric: string;
	value: number;
	reports: number;
	flagged: number;
	/** Reports in the bar that have the metric but were left out: their parts do not add up to the whole (PARTS_RULE). */
	left: number;
}

/** How many reports in scope use a template in a year. */
export interface ScopeTemplates {
	year: number;
	template: string;
	reports: number;
}

function known(ids: readonly string[]): string[] {
	return ids.filter((id) => METRIC_BY_ID.has(id));
}

/**
 * Sums of count metrics per year or per agency over the reports the filters
 * select, for shares of a whole: `scope`'s rows carry every stored metric as
 * a column, so no per-metric table is read. Rates are not summed (they are
 * not in the list). A year's bar adds up the reports of the sum scope
 * (Filters.sum: never two that overlap); an agency's bar is that body's own
 * reports. Each metric adds up only the reports whose parts of its whole
 * (catalog rootOf) add up to it (PARTS_RULE), as the overview's rates do,
 * and whose whole is at least the researchers' least n (Filters.minN).
 */
export async function barSums(db: Runner, f: Filters, by: 'year' | 'agency', metrics: readonly string[], top?: TopBars): Promise<BarSum[]> {
	return (await barSumsOf(db, f, by, metrics, top)).sums;
}

/**
 * Agency bars limited in SQL to the `limit` largest by the sum of `size`'s
 * sums (ties by name, then id): at 100,000 reports there are 14,286 agency
 * bars, and a view showing 30 should neither receive nor store the rest.
 */
export interface TopBars {
	size: readonly string[];
	limit: number;
}

async function barSumsOf(db: Runner, f: Filters, by: 'year' | 'agency', metrics: readonly string[], top?: TopBars): Promise<{ sums: BarSum[]; bars: number }> {
	const ids = known(metrics).filter((id) => METRIC_BY_ID.get(id)!.unit !== 'rate');
	if (!ids.length) return { sums: [], bars: 0 };
	const bar: Sql = by === 'year' ? { text: 'CAST(s.year AS VARCHAR)', params: [] } : { text: 's.agency_id', params: [] };
	const name: Sql = by === 'year' ? { text: 'CAST(s.year AS VARCHAR)', params: [] } : { text: 'min(s.name)', params: [] };
	const flagged = isFlagged('s');
	const columns = join(
		ids.map((id) => {
			const v = metricValue(id, 's');
			const least = f.minN > 0 ? sql` AND s.${ident(rootOf(id))} >= ${f.minN}` : empty;
			const ok = sql`(${partsAddUp(rootOf(id), 's')}${least})`;
			return sql`CAST(SUM(${v}) FILTER (WHERE ${ok}) AS DOUBLE) AS ${ident(`${id}__sum`)}, CAST(COUNT(${v}) FILTER (WHERE ${ok}) AS DOUBLE) AS ${ident(`${id}__n`)},
				CAST(COUNT(${v}) FILTER (WHERE ${ok} AND ${flagged}) AS DOUBLE) AS ${ident(`${id}__flagged`)},
				CAST(COUNT(${v}) FILTER (WHERE NOT ${ok}) AS DOUBLE) AS ${ident(`${id}__left`)}`;
		}),
		',\n'
	);
	const grouped = sql`SELECT ${bar} AS bar, ${name} AS name, ${columns} FROM s GROUP BY 1`;
	const sizeIds = top ? known(top.size).filter((id) => ids.includes(id)) : [];
	// The bars with anything in size (as the view's barsOf keeps), the largest first; __bars counts them all.
	const size = join(
		sizeIds.map((id) => sql`coalesce(${ident(`${id}__sum`)}, 0)`),
		' + '
	);
	const rows = await db.query<Record<string, string | number | null>>(
		top && by === 'agency' && sizeIds.length
			? sql`${scope(f, undefined, false)}, b AS (${grouped})
				SELECT * EXCLUDE (__size) FROM (SELECT *, ${size} AS __size, CAST(COUNT(*) OVER () AS DOUBLE) AS __bars FROM b WHERE ${size} > 0)
				ORDER BY __size DESC, name, bar LIMIT ${top.limit}`
			: sql`${scope(f, undefined, by === 'year')}
		${grouped} ORDER BY 1`
	);
	const sums = rows.flatMap((r) =>
		ids
			.filter((id) => r[`${id}__sum`] !== null && r[`${id}__sum`] !== undefined)
			.map((id) => ({
				bar: String(r.bar),
				name: String(r.name),
				metric: id,
				value: Number(r[`${id}__sum`]),
				reports: Number(r[`${id}__n`]),
				flagged: Number(r[`${id}__flagged`]),
				left: Number(r[`${id}__left`])
			}))
	);
	return { sums, bars: rows.length && top && by === 'agency' && sizeIds.length ? Number(rows[0].__bars) : rows.length };
}

/** Reports in scope per year and template: which years mix templates (counted here, not listed: 100,000 rows at 100,000 reports). */
export async function scopeTemplates(db: Runner, f: Filters): Promise<ScopeTemplates[]> {
	return db.query<ScopeTemplates>(
		sql`${scope(f, undefined, true)} SELECT year, template, CAST(COUNT(*) AS DOUBLE) AS reports FROM s GROUP BY ALL ORDER BY year, template`
	);
}

/** The applicant types: the parts of requests received. */
export const APPLICANTS = partsOf('requests_received').map((m) => m.id);

/** Every count the Outcomes view shows: the outcome groups, their reasons, the applicant types. */
export const OUTCOMES_WANTED = [
	'requests_processed',
	'requests_received',
	...OUTCOME_METRICS,
	...OUTCOME_METRICS.flatMap((id) => partsOf(id).map((m) => m.id)),
	...APPLICANTS
];

/** Agency bars the Outcomes view shows: the ones that handled the most requests. */
export const OUTCOME_AGENCY_BARS = 30;

/**
 * The Outcomes view's numbers: its sums per bar, how many bars have any
 * outcome (`bars`: by agency only the OUTCOME_AGENCY_BARS largest are
 * summed), and per year where templates change.
 */
export async function outcomes(db: Runner, f: Filters, by: 'year' | 'agency'): Promise<{ sums: BarSum[]; bars: number; templates: ScopeTemplates[] }> {
	const top = by === 'agency' ? { size: OUTCOME_METRICS, limit: OUTCOME_AGENCY_BARS } : undefined;
	const [{ sums, bars }, templates] = await Promise.all([
		barSumsOf(db, f, by, OUTCOMES_WANTED, top),
		by === 'year' ? scopeTemplates(db, f) : Promise.resolve([])
	]);
	return { sums, bars, templates };
}

// ------------------------------------------------------------------ peers

/** Fewer bodies than this and percentiles mean nothing: no band. */
export const MIN_PEERS = 5;

export interface PeerGroup {
	/** 'category_level': same category and level; 'level': same level (the category group was too small); 'none': too small either way. */
	basis: 'category_level' | 'level' | 'none';
	level: string;
	category: string;
	/** Bodies in the category-and-level group, and in the level group. */
	categoryLevelSize: number;
	levelSize: number;
	/** Bodies in the group used (0 for 'none'). */
	size: number;
}

export interface PeerYear {
	year: number;
	/** Peers with a value that year. */
	n: number;
	p25: number | null;
	p50: number | null;
	p75: number | null;
}

export interface PeerBandData {
	group: PeerGroup;
	/** The scope of the reports compared (the overview's 合计口径): the peers' own reports, or their aggregate ones, never both. */
	scope: SumScope;
	years: PeerYear[];
}

/**
 * The peer group of an agency: bodies of the same category and level when
 * there are at least MIN_PEERS of them, else bodies of the same level, else
 * none. The agency itself is one of its peers.
 */
export async function peerGroup(db: Runner, agencyId: string): Promise<PeerGroup | null> {
	const [a] = await db.query<{ level: string; category: string }>(sql`SELECT level, category FROM agencies WHERE id = ${agencyId}`);
	if (!a) return null;
	const [c] = await db.query<{ cl: number; l: number }>(sql`
		SELECT CAST(COUNT(*) FILTER (WHERE category = ${a.category}) AS DOUBLE) AS cl, CAST(COUNT(*) AS DOUBLE) AS l
		FROM agencies WHERE level = ${a.level}`);
	const basis = c.cl >= MIN_PEERS ? 'category_level' : c.l >= MIN_PEERS ? 'level' : 'none';
	return {
		basis,
		level: a.level,
		category: a.category,
		categoryLevelSize: c.cl,
		levelSize: c.l,
		size: basis === 'category_level' ? c.cl : basis === 'level' ? c.l : 0
	};
}

/**
 * P25 / median / P75 of the group's values of one metric, per year; null
 * where fewer than MIN_PEERS have a value. Only reports of one scope count
 * (`sum`, the overview's 合计口径), as in the benchmark: a government's 汇总
 * figures would otherwise stretch a band of departments' own ones. The
 * researchers' filters leave reports out of the band as they do everywhere.
 */
export async function peerBand(
	db: Runner,
	agencyId: string,
	metricId: string,
	years: { from: number | null; to: number | null },
	f: ReportFilters = NO_REPORT_FILTERS,
	sum: SumScope = NO_FILTERS.sum
): Promise<PeerBandData | null> {
	const metric = METRIC_BY_ID.get(metricId);
	const group = await peerGroup(db, agencyId);
	if (!metric || !group) return null;
	if (group.basis === 'none') return { group, scope: sum, years: [] };
	const range = reportRange(years, f);
	const v = metricValue(metric.id, 'r', f.minN);
	const rows = await db.query<PeerYear>(sql`
		SELECT r.year, CAST(COUNT(*) AS DOUBLE) AS n,
			CAST(quantile_cont(${v}, 0.25) AS DOUBLE) AS p25,
			CAST(quantile_cont(${v}, 0.5) AS DOUBLE) AS p50,
			CAST(quantile_cont(${v}, 0.75) AS DOUBLE) AS p75
		FROM report_metrics r JOIN agencies a ON a.id = r.agency_id
		WHERE ${v} IS NOT NULL AND ${peerReports(group, sql`${sum}`)}${range}
		GROUP BY 1 ORDER BY 1`);
	return { group, scope: sum, years: rows.map((r) => (r.n >= MIN_PEERS ? r : { ...r, p25: null, p50: null, p75: null })) };
}

/**
 * The peers' reports the band and the benchmark compare: report_metrics `r`
 * of a body of the group (agencies `a`; peerGroup's basis, never called for
 * 'none') whose scope is `scope` (a value or a column), so own reports are
 * only ever compared with own ones and aggregate with aggregate.
 */
function peerReports(group: PeerGroup, scope: Sql): Sql {
	const level = sql`a.level = ${group.level} AND r.scope = ${scope}`;
	return group.basis === 'category_level' ? sql`${level} AND a.category = ${group.category}` : level;
}

// ------------------------------------------------------------------ benchmark

/** One metric of one of the agency's reports beside the same metric of its peers' reports that year. */
export interface BenchmarkRow {
	year: number;
	metric: string;
	/** The scope of the agency's report that year: only peers' reports of the same scope are compared (own with own, aggregate with aggregate). */
	scope: string;
	/** The agency's value (null: its report lacks it). */
	value: number | null;
	/** Reports of that scope and year in the group with a value, the agency's included. */
	n: number;
	/** null where n < MIN_PEERS (as the peer band). */
	p25: number | null;
	p50: number | null;
	p75: number | null;
	/** Competition rank among them, highest value first; null without a value or where n < MIN_PEERS. */
	rank: number | null;
}

export interface BenchmarkData {
	group: PeerGroup;
	/** One row per metric and year the agency has a report (none when the group is 'none'). */
	rows: BenchmarkRow[];
}

/**
 * The agency against its peers (peerGroup, the peer band's definition) on each
 * metric, for every year it reported: the peers' P25 / median / P75 and its
 * rank. Like is compared with like: a year's own report against the peers'
 * own reports of that year, an aggregate report against aggregate ones, so a
 * government's 汇总 figures never rank against a department's.
 */
export async function benchmark(db: Runner, agencyId: string, metricIds: readonly string[]): Promise<BenchmarkData | null> {
	const ids = known(metricIds);
	const group = await peerGroup(db, agencyId);
	if (!group) return null;
	if (group.basis === 'none' || !ids.length) return { group, rows: [] };
	const rows = await db.query<BenchmarkRow>(sql`
		WITH me AS (SELECT year, scope FROM report_metrics WHERE agency_id = ${agencyId}),
		p AS (
			SELECT r.agency_id, r.year, unnest([${list(ids)}]) AS metric, unnest([${join(
				ids.map((id) => sql`CAST(${metricValue(id, 'r')} AS DOUBLE)`),
				', '
			)}]) AS value
			FROM report_metrics r JOIN agencies a ON a.id = r.agency_id JOIN me ON me.year = r.year
			WHERE ${peerReports(group, sql`me.scope`)}
		),
		v AS (SELECT *, rank() OVER (PARTITION BY year, metric ORDER BY value DESC) AS rk FROM p WHERE value IS NOT NULL),
		m AS (SELECT unnest([${list(ids)}]) AS metric)
		SELECT me.year, me.scope, m.metric, CAST(COUNT(v.value) AS DOUBLE) AS n,
			CAST(quantile_cont(v.value, 0.25) AS DOUBLE) AS p25,
			CAST(quantile_cont(v.value, 0.5) AS DOUBLE) AS p50,
			CAST(quantile_cont(v.value, 0.75) AS DOUBLE) AS p75,
			CAST(max(v.value) FILTER (WHERE v.agency_id = ${agencyId}) AS DOUBLE) AS value,
			CAST(max(v.rk) FILTER (WHERE v.agency_id = ${agencyId}) AS DOUBLE) AS rank
		FROM me CROSS JOIN m LEFT JOIN v ON v.year = me.year AND v.metric = m.metric
		GROUP BY ALL ORDER BY me.year, m.metric`);
	return {
		group,
		rows: rows.map((r) => (r.n >= MIN_PEERS ? r : { ...r, p25: null, p50: null, p75: null, rank: null }))
	};
}

/** How a rank moved since the year before: up (a smaller number) by `by` places, down, the same, or not comparable and why. */
export type RankMove =
	| { kind: 'up' | 'down' | 'same'; by: number; previous: number }
	| { kind: 'none'; why: 'no_previous_report' | 'no_previous_rank' | 'scope_changed' | 'no_rank' };

export function rankMove(rows: readonly BenchmarkRow[], metric: string, year: number): RankMove {
	const now = rows.find((r) => r.metric === metric && r.year === year);
	const before = rows.find((r) => r.metric === metric && r.year === year - 1);
	if (!now || now.rank === null) return { kind: 'none', why: 'no_rank' };
	if (!before) return { kind: 'none', why: 'no_previous_report' };
	if (before.scope !== now.scope) return { kind: 'none', why: 'scope_changed' };
	if (before.rank === null) return { kind: 'none', why: 'no_previous_rank' };
	const d = before.rank - now.rank;
	return { kind: d > 0 ? 'up' : d < 0 ? 'down' : 'same', by: Math.abs(d), previous: before.rank };
}

// ------------------------------------------------------------------ ranks

/** Competition ranks ("1, 1, 3"), highest value first; null values get no rank. */
export function ranksOf<K>(values: readonly { key: K; value: number | null }[]): Map<K, number> {
	const present = values.filter((v): v is { key: K; value: number } => v.value !== null).sort((a, b) => b.value - a.value);
	const out = new Map<K, number>();
	present.forEach((v, i) => out.set(v.key, i > 0 && present[i - 1].value === v.value ? (out.get(present[i - 1].key) as number) : i + 1));
	return out;
}
