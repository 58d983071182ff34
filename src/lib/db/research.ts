import { METRIC_BY_ID, OUTCOME_METRICS, partsOf, rootOf, type Metric } from '$lib/catalog/metrics';
import type { Scope, SumScope } from '$lib/agencies/scope';
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
import { GROUP_KEY_PREFIX, ask, type PerAgency } from './answers';
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

/** A body's peer group as SQL gives it (peerGroupQuery). */
export interface PeerGroupRow {
	agency_id: string;
	basis: PeerGroup['basis'];
	level: string;
	category: string;
	cl: number;
	l: number;
}

/**
 * The peer group of each of the agencies `ids` (one definition, in SQL: the
 * benchmark reads it as a table): bodies of the same category and level when
 * there are at least MIN_PEERS of them, else bodies of the same level, else
 * none. An agency is one of its own peers. Columns: agency_id, basis, level,
 * category, cl and l (the two groups' sizes).
 */
function peerGroupsSql(ids: readonly string[]): Sql {
	return sql`
		WITH cl AS (SELECT level, category, COUNT(*) AS n FROM agencies GROUP BY ALL),
		l AS (SELECT level, COUNT(*) AS n FROM agencies GROUP BY ALL),
		g AS (
			SELECT a.id AS agency_id, a.level, a.category, CAST(coalesce(cl.n, 0) AS DOUBLE) AS cl, CAST(coalesce(l.n, 0) AS DOUBLE) AS l
			FROM agencies a LEFT JOIN cl ON cl.level = a.level AND cl.category = a.category LEFT JOIN l ON l.level = a.level
			WHERE a.id IN (${list(ids)})
		)
		SELECT agency_id, CASE WHEN cl >= ${MIN_PEERS} THEN 'category_level' WHEN l >= ${MIN_PEERS} THEN 'level' ELSE 'none' END AS basis, level, category, cl, l
		FROM g`;
}

/** The peer groups of agencies (PerAgency; it counts every agency, so its answer is kept with the agency's: scopeFor). */
export const peerGroupQuery: PerAgency<PeerGroupRow> = {
	sql: (ids) => sql`SELECT * FROM (${peerGroupsSql(ids)}) ORDER BY agency_id`,
	agencyOf: (r) => r.agency_id,
	peers: true
};

/** A peer group from its row of peerGroupQuery. */
export function peerGroupOf(r: PeerGroupRow): PeerGroup {
	return {
		basis: r.basis,
		level: r.level,
		category: r.category,
		categoryLevelSize: r.cl,
		levelSize: r.l,
		size: r.basis === 'category_level' ? r.cl : r.basis === 'level' ? r.l : 0
	};
}

/** The peer group of an agency (peerGroupsSql), or null for an unknown one. */
export async function peerGroup(db: Runner, agencyId: string): Promise<PeerGroup | null> {
	const [r] = await ask(db, peerGroupQuery, agencyId);
	return r ? peerGroupOf(r) : null;
}

/** Which bodies a peer band is over: a level, or a category and level (a group's basis, never 'none'). */
export interface BandGroup {
	basis: 'category_level' | 'level';
	level: string;
	/** '' for a level's band. */
	category: string;
}

export function bandGroupOf(g: PeerGroup): BandGroup | null {
	return g.basis === 'none' ? null : { basis: g.basis, level: g.level, category: g.basis === 'level' ? '' : g.category };
}

/** Where a group's stored bands are kept (db/answers.ts: storedWith). */
export function bandKey(g: BandGroup): string {
	return `${GROUP_KEY_PREFIX}${JSON.stringify([g.basis, g.level, g.category])}`;
}

/** A peer band's year, with the group and metric it is of (peerBandSql). */
export interface BandRow extends PeerYear {
	basis: BandGroup['basis'];
	level: string;
	category: string;
	metric: string;
}

/**
 * P25 / median / P75 of each group's values of each metric per year (all
 * `groups` × all `metrics`; a view asks one of each, the build all at once):
 * reports of the scope `sum` only, and what the researchers' filters keep.
 */
export function peerBandSql(
	groups: readonly BandGroup[],
	metrics: readonly Metric[],
	years: { from: number | null; to: number | null },
	f: ReportFilters,
	sum: Scope
): Sql {
	return sql`
		WITH g AS (SELECT unnest([${list(groups.map((x) => x.basis))}]) AS basis, unnest([${list(groups.map((x) => x.level))}]) AS level,
			unnest([${list(groups.map((x) => x.category))}]) AS category),
		p AS (
			SELECT g.basis, g.level, g.category, r.year, unnest([${list(metrics.map((m) => m.id))}]) AS metric,
				unnest([${join(
					metrics.map((m) => sql`CAST(${metricValue(m.id, 'r', f.minN)} AS DOUBLE)`),
					', '
				)}]) AS value
			FROM g JOIN agencies a ON a.level = g.level AND (g.basis = 'level' OR a.category = g.category)
			JOIN report_metrics r ON r.agency_id = a.id
			WHERE r.scope = ${sum}${reportRange(years, f)}
		)
		SELECT basis, level, category, metric, year, CAST(COUNT(*) AS DOUBLE) AS n,
			CAST(quantile_cont(value, 0.25) AS DOUBLE) AS p25,
			CAST(quantile_cont(value, 0.5) AS DOUBLE) AS p50,
			CAST(quantile_cont(value, 0.75) AS DOUBLE) AS p75
		FROM p WHERE value IS NOT NULL GROUP BY ALL ORDER BY basis, level, category, metric, year`;
}

/** A band's years as the views show them: no quantiles where fewer than MIN_PEERS reports have a value. */
export function bandYears(rows: readonly BandRow[]): PeerYear[] {
	return rows.map(({ year, n, p25, p50, p75 }) => (n >= MIN_PEERS ? { year, n, p25, p50, p75 } : { year, n, p25: null, p50: null, p75: null }));
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
	const band = bandGroupOf(group);
	if (!band) return { group, scope: sum, years: [] };
	const rows = await db.query<BandRow>(peerBandSql([band], [metric], years, f, sum), { storedWith: bandKey(band) });
	return { group, scope: sum, years: bandYears(rows) };
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

/** An agency's report and its own value and rank on each metric among its peers' reports (v__<metric>, r__<metric>). */
export type BenchmarkRankRow = { agency_id: string; year: number; scope: Scope } & Record<string, number | string | null>;

/**
 * Each of the agencies `ids`, for every year it reported, with its value and
 * its competition rank (highest first, ties share a place) on each metric
 * among its peers' reports (peerGroupsSql) of that year and scope, as
 * columns v__<metric> and r__<metric> (PerAgency: a view asks one agency,
 * the build many at once, each group's peers read once). Like is compared
 * with like: a year's own report against the peers' own reports, an
 * aggregate report against aggregate ones, so a government's 汇总 figures
 * never rank against a department's.
 */
export function benchmarkRanksQuery(metricIds: readonly string[]): PerAgency<BenchmarkRankRow> {
	const ids = known(metricIds);
	const columns = join(
		ids.map(
			(id) =>
				sql`CAST(max(v.value) FILTER (WHERE v.metric = ${id}) AS DOUBLE) AS ${ident(`v__${id}`)}, CAST(max(v.rk) FILTER (WHERE v.metric = ${id}) AS DOUBLE) AS ${ident(`r__${id}`)}`
		),
		',\n'
	);
	return {
		sql: (agencies) => sql`
		WITH g AS (${peerGroupsSql(agencies)}),
		me AS (
			SELECT r.agency_id, r.year, r.scope, g.basis, g.level, CASE WHEN g.basis = 'level' THEN '' ELSE g.category END AS category
			FROM report_metrics r JOIN g ON g.agency_id = r.agency_id WHERE g.basis <> 'none'
		),
		k AS (SELECT DISTINCT basis, level, category, year, scope FROM me),
		p AS (
			SELECT k.basis, k.level, k.category, k.year, k.scope, r.agency_id, unnest([${list(ids)}]) AS metric, unnest([${join(
				ids.map((id) => sql`CAST(${metricValue(id, 'r')} AS DOUBLE)`),
				', '
			)}]) AS value
			FROM k JOIN agencies a ON a.level = k.level AND (k.basis = 'level' OR a.category = k.category)
			JOIN report_metrics r ON r.agency_id = a.id AND r.year = k.year AND r.scope = k.scope
		),
		v AS (SELECT *, rank() OVER (PARTITION BY basis, level, category, year, scope, metric ORDER BY value DESC) AS rk FROM p WHERE value IS NOT NULL)
		SELECT me.agency_id, me.year, me.scope, ${columns}
		FROM me LEFT JOIN v ON v.agency_id = me.agency_id AND v.basis = me.basis AND v.level = me.level AND v.category = me.category
			AND v.year = me.year AND v.scope = me.scope
		GROUP BY ALL ORDER BY me.agency_id, me.year`,
		agencyOf: (r) => r.agency_id,
		peers: true
	};
}

/** Every year: the band the benchmark sets a report beside. */
const ALL_YEARS = { from: null, to: null };

/** The peers' quantiles of the benchmark's metrics over a group's reports of one scope, every year (peerBandSql; stored per group). */
export function benchmarkBandSql(groups: readonly BandGroup[], metricIds: readonly string[], scope: Scope): Sql {
	return peerBandSql(
		groups,
		known(metricIds).map((id) => METRIC_BY_ID.get(id)!),
		ALL_YEARS,
		NO_REPORT_FILTERS,
		scope
	);
}

/**
 * The agency against its peers (peerGroup, the peer band's definition) on
 * each metric, for every year it reported: its value and rank
 * (benchmarkRanksQuery) beside the peer band of that year and scope
 * (peerBandSql: P25 / median / P75 and n).
 */
export async function benchmark(db: Runner, agencyId: string, metricIds: readonly string[]): Promise<BenchmarkData | null> {
	const ids = known(metricIds);
	const group = await peerGroup(db, agencyId);
	if (!group) return null;
	const band = bandGroupOf(group);
	if (!band || !ids.length) return { group, rows: [] };
	const mine = await ask(db, benchmarkRanksQuery(ids), agencyId);
	const scopes = [...new Set(mine.map((r) => r.scope))].sort();
	const bands = new Map(
		await Promise.all(scopes.map(async (s) => [s, await db.query<BandRow>(benchmarkBandSql([band], ids, s), { storedWith: bandKey(band) })] as const))
	);
	const byMetric = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const rows = mine.flatMap((r) =>
		byMetric.map((metric): BenchmarkRow => {
			const b = bands.get(r.scope)?.find((x) => x.metric === metric && x.year === r.year);
			const n = b?.n ?? 0;
			const enough = n >= MIN_PEERS;
			const value = r[`v__${metric}`] as number | null;
			const rank = r[`r__${metric}`] as number | null;
			return {
				year: r.year,
				metric,
				scope: r.scope,
				value,
				n,
				p25: enough ? (b?.p25 ?? null) : null,
				p50: enough ? (b?.p50 ?? null) : null,
				p75: enough ? (b?.p75 ?? null) : null,
				rank: enough ? rank : null
			};
		})
	);
	return { group, rows };
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
