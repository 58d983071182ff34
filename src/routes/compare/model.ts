import type { Metric } from '$lib/catalog/metrics';
import { isFlaggedStatus } from '$lib/ui/display';
import type { SeriesRow } from '$lib/db/queries';
import { ranksOf, type PeerBandData, type PeerYear } from '$lib/db/research';
import { sortYear } from '$lib/state/url';

/**
 * The comparison's numbers as the chart and the table read them: one metric
 * of the chosen agencies' reports, per agency and year. Plain functions over
 * the query's rows; the page derives one Series and hands it down.
 */
export interface Series {
	metric: Metric;
	/** The chosen agencies, in the order they were added. */
	ids: readonly string[];
	years: readonly number[];
	rows: readonly SeriesRow[];
	report(id: string, year: number): SeriesRow | undefined;
	/** The value where the report's template has the metric, else null. */
	value(id: string, year: number): number | null;
	/** Whether the agency has a report that year whose template carries the metric. */
	applicable(id: string, year: number): boolean;
	/** Competition ranks of the agencies in one year (highest first). */
	ranks(year: number): Map<string, number>;
}

export function seriesOf(metric: Metric, ids: readonly string[], years: readonly number[], rows: readonly SeriesRow[]): Series {
	const at = new Map(rows.map((r) => [`${r.agency_id}|${r.year}`, r]));
	const report = (id: string, year: number) => at.get(`${id}|${year}`);
	const applicable = (id: string, year: number) => {
		const r = report(id, year);
		return !!r && (metric.templates as readonly string[]).includes(r.template);
	};
	const value = (id: string, year: number) => (applicable(id, year) ? (report(id, year)!.value ?? null) : null);
	return { metric, ids, years, rows, report, value, applicable, ranks: (year) => ranksOf(ids.map((id) => ({ key: id, value: value(id, year) }))) };
}

/** Whether a report is drawn with the flag mark: it breaks a rule or was not fully read. */
export function isFlagged(r: SeriesRow | undefined): boolean {
	return r !== undefined && isFlaggedStatus(r.status);
}

/** Table order: by name, or by a year's values with missing ones last whichever the direction. */
export function orderOf(s: Series, sortKey: string, desc: boolean, nameOf: (id: string) => string): string[] {
	const list = [...s.ids];
	const y = sortYear(sortKey);
	if (y === null) return list.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0) * (desc ? -1 : 1));
	return list.sort((a, b) => {
		const va = s.value(a, y);
		const vb = s.value(b, y);
		if (va === null && vb === null) return 0;
		if (va === null) return 1;
		if (vb === null) return -1;
		return desc ? vb - va : va - vb;
	});
}

/** The peer band over the shown years, a year without peers as an empty one. */
export function bandYearsOf(band: PeerBandData | null, years: readonly number[]): PeerYear[] {
	if (!band || band.group.basis === 'none') return [];
	return years.map((y) => band.years.find((b) => b.year === y) ?? { year: y, n: 0, p25: null, p50: null, p75: null });
}
