import * as Plot from '@observablehq/plot';
import type { MetricUnit } from '$lib/catalog/metrics';
import { axisFormat, formatNumber, formatValue, unitLabel } from '$lib/ui/format';
import type { Lang } from '$lib/state/url';
import { shortLabels, textWidth } from './labels';
import { FLAG_STROKE, FLAG_SYMBOL, type SeriesStyle } from './palette';

/**
 * Chart builders: plain data in, an SVG (or figure) out. Each is one Plot
 * specification; the Svelte side only places the node and offers a table.
 * Colours are literal (see palette.ts), so legends can be drawn in HTML.
 * One module of small builders sharing axes, formats and flag marks (past 400 lines).
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
	/** For a rate: the requests (or cases) it divides by, written beside the bar. */
	n?: number | null;
}

/**
 * A rate or share resting on fewer requests than this is drawn pale and its
 * n written beside it: one request makes a 100% bar that means little.
 */
export const SMALL_N = 10;
/** Fill opacity of a bar whose n is below SMALL_N. */
const SMALL_N_OPACITY = 0.35;
/** Class of the marks drawn pale for small n, and of the flag and template marks: the export's legend looks for them. */
export const MARK_CLASS = { smallN: 'small-n', flag: 'flag-mark' } as const;

const isSmall = (n: number | null | undefined) => n !== null && n !== undefined && n < SMALL_N;

interface Common {
	width: number;
	lang: Lang;
	unit: MetricUnit;
	ariaLabel: string;
	/** Where reports switch table templates: a dashed rule between the two years (templates.ts). */
	breaks?: TemplateBreak[];
	/** Aggregate charts: the years whose reports mix the two templates, shaded (templates.ts templateMix). */
	mixed?: MixedSpan[];
	/** Where to draw: the page's document by default; svg-document.ts's at prerender. */
	document?: Document;
}

/** A run of years whose reports use both templates, shaded on a year axis. */
export interface MixedSpan {
	from: number;
	to: number;
	/** Short text over the first span; the others say it in their tooltip only. */
	label: string;
	tip: string;
}

/** A switch of table template between two years on a year axis. */
export interface TemplateBreak {
	before: number;
	after: number;
	/** Short text at the top of the rule. */
	label: string;
	/** Tooltip: who switched, from which template to which. */
	tip: string;
}

/** The P25 / median / P75 of the peer group per year; null where the group is too small. */
export interface BandPoint {
	year: number;
	p25: number | null;
	p50: number | null;
	p75: number | null;
	n: number;
}

export interface BumpPoint {
	key: string;
	year: number;
	/** 1 = highest value; null = no value that year. */
	rank: number | null;
	tip: string;
}

export interface ShareRow {
	/** The stacked part (an outcome, a reason, an applicant type). */
	key: string;
	/** The bar: a year, or an agency id. */
	bar: string;
	share: number;
	color: string;
	tip: string;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export const BREAK_STROKE = '#6b6b6b';

/** The x scale a year-axis render function reads: point scales (lines) and band scales (bars). */
type YearScales = { x?: ((v: unknown) => number | undefined) & { bandwidth?: () => number } };
/** The plot's frame as Plot hands it to a render function. */
type Frame = { height: number; marginTop: number; marginBottom: number };
/** What a render function draws with: the plot's own document (the page's, or the prerender's). */
type DrawContext = { document: Document };

/** A band scale's width, 0 on a point scale: marks at a year sit at its band's start plus half of it. */
function bandwidthOf(x: NonNullable<YearScales['x']>): number {
	return typeof x.bandwidth === 'function' ? x.bandwidth() : 0;
}

/**
 * Dashed rules between the years where reports change template. A render
 * function, so it can read the x scale: halfway between the two years'
 * positions, on point scales (lines) and band scales (bars) alike.
 */
function templateRules(breaks: readonly TemplateBreak[], labelY?: number) {
	return (_index: number[], scales: YearScales, _values: unknown, dims: Frame, { document }: DrawContext) => {
		const g = document.createElementNS(SVG_NS, 'g');
		g.setAttribute('aria-label', 'template-change');
		const x = scales.x;
		if (!x) return g;
		const bw = bandwidthOf(x);
		// Switches at the same place share a rule; a label too close to the previous one is left to the tooltip.
		const placed = new Map<number, { px: number; tips: string[]; labels: string[]; keys: string[] }>();
		for (const b of breaks) {
			const xa = x(b.before);
			const xb = x(b.after);
			if (xa === undefined || xb === undefined || Number.isNaN(xa) || Number.isNaN(xb)) continue;
			const px = Math.round((xa + xb) / 2 + bw / 2);
			let p = placed.get(px);
			if (!p) placed.set(px, (p = { px, tips: [], labels: [], keys: [] }));
			p.tips.push(b.tip);
			if (!p.labels.includes(b.label)) p.labels.push(b.label);
			p.keys.push(`${b.before}-${b.after}`);
		}
		let labelEnd = -Infinity;
		for (const p of [...placed.values()].sort((a, b) => a.px - b.px)) {
			const item = document.createElementNS(SVG_NS, 'g');
			item.setAttribute('data-break', p.keys.join(' '));
			const title = document.createElementNS(SVG_NS, 'title');
			title.textContent = p.tips.join('\n\n');
			const line = document.createElementNS(SVG_NS, 'line');
			for (const [k, v] of Object.entries({
				x1: p.px,
				x2: p.px,
				y1: labelY === undefined ? dims.marginTop - 6 : dims.marginTop,
				y2: dims.height - dims.marginBottom,
				stroke: BREAK_STROKE,
				'stroke-width': 1.2,
				'stroke-dasharray': '4 3'
			}))
				line.setAttribute(k, String(v));
			item.append(title, line);
			const label = p.labels.join(' ');
			if (p.px + 3 > labelEnd + 12) {
				const text = document.createElementNS(SVG_NS, 'text');
				for (const [k, v] of Object.entries({ x: p.px + 3, y: labelY ?? dims.marginTop - 8, 'font-size': 10, fill: BREAK_STROKE, 'text-anchor': 'start' }))
					text.setAttribute(k, String(v));
				text.textContent = label;
				item.append(text);
				labelEnd = p.px + 3 + label.length * 7;
			}
			g.append(item);
		}
		return g;
	};
}

function breakMarks(breaks: readonly TemplateBreak[] | undefined, labelY?: number) {
	return breaks?.length ? [templateRules(breaks, labelY)] : [];
}

/** Grey bands over the years that mix templates, behind the data; on point scales (lines) and band scales (bars) alike. */
function mixedBands(spans: readonly MixedSpan[], years: readonly number[], labelY?: number) {
	return (_index: number[], scales: YearScales, _values: unknown, dims: Frame, { document }: DrawContext) => {
		const g = document.createElementNS(SVG_NS, 'g');
		g.setAttribute('aria-label', 'template-mix');
		const x = scales.x;
		if (!x) return g;
		const bw = bandwidthOf(x);
		const at = years.map((y) => x(y)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
		// Half the distance between two neighbouring years: a year's column reaches halfway to the next.
		const gaps = at.slice(1).map((v, i) => v - at[i]);
		const half = gaps.length ? Math.min(...gaps) / 2 : 20;
		spans.forEach((s, i) => {
			const a = x(s.from);
			const b = x(s.to);
			if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return;
			const left = a + bw / 2 - half;
			const right = b + bw / 2 + half;
			const item = document.createElementNS(SVG_NS, 'g');
			item.setAttribute('data-mixed', `${s.from}-${s.to}`);
			const title = document.createElementNS(SVG_NS, 'title');
			title.textContent = s.tip;
			const rect = document.createElementNS(SVG_NS, 'rect');
			for (const [k, v] of Object.entries({
				x: left,
				y: labelY === undefined ? dims.marginTop - 6 : dims.marginTop,
				width: right - left,
				height: dims.height - dims.marginBottom - dims.marginTop + (labelY === undefined ? 6 : 0),
				fill: BREAK_STROKE,
				'fill-opacity': 0.13
			}))
				rect.setAttribute(k, String(v));
			item.append(title, rect);
			if (i === 0) {
				const text = document.createElementNS(SVG_NS, 'text');
				for (const [k, v] of Object.entries({ x: left + 2, y: labelY ?? dims.marginTop - 8, 'font-size': 10, fill: BREAK_STROKE, 'text-anchor': 'start' }))
					text.setAttribute(k, String(v));
				text.textContent = s.label;
				item.append(text);
			}
			g.append(item);
		});
		return g;
	};
}

/** `labelY`: where the labels sit when the chart keeps the row above the plot for something else (n above share bars). */
function yearMarks(o: Pick<Common, 'breaks' | 'mixed'>, years: readonly number[], labelY?: number) {
	return [...(o.mixed?.length ? [mixedBands(o.mixed, years, labelY)] : []), ...breakMarks(o.breaks, labelY)];
}

/** Room above the plot for the marks' labels. */
const marksTop = (o: Pick<Common, 'breaks' | 'mixed'>) => (o.breaks?.length || o.mixed?.length ? 26 : undefined);

const FONT = { fontSize: '12px', fontFamily: 'inherit', overflow: 'visible' } as const;
export const BAND_FILL = '#7f7f7f';
export const BAND_STROKE = '#555555';

/**
 * The widths a prerendered chart is drawn at (ChartCard's `prerender`): a chart card's plot in a 1280 px
 * window (two cards a row) and in a 390 px one (e2e prerender.test.ts measures both). The HTML holds both
 * drawings; CSS shows the one nearer the card's width, scaled to it at heightFor's height, until the page's
 * own Plot redraws it at the card's exact width.
 */
export const PRERENDER_WIDTHS = { wide: 542, narrow: 337 } as const;

/** A chart's height for its width: the prerendered drawing's CSS says the same (ChartCard.svelte). */
export function heightFor(width: number): number {
	return Math.round(Math.max(200, Math.min(300, width * 0.55)));
}

/** Ticks of a log axis that starts at 0: 0, 1, 2, 5, 10, 20, 50 … up to the first at or above `max`; only the powers of ten when that makes more than seven. */
export function logTicks(max: number): number[] {
	if (!Number.isFinite(max) || max < 1) max = 1;
	const steps: number[] = [];
	for (let p = 1; steps.length === 0 || steps[steps.length - 1] < max; p *= 10) steps.push(p, 2 * p, 5 * p);
	const upTo = steps.slice(0, steps.findIndex((v) => v >= max) + 1);
	if (upTo.length <= 7) return [0, ...upTo];
	const powers = upTo.filter((v) => /^10*$/.test(String(v)));
	return [0, ...powers, ...(powers[powers.length - 1] < max ? [upTo[upTo.length - 1]] : [])];
}

/**
 * `max` is the data's largest value; `fixed` keeps the domain at [0, max] (several charts on one scale);
 * `log`: a symmetric log scale (0 stays 0), so small bodies stay readable beside a large one.
 */
function yAxis(unit: MetricUnit, lang: Lang, max: number, fixed = false, log = false) {
	const common = { grid: true, label: unitLabel(unit, lang), tickFormat: axisFormat(unit, lang) };
	if (unit === 'rate') return { ...common, domain: [0, Math.max(max, 0.1)], nice: true };
	if (log) {
		const ticks = logTicks(Math.max(1, max));
		return { ...common, type: 'symlog' as const, domain: [0, ticks[ticks.length - 1]], ticks, label: `${common.label}（log）` };
	}
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

/** Lines over years, one per series; gaps where a year has no value; ▲ for flagged reports; `log`: counts on a log scale. */
export function lineChart(
	o: Common & { series: SeriesDef[]; points: LinePoint[]; years: number[]; height?: number; yMax?: number; band?: BandPoint[]; log?: boolean }
): SVGSVGElement | HTMLElement {
	const style = new Map(o.series.map((s) => [s.key, s.style]));
	const color = (d: LinePoint) => style.get(d.key)?.color ?? '#000';
	const byDash = new Map<string, LinePoint[]>();
	for (const p of o.points) {
		const dash = style.get(p.key)?.dash ?? 'none';
		byDash.set(dash, [...(byDash.get(dash) ?? []), p]);
	}
	const present = o.points.filter((p) => p.value !== null);
	const band = (o.band ?? []).map((b) => ({ ...b, p25: b.p25 ?? NaN, p50: b.p50 ?? NaN, p75: b.p75 ?? NaN }));
	const bandMax = Math.max(0, ...band.filter((b) => !Number.isNaN(b.p75)).map((b) => b.p75));
	const max = o.yMax ?? Math.max(0, bandMax, ...present.map((p) => p.value as number));
	const years = o.years.length ? o.years : [...new Set(o.points.map((p) => p.year))];
	return Plot.plot({
		document: o.document,
		width: o.width,
		height: o.height ?? heightFor(o.width),
		marginLeft: 48,
		marginRight: 16,
		marginTop: marksTop(o),
		style: FONT,
		ariaLabel: o.ariaLabel,
		x: { type: 'point', domain: years, ticks: yearTicks(years, o.width), tickFormat: yearTick, label: null, padding: 0.3 },
		y: yAxis(o.unit, o.lang, max, o.yMax !== undefined, o.log === true),
		marks: [
			...(band.length
				? [
						Plot.areaY(band, { x: 'year', y1: 'p25', y2: 'p75', fill: BAND_FILL, fillOpacity: 0.22, className: 'peer-band' }),
						// a year whose neighbours have no band still shows its P25–P75 range
						Plot.ruleX(
							band.filter((b) => !Number.isNaN(b.p25)),
							{ x: 'year', y1: 'p25', y2: 'p75', stroke: BAND_FILL, strokeOpacity: 0.3, strokeWidth: 8, className: 'peer-range' }
						),
						Plot.line(band, { x: 'year', y: 'p50', stroke: BAND_STROKE, strokeWidth: 1.5, strokeDasharray: '5 3', className: 'peer-median' })
					]
				: []),
			...yearMarks(o, years),
			Plot.ruleY([0]),
			...[...byDash].map(([dash, pts]) =>
				Plot.line(pts, { x: 'year', y: 'value', z: 'key', stroke: color, strokeWidth: 2, strokeDasharray: dash === 'none' ? undefined : dash })
			),
			Plot.dot(
				present.filter((p) => !p.flagged),
				// each point says its numbers to a screen reader (and in the prerendered HTML, before the tooltip can)
				{ x: 'year', y: 'value', fill: color, r: 3.5, symbol: (d: LinePoint) => style.get(d.key)?.symbol ?? 'circle', ariaLabel: 'tip' }
			),
			Plot.dot(
				present.filter((p) => p.flagged),
				{ x: 'year', y: 'value', fill: color, stroke: FLAG_STROKE, strokeWidth: 1.5, r: 6, symbol: FLAG_SYMBOL, className: MARK_CLASS.flag, ariaLabel: 'tip' }
			),
			Plot.tip(present, Plot.pointer({ x: 'year', y: 'value', title: 'tip', fontSize: 12 }))
		]
	});
}

/** Stacked bars per year; `keys` fixes the stacking order (bottom first). */
export function stackedBars(
	o: Common & { rows: StackRow[]; keys: readonly string[]; years: number[]; flags?: { year: number; tip: string }[] }
): SVGSVGElement | HTMLElement {
	const order = new Map(o.keys.map((k, i) => [k, i]));
	const rows = [...o.rows].sort((a, b) => a.year - b.year || (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
	const totals = new Map<number, number>();
	for (const r of rows) totals.set(r.year, (totals.get(r.year) ?? 0) + Math.max(0, r.value));
	const flags = (o.flags ?? []).map((f) => ({ ...f, top: totals.get(f.year) ?? 0 }));
	const max = Math.max(0, ...totals.values());
	return Plot.plot({
		document: o.document,
		width: o.width,
		height: heightFor(o.width),
		marginLeft: 48,
		style: FONT,
		ariaLabel: o.ariaLabel,
		marginTop: marksTop(o),
		x: { type: 'band', domain: o.years, ticks: yearTicks(o.years, o.width), tickFormat: yearTick, label: null, padding: 0.25 },
		y: yAxis(o.unit, o.lang, max),
		marks: [
			...yearMarks(o, o.years),
			Plot.barY(
				rows,
				Plot.stackY({ x: 'year', y: 'value', fill: 'color', order: (d: StackRow) => order.get(d.key) ?? 0, title: 'tip', tip: true, ariaLabel: 'tip' })
			),
			Plot.ruleY([0]),
			// ▲ above the bar of a report that breaks a consistency rule
			Plot.dot(flags, {
				x: 'year',
				y: 'top',
				dy: -9,
				symbol: FLAG_SYMBOL,
				r: 5,
				fill: '#fff',
				stroke: FLAG_STROKE,
				strokeWidth: 1.5,
				title: 'tip',
				className: MARK_CLASS.flag
			})
		]
	});
}

/** The pixels a text needs beside a bar end (dx 4, a little air). */
const endRoom = (texts: readonly string[]) => Math.ceil(Math.max(0, ...texts.map((x) => textWidth(x, 12))) + 10);
const nText = (n: number, lang: Lang) => `n=${formatNumber(n, lang, 0)}`;
const compact = (n: number, lang: Lang) =>
	new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { notation: 'compact', maximumFractionDigits: n < 1000 ? 0 : 1 }).format(n);

/**
 * Horizontal bars, largest first, values written at the bar ends (a rate's n
 * beside it; pale below SMALL_N); ⚠ after flagged ones. Names shortened at
 * their shared prefix, so the part that tells them apart stays.
 */
export function rankedBars(o: Common & { rows: BarRow[] }): SVGSVGElement | HTMLElement {
	const rows = [...o.rows].sort((a, b) => b.value - a.value);
	const fmt = axisFormat(o.unit, o.lang);
	const labelWidth = Math.min(180, Math.max(90, o.width * 0.38));
	const names = shortLabels(
		rows.map((r) => r.label),
		labelWidth - 12
	);
	const nameOf = new Map(rows.map((r, i) => [r.key, names[i]]));
	const end = (d: BarRow) =>
		`${formatValue(d.value, o.unit, o.lang)}${d.n !== null && d.n !== undefined ? ` · ${nText(d.n, o.lang)}` : ''}${d.flagged ? ' ⚠' : ''}`;
	const max = Math.max(0, ...rows.map((r) => r.value));
	const bar = { y: 'key', x: 'value', fill: 'color', title: 'tip', tip: true } as const;
	return Plot.plot({
		document: o.document,
		width: o.width,
		height: 36 + rows.length * 26,
		marginLeft: labelWidth,
		marginRight: Math.max(40, endRoom(rows.map(end))),
		style: FONT,
		ariaLabel: o.ariaLabel,
		y: { domain: rows.map((r) => r.key), tickFormat: (k: string) => nameOf.get(k) ?? k, label: null },
		x: {
			grid: true,
			// a rate's ticks carry their %: no axis label to crowd the last one
			label: o.unit === 'rate' ? null : unitLabel(o.unit, o.lang),
			tickFormat: fmt,
			domain: o.unit === 'rate' ? [0, Math.max(max, 0.1)] : undefined,
			nice: true,
			ticks: Math.max(2, Math.floor(o.width / 110))
		},
		marks: [
			Plot.barX(
				rows.filter((r) => !isSmall(r.n)),
				bar
			),
			Plot.barX(
				rows.filter((r) => isSmall(r.n)),
				{ ...bar, fillOpacity: SMALL_N_OPACITY, stroke: 'color', strokeDasharray: '3 2', className: MARK_CLASS.smallN }
			),
			Plot.text(rows, {
				y: 'key',
				x: 'value',
				text: end,
				textAnchor: 'start',
				dx: 4,
				fill: (d: BarRow) => (isSmall(d.n) ? '#6b6b6b' : 'currentColor')
			}),
			Plot.ruleX([0])
		]
	});
}

/**
 * Normalized stacked bars: every bar is 100%. Vertical with years (`years`
 * given, template rules possible), horizontal with agencies (labels on the
 * left). Each bar's n is written at its end; a bar over fewer than SMALL_N
 * requests is drawn pale.
 */
export function shareBars(
	o: Omit<Common, 'unit'> & { rows: ShareRow[]; keys: readonly string[]; bars: { id: string; label: string; n: number }[]; vertical: boolean }
): SVGSVGElement | HTMLElement {
	const order = new Map(o.keys.map((k, i) => [k, i]));
	const rows = [...o.rows].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
	const pct = (v: number) => `${formatNumber(v * 100, o.lang, 0)}%`;
	const nOf = new Map(o.bars.map((b) => [b.id, b.n]));
	const small = (r: ShareRow) => isSmall(nOf.get(r.bar));
	const stack = { order: (d: ShareRow) => order.get(d.key) ?? 0, fill: 'color', title: 'tip', tip: true } as const;
	const pale = { fillOpacity: SMALL_N_OPACITY, className: MARK_CLASS.smallN } as const;
	const nLabel = (b: { n: number }) => nText(b.n, o.lang);
	const nFill = (b: { n: number }) => (isSmall(b.n) ? '#6b6b6b' : 'currentColor');
	if (o.vertical) {
		const domain = o.bars.map((b) => b.id);
		const years = domain.map(Number);
		const bars = o.bars.map((b) => ({ ...b, year: Number(b.id) }));
		const x = (d: ShareRow) => Number(d.bar);
		// n above each bar; the template rules' labels one row higher
		const top = o.breaks?.length || o.mixed?.length ? 34 : 20;
		return Plot.plot({
			document: o.document,
			width: o.width,
			height: heightFor(o.width) + top - 20,
			marginLeft: 44,
			marginTop: top,
			style: FONT,
			ariaLabel: o.ariaLabel,
			x: { type: 'band', domain: years, ticks: yearTicks(years, o.width), tickFormat: yearTick, label: null, padding: 0.25 },
			y: { domain: [0, 1], grid: true, tickFormat: pct, label: null },
			marks: [
				...yearMarks(o, years, 10),
				Plot.barY(
					rows.filter((r) => !small(r)),
					Plot.stackY({ x, y: 'share', ...stack })
				),
				Plot.barY(rows.filter(small), Plot.stackY({ x, y: 'share', ...stack, ...pale })),
				// compact above a narrow bar (n=1.2万, n=12K); the table and the tooltip have it whole
				Plot.text(bars, { x: 'year', y: 1, text: (b: { n: number }) => `n=${compact(b.n, o.lang)}`, dy: -7, fontSize: 10, fill: nFill, className: 'bar-n' }),
				Plot.ruleY([0])
			]
		});
	}
	const labelWidth = Math.min(200, Math.max(90, o.width * 0.36));
	const names = shortLabels(
		o.bars.map((b) => b.label),
		labelWidth - 12
	);
	const nameOf = new Map(o.bars.map((b, i) => [b.id, names[i]]));
	return Plot.plot({
		document: o.document,
		width: o.width,
		height: 40 + o.bars.length * 26,
		marginLeft: labelWidth,
		marginRight: Math.max(24, endRoom(o.bars.map(nLabel))),
		style: FONT,
		ariaLabel: o.ariaLabel,
		y: { domain: o.bars.map((b) => b.id), tickFormat: (id: string) => nameOf.get(id) ?? id, label: null },
		// the ticks carry their %: no axis label to crowd "100%"
		x: { domain: [0, 1], grid: true, tickFormat: pct, label: null, ticks: Math.max(2, Math.floor(o.width / 110)) },
		marks: [
			Plot.barX(
				rows.filter((r) => !small(r)),
				Plot.stackX({ y: 'bar', x: 'share', ...stack })
			),
			Plot.barX(rows.filter(small), Plot.stackX({ y: 'bar', x: 'share', ...stack, ...pale })),
			Plot.text(o.bars, { y: 'id', x: 1, text: nLabel, textAnchor: 'start', dx: 4, fill: nFill, className: 'bar-n' }),
			Plot.ruleX([0])
		]
	});
}

/** A label in the right margin of the bump chart: where its line ends, moved only as far as the labels above it need. */
interface EndLabel {
	key: string;
	rank: number;
	text: string;
	color: string;
}

const LABEL_STEP = 14;

/**
 * The bump chart's end labels as one column right of the last year: each at
 * its line's last rank, pushed down (then, at the bottom, up) just enough
 * not to overlap. A render function, so it can read the y scale.
 */
function endLabels(labels: readonly EndLabel[], lastYear: number) {
	return (
		_index: number[],
		scales: { x?: (v: unknown) => number | undefined; y?: (v: unknown) => number | undefined },
		_values: unknown,
		dims: { height: number; marginTop: number; marginBottom: number },
		{ document }: DrawContext
	) => {
		const g = document.createElementNS(SVG_NS, 'g');
		g.setAttribute('aria-label', 'end-labels');
		const x = scales.x?.(lastYear);
		if (x === undefined || !scales.y) return g;
		const placed = labels
			.map((l) => ({ ...l, want: scales.y!(l.rank) ?? 0 }))
			.sort((a, b) => a.want - b.want)
			.map((l) => ({ ...l, y: l.want }));
		for (let i = 1; i < placed.length; i++) placed[i].y = Math.max(placed[i].y, placed[i - 1].y + LABEL_STEP);
		const bottom = dims.height - dims.marginBottom;
		for (let i = placed.length - 1; i >= 0; i--) {
			const limit = i === placed.length - 1 ? bottom : placed[i + 1].y - LABEL_STEP;
			placed[i].y = Math.max(Math.min(placed[i].y, limit), dims.marginTop);
		}
		for (const l of placed) {
			const text = document.createElementNS(SVG_NS, 'text');
			for (const [k, v] of Object.entries({ x: x + 10, y: l.y, dy: '0.32em', fill: l.color, 'font-weight': 600, 'text-anchor': 'start', 'data-key': l.key }))
				text.setAttribute(k, String(v));
			text.textContent = l.text;
			// a label moved off its line gets a short leader back to it
			if (Math.abs(l.y - l.want) > 2) {
				const line = document.createElementNS(SVG_NS, 'path');
				line.setAttribute('d', `M${x + 5},${l.want}L${x + 9},${l.y}`);
				line.setAttribute('stroke', l.color);
				line.setAttribute('fill', 'none');
				g.append(line);
			}
			g.append(text);
		}
		return g;
	};
}

/**
 * Ranks over years, rank 1 on top. Every line is labelled in one column right
 * of the last year, at its last rank (with that year when it is an earlier
 * one), without overlaps and within the chart's width.
 */
export function bumpChart(o: Omit<Common, 'unit'> & { series: SeriesDef[]; points: BumpPoint[]; years: number[] }): SVGSVGElement | HTMLElement {
	const style = new Map(o.series.map((s) => [s.key, s.style]));
	const color = (d: BumpPoint) => style.get(d.key)?.color ?? '#000';
	const ranked = o.points.filter((p) => p.rank !== null);
	const maxRank = Math.max(1, ...ranked.map((p) => p.rank as number));
	const lastYear = o.years[o.years.length - 1];
	const last = o.series
		.map((s) => ({ s, p: ranked.filter((p) => p.key === s.key).sort((a, b) => b.year - a.year)[0] }))
		.filter((x): x is { s: SeriesDef; p: BumpPoint } => !!x.p);
	const right = Math.round(Math.min(220, Math.max(110, o.width * 0.3)));
	const suffix = (p: BumpPoint) => (p.year !== lastYear ? ` (${p.year})` : '');
	const names = shortLabels(
		last.map((x) => x.s.label),
		last.map((x) => right - 14 - textWidth(suffix(x.p), 12))
	);
	const labels: EndLabel[] = last.map((x, i) => ({ key: x.s.key, rank: x.p.rank as number, text: names[i] + suffix(x.p), color: x.s.style.color }));
	const ticks = Array.from({ length: maxRank }, (_, i) => i + 1).filter((r) => maxRank <= 12 || r === 1 || r % Math.ceil(maxRank / 10) === 0);
	const marginTop = marksTop(o) ?? 20;
	return Plot.plot({
		document: o.document,
		width: o.width,
		// room for every label, one line each
		height: Math.max(220, 50 + maxRank * 30, marginTop + 30 + labels.length * LABEL_STEP),
		marginLeft: 40,
		marginRight: right,
		marginTop,
		style: FONT,
		ariaLabel: o.ariaLabel,
		x: { type: 'point', domain: o.years, ticks: yearTicks(o.years, o.width - right), tickFormat: yearTick, label: null, padding: 0.3 },
		y: { domain: [1, maxRank], reverse: true, ticks, tickFormat: (r: number) => `${r}`, label: o.lang === 'zh' ? '名次' : 'rank', grid: true, inset: 12 },
		marks: [
			...yearMarks(o, o.years),
			Plot.line(
				o.points.map((p) => ({ ...p, rank: p.rank ?? NaN })),
				{ x: 'year', y: 'rank', z: 'key', stroke: color, strokeWidth: 2.5, curve: 'bump-x' }
			),
			Plot.dot(ranked, {
				x: 'year',
				y: 'rank',
				fill: color,
				r: 4.5,
				stroke: '#fff',
				strokeWidth: 1,
				symbol: (d: BumpPoint) => style.get(d.key)?.symbol ?? 'circle',
				title: 'tip',
				tip: true
			}),
			endLabels(labels, lastYear)
		]
	});
}
