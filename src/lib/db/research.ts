import { METRIC_BY_ID, rootOf } from '$lib/catalog/metrics';
import { isFlagged, metricValue, partsAddUp, scope, type Filters, type Runner } from './queries';
import { ident, join, sql, type Sql } from './sql';

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

export interface ScopeReport {
	agency_id: string;
	year: number;
	template: string;
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
 * (catalog rootOf) add up to it (PARTS_RULE), as the overview's rates do.
 */
export async function barSums(db: Runner, f: Filters, by: 'year' | 'agency', metrics: readonly string[]): Promise<BarSum[]> {
	const ids = known(metrics).filter((id) => METRIC_BY_ID.get(id)!.unit !== 'rate');
	if (!ids.length) return [];
	const bar: Sql = by === 'year' ? { text: 'CAST(s.year AS VARCHAR)', params: [] } : { text: 's.agency_id', params: [] };
	const name: Sql = by === 'year' ? { text: 'CAST(s.year AS VARCHAR)', params: [] } : { text: 'min(s.name)', params: [] };
	const flagged = isFlagged('s');
	const columns = join(
		ids.map((id) => {
			const v = metricValue(id, 's');
			const ok = partsAddUp(rootOf(id), 's');
			return sql`CAST(SUM(${v}) FILTER (WHERE ${ok}) AS DOUBLE) AS ${ident(`${id}__sum`)}, CAST(COUNT(${v}) FILTER (WHERE ${ok}) AS DOUBLE) AS ${ident(`${id}__n`)},
				CAST(COUNT(${v}) FILTER (WHERE ${ok} AND ${flagged}) AS DOUBLE) AS ${ident(`${id}__flagged`)},
				CAST(COUNT(${v}) FILTER (WHERE NOT ${ok}) AS DOUBLE) AS ${ident(`${id}__left`)}`;
		}),
		',\n'
	);
	const rows = await db.query<Record<string, string | number | null>>(sql`${scope(f, undefined, by === 'year')}
		SELECT ${bar} AS bar, ${name} AS name, ${columns}
		FROM s GROUP BY 1 ORDER BY 1`);
	return rows.flatMap((r) =>
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
}

/** Agency, year and template of every report in scope: where the template changes. */
export async function scopeTemplates(db: Runner, f: Filters): Promise<ScopeReport[]> {
	return db.query<ScopeReport>(sql`${scope(f, undefined, true)} SELECT agency_id, year, template FROM s ORDER BY agency_id, year`);
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

/** P25 / median / P75 of the group's values of one metric, per year; null where fewer than MIN_PEERS have a value. */
export async function peerBand(
	db: Runner,
	agencyId: string,
	metricId: string,
	years: { from: number | null; to: number | null }
): Promise<PeerBandData | null> {
	const metric = METRIC_BY_ID.get(metricId);
	const group = await peerGroup(db, agencyId);
	if (!metric || !group) return null;
	if (group.basis === 'none') return { group, years: [] };
	const range: Sql[] = [];
	if (years.from !== null) range.push(sql` AND r.year >= ${years.from}`);
	if (years.to !== null) range.push(sql` AND r.year <= ${years.to}`);
	const category = group.basis === 'category_level' ? sql` AND a.category = ${group.category}` : { text: '', params: [] };
	const v = metricValue(metric.id, 'r');
	const rows = await db.query<PeerYear>(sql`
		SELECT r.year, CAST(COUNT(*) AS DOUBLE) AS n,
			CAST(quantile_cont(${v}, 0.25) AS DOUBLE) AS p25,
			CAST(quantile_cont(${v}, 0.5) AS DOUBLE) AS p50,
			CAST(quantile_cont(${v}, 0.75) AS DOUBLE) AS p75
		FROM report_metrics r JOIN agencies a ON a.id = r.agency_id
		WHERE ${v} IS NOT NULL AND a.level = ${group.level}${category}${join(range, '')}
		GROUP BY 1 ORDER BY 1`);
	return { group, years: rows.map((r) => (r.n >= MIN_PEERS ? r : { ...r, p25: null, p50: null, p75: null })) };
}

// ------------------------------------------------------------------ ranks

/** Competition ranks ("1, 1, 3"), highest value first; null values get no rank. */
export function ranksOf<K>(values: readonly { key: K; value: number | null }[]): Map<K, number> {
	const present = values.filter((v): v is { key: K; value: number } => v.value !== null).sort((a, b) => b.value - a.value);
	const out = new Map<K, number>();
	present.forEach((v, i) => out.set(v.key, i > 0 && present[i - 1].value === v.value ? (out.get(present[i - 1].key) as number) : i + 1));
	return out;
}
