import type { ShareRow } from '$lib/charts/plots';
import type { BarSum } from '$lib/db/research';
import type { OutcomeAxis } from '$lib/state/url';

/**
 * The outcomes view's numbers: sums of count metrics per bar (a year, or an
 * agency), and the share of each part of a whole in each bar.
 */

export interface Bar {
	id: string;
	label: string;
}

/** One part of a whole (an outcome group, a reason, an applicant type). */
export interface Part {
	key: string;
	label: string;
	color: string;
	/** The part's sum in one bar. */
	value: (bar: string) => number;
}

/** A metric's sum in one bar; 0 where no report in it has the metric. */
export function sumsOf(sums: readonly BarSum[]): (bar: string, metric: string) => number {
	const at = new Map(sums.map((s) => [`${s.bar}|${s.metric}`, s.value]));
	return (bar, metric) => at.get(`${bar}|${metric}`) ?? 0;
}

/** The bars with anything in `size`: years in order, or the `limit` agencies largest by it (then by name). */
export function barsOf(sums: readonly BarSum[], by: OutcomeAxis, size: (bar: string) => number, limit: number): Bar[] {
	const ids = [...new Set(sums.map((s) => s.bar))].filter((b) => size(b) > 0);
	if (by === 'year') return ids.sort().map((id) => ({ id, label: id }));
	const named = ids.map((id) => ({ id, label: sums.find((s) => s.bar === id)?.name ?? id }));
	return named.sort((a, b) => size(b.id) - size(a.id) || (a.label < b.label ? -1 : 1)).slice(0, limit);
}

export function totalOf(parts: readonly Part[], bar: string): number {
	return parts.reduce((a, p) => a + p.value(bar), 0);
}

/** The bars where the parts add up to more than nothing (a share needs a total). */
export function barsWith(bars: readonly Bar[], parts: readonly Part[]): Bar[] {
	return bars.filter((b) => totalOf(parts, b.id) > 0);
}

/** Each part's share of its bar's total, for the stacked 100 % bars; zero parts left out. */
export function shareRowsOf(bars: readonly Bar[], parts: readonly Part[], tip: (bar: Bar, part: Part, value: number, total: number) => string): ShareRow[] {
	const out: ShareRow[] = [];
	for (const b of barsWith(bars, parts)) {
		const total = totalOf(parts, b.id);
		for (const p of parts) {
			const x = p.value(b.id);
			if (x > 0) out.push({ key: p.key, bar: b.id, share: x / total, color: p.color, tip: tip(b, p, x, total) });
		}
	}
	return out;
}
