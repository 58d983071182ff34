import * as Plot from '@observablehq/plot';
import type { MetricUnit } from '$lib/catalog/metrics';
import { axisFormat, formatValue, unitLabel } from '$lib/state/format';
import type { Lang } from '$lib/state/url';
import { FLAG_STROKE, FLAG_SYMBOL, type SeriesStyle } from './palette';

/**
 * Chart builders: plain data in, an SVG (or figure) out. Each is one Plot
 * specification; the Svelte side only places the node and offers a table.
 * Colours are literal (see palette.ts), so legends can be drawn in HTML.
 */

export interface SeriesDef {
	key: string;
	label: string;
	style: SeriesStyle;
}

export interface LinePoint {
	key: string;
	year: number;
	value: number | null;
	flagged: boolean;
	/** Tooltip text. */
	tip: string;
}

export interface StackRow {
	key: string;
	year: number;
	value: number;
	color: string;
	tip: string;
}

export interface BarRow {
	key: string;
	label: string;
	value: number;
	color: string;
	flagged: boolean;
	tip: string;
}

interface Common {
	width: number;
	lang: Lang;
	unit: MetricUnit;
	ariaLabel: string;
}

const FONT = { fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' } as const;

function heightFor(width: number): number {
	return Math.round(Math.max(200, Math.min(300, width * 0.55)));
}

/** `max` is the data's largest value; `fixed` keeps the domain at [0, max] (several charts on one scale). */
function yAxis(unit: MetricUnit, lang: Lang, max: number, fixed = false) {
	const common = { grid: true, label: unitLabel(unit, lang), tickFormat: axisFormat(unit, lang) };
	if (unit === 'rate') return { ...common, domain: [0, Math.max(max, 0.1)], nice: true };
	// Small counts: whole-number ticks only, and a visible axis when everything is 0.
	if (max < 10) {
		const step = max > 5 ? 2 : 1;
		const top = Math.max(1, Math.ceil(max / step) * step);
		return { ...common, domain: [0, top], ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
	}
	return fixed ? { ...common, domain: [0, max], nice: true } : { ...common, nice: true, zero: true };
}

/** Year ticks that fit the width: every year, or every second or third one. */
function yearTicks(years: number[], width: number): number[] {
	const step = Math.max(1, Math.ceil((years.length * 36) / Math.max(1, width - 70)));
	return years.filter((_, i) => i % step === 0 || i === years.length - 1);
}

const yearTick = (d: number) => String(d);

/** Lines over years, one per series; gaps where a year has no value; ▲ for flagged reports. */
export function lineChart(o: Common & { series: SeriesDef[]; points: LinePoint[]; years: number[]; height?: number; yMax?: number }): SVGSVGElement | HTMLElement {
	const style = new Map(o.series.map((s) => [s.key, s.style]));
	const color = (d: LinePoint) => style.get(d.key)?.color ?? '#000';
	const byDash = new Map<string, LinePoint[]>();
	for (const p of o.points) {
		const dash = style.get(p.key)?.dash ?? 'none';
		byDash.set(dash, [...(byDash.get(dash) ?? []), p]);
	}
	const present = o.points.filter((p) => p.value !== null);
	const max = o.yMax ?? Math.max(0, ...present.map((p) => p.value as number));
	const years = o.years.length ? o.years : [...new Set(o.points.map((p) => p.year))];
	return Plot.plot({
		width: o.width,
		height: o.height ?? heightFor(o.width),
		marginLeft: 48,
		marginRight: 16,
		style: FONT,
		ariaLabel: o.ariaLabel,
		x: { type: 'point', domain: years, ticks: yearTicks(years, o.width), tickFormat: yearTick, label: null, padding: 0.3 },
		y: yAxis(o.unit, o.lang, max, o.yMax !== undefined),
		marks: [
			Plot.ruleY([0]),
			...[...byDash].map(([dash, pts]) =>
				Plot.line(pts, { x: 'year', y: 'value', z: 'key', stroke: color, strokeWidth: 2, strokeDasharray: dash === 'none' ? undefined : dash })
			),
			Plot.dot(present.filter((p) => !p.flagged), { x: 'year', y: 'value', fill: color, r: 3.5, symbol: (d: LinePoint) => style.get(d.key)?.symbol ?? 'circle' }),
			Plot.dot(present.filter((p) => p.flagged), { x: 'year', y: 'value', fill: color, stroke: FLAG_STROKE, strokeWidth: 1.5, r: 6, symbol: FLAG_SYMBOL }),
			Plot.tip(present, Plot.pointer({ x: 'year', y: 'value', title: 'tip', fontSize: 12 }))
		]
	});
}

/** Stacked bars per year; `keys` fixes the stacking order (bottom first). */
export function stackedBars(o: Common & { rows: StackRow[]; keys: string[]; years: number[]; flags?: { year: number; tip: string }[] }): SVGSVGElement | HTMLElement {
	const order = new Map(o.keys.map((k, i) => [k, i]));
	const rows = [...o.rows].sort((a, b) => a.year - b.year || (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
	const totals = new Map<number, number>();
	for (const r of rows) totals.set(r.year, (totals.get(r.year) ?? 0) + Math.max(0, r.value));
	const flags = (o.flags ?? []).map((f) => ({ ...f, top: totals.get(f.year) ?? 0 }));
	const max = Math.max(0, ...totals.values());
	return Plot.plot({
		width: o.width,
		height: heightFor(o.width),
		marginLeft: 48,
		style: FONT,
		ariaLabel: o.ariaLabel,
		x: { type: 'band', domain: o.years, ticks: yearTicks(o.years, o.width), tickFormat: yearTick, label: null, padding: 0.25 },
		y: yAxis(o.unit, o.lang, max),
		marks: [
			Plot.barY(rows, Plot.stackY({ x: 'year', y: 'value', fill: 'color', order: (d: StackRow) => order.get(d.key) ?? 0, title: 'tip', tip: true })),
			Plot.ruleY([0]),
			// ▲ above the bar of a report that breaks a consistency rule
			Plot.dot(flags, { x: 'year', y: 'top', dy: -9, symbol: FLAG_SYMBOL, r: 5, fill: '#fff', stroke: FLAG_STROKE, strokeWidth: 1.5, title: 'tip' })
		]
	});
}

/** Horizontal bars, largest first, values written at the bar ends; ⚠ after flagged ones. */
export function rankedBars(o: Common & { rows: BarRow[] }): SVGSVGElement | HTMLElement {
	const rows = [...o.rows].sort((a, b) => b.value - a.value);
	const fmt = axisFormat(o.unit, o.lang);
	const labelWidth = Math.min(180, Math.max(90, o.width * 0.38));
	const maxChars = Math.floor(labelWidth / 12.5);
	const short = (s: string) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);
	const max = Math.max(0, ...rows.map((r) => r.value));
	return Plot.plot({
		width: o.width,
		height: 36 + rows.length * 26,
		marginLeft: labelWidth,
		marginRight: 64,
		style: FONT,
		ariaLabel: o.ariaLabel,
		y: { domain: rows.map((r) => r.key), tickFormat: (k: string) => short(rows.find((r) => r.key === k)?.label ?? k), label: null },
		x: { grid: true, label: unitLabel(o.unit, o.lang), tickFormat: fmt, domain: o.unit === 'rate' ? [0, Math.max(max, 0.1)] : undefined, nice: true, ticks: Math.max(2, Math.floor(o.width / 110)) },
		marks: [
			Plot.barX(rows, { y: 'key', x: 'value', fill: 'color', title: 'tip', tip: true }),
			Plot.text(rows, { y: 'key', x: 'value', text: (d: BarRow) => `${formatValue(d.value, o.unit, o.lang)}${d.flagged ? ' ⚠' : ''}`, textAnchor: 'start', dx: 4 }),
			Plot.ruleX([0])
		]
	});
}
