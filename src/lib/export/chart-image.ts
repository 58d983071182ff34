import { textWidth } from '$lib/charts/labels';

/**
 * A chart as a self-contained image: the chart's SVG with its title, the
 * filters, the data source, the dataset version and the date stamped on it,
 * fonts named explicitly so Chinese renders outside the page, as SVG text or
 * as a PNG drawn from that SVG.
 */
export interface ChartStamp {
	title: string;
	/** The filters and choices behind the chart, one line. */
	filters: string;
	source: string;
	datasetVersion: string;
	/** ISO date of the export. */
	date: string;
	/** Series drawn in the chart, and what its marks mean, when the legend lives outside its SVG. */
	legend?: LegendItem[];
	/** The notes under the chart on the page (template changes, definitions), printed under it. */
	notes?: string[];
	/** The footer line in the page's language; by default built in Chinese from the fields above. */
	footer?: string;
}

/** A legend entry: a colour box (a series or part), the ▲ (or ⚠ beside a value) of a flagged report, a template change's dashed rule, the grey band of years that mix templates, or a pale bar of small n. */
export interface LegendItem {
	label: string;
	color: string;
	kind?: 'box' | 'line' | 'flag' | 'warn' | 'rule' | 'band' | 'pale';
	/** A line's dash pattern and point symbol: past eight series the colours repeat, these tell them apart. */
	dash?: string;
	symbol?: 'circle' | 'square' | 'triangle';
}

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const NS = 'http://www.w3.org/2000/svg';

function escapeXml(s: string): string {
	return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** The swatch of a legend entry, 12 px square at (x, y). */
function swatch(item: LegendItem, x: number, y: number): string {
	const c = escapeXml(item.color);
	if (item.kind === 'flag') return `<path d="M${x + 6},${y} L${x + 12},${y + 11} L${x},${y + 11} Z" fill="#fff" stroke="${c}" stroke-width="1.5"/>`;
	if (item.kind === 'line') {
		const dash = item.dash && item.dash !== 'none' ? ` stroke-dasharray="${escapeXml(item.dash)}"` : '';
		const mark =
			item.symbol === 'square'
				? `<rect x="${x + 4}" y="${y + 2.5}" width="7" height="7" fill="${c}"/>`
				: item.symbol === 'triangle'
					? `<path d="M${x + 7.5},${y + 2} L${x + 11.5},${y + 10} L${x + 3.5},${y + 10} Z" fill="${c}"/>`
					: `<circle cx="${x + 7.5}" cy="${y + 6}" r="3.5" fill="${c}"/>`;
		return `<line x1="${x}" y1="${y + 6}" x2="${x + 17}" y2="${y + 6}" stroke="${c}" stroke-width="2"${dash}/>${mark}`;
	}
	if (item.kind === 'warn') return `<text x="${x}" y="${y + 11}" font-size="12" fill="${c}">⚠</text>`;
	if (item.kind === 'rule') return `<line x1="${x + 6}" y1="${y - 1}" x2="${x + 6}" y2="${y + 13}" stroke="${c}" stroke-width="1.2" stroke-dasharray="4 3"/>`;
	if (item.kind === 'band') return `<rect x="${x}" y="${y - 1}" width="12" height="14" fill="${c}" fill-opacity="0.13"/>`;
	if (item.kind === 'pale') return `<rect x="${x}" y="${y}" width="12" height="12" fill="${c}" fill-opacity="0.35" stroke="${c}" stroke-dasharray="3 2"/>`;
	return `<rect x="${x}" y="${y}" width="12" height="12" fill="${c}"/>`;
}

/** Break a line of text into lines no wider than `max` pixels. */
function wrap(s: string, size: number, max: number): string[] {
	const out: string[] = [];
	let line = '';
	for (const ch of s) {
		if (line && textWidth(line + ch, size) > max) {
			out.push(line);
			line = '';
		}
		line += ch;
	}
	if (line) out.push(line);
	return out;
}

/**
 * The chart inside a ChartCard's host as one SVG element: the Plot SVG itself,
 * or, for small multiples, every SVG and caption placed where the page shows them.
 * Pointer tooltips are left out.
 */
export function chartSvgOf(host: HTMLElement): SVGSVGElement | null {
	const svgs = [...host.querySelectorAll('svg')].filter((s) => !s.parentElement?.closest('svg'));
	if (!svgs.length) return null;
	const captions = [...host.querySelectorAll('figcaption')];
	let out: SVGSVGElement;
	if (svgs.length === 1 && !captions.length) out = svgs[0].cloneNode(true) as SVGSVGElement;
	else {
		const box = host.getBoundingClientRect();
		out = document.createElementNS(NS, 'svg');
		out.setAttribute('width', String(Math.ceil(host.scrollWidth || box.width)));
		out.setAttribute('height', String(Math.ceil(host.scrollHeight || box.height)));
		for (const s of svgs) {
			const r = s.getBoundingClientRect();
			const c = s.cloneNode(true) as SVGSVGElement;
			c.setAttribute('x', String(Math.round(r.left - box.left)));
			c.setAttribute('y', String(Math.round(r.top - box.top)));
			c.setAttribute('width', String(Math.round(r.width)));
			c.setAttribute('height', String(Math.round(r.height)));
			out.append(c);
		}
		for (const cap of captions) {
			const r = cap.getBoundingClientRect();
			const text = document.createElementNS(NS, 'text');
			text.setAttribute('x', String(Math.round(r.left - box.left)));
			text.setAttribute('y', String(Math.round(r.top - box.top + 13)));
			text.setAttribute('font-size', '12');
			text.textContent = cap.textContent ?? '';
			out.append(text);
		}
	}
	for (const tip of out.querySelectorAll('[aria-label="tip"]')) tip.remove();
	return out;
}

/** Chart SVG + stamp → standalone SVG text. */
export function stampedSvg(chart: SVGSVGElement, stamp: ChartStamp): { svg: string; width: number; height: number } {
	const box = chart.isConnected ? chart.getBoundingClientRect() : { width: 0, height: 0 };
	const width = Math.ceil(Number(chart.getAttribute('width')) || box.width || 640);
	const height = Math.ceil(Number(chart.getAttribute('height')) || box.height || 400);
	const pad = 16;
	const W = Math.max(width + pad * 2, 360);
	const inner = W - pad * 2;
	const titleLines = wrap(stamp.title, 17, inner);
	const filterLines = wrap(stamp.filters, 12, inner);
	let y = 8;
	let head = '';
	for (const line of titleLines) {
		y += 22;
		head += `<text x="${pad}" y="${y}" font-size="17" font-weight="bold" fill="#111">${escapeXml(line)}</text>`;
	}
	for (const line of filterLines) {
		y += 17;
		head += `<text x="${pad}" y="${y}" font-size="12" fill="#444">${escapeXml(line)}</text>`;
	}
	// Legend items flow left to right and wrap.
	let x = pad;
	let legendRow = y + 10;
	let legend = '';
	for (const item of stamp.legend ?? []) {
		const gap = item.kind === 'line' ? 22 : 16;
		const w = gap + 4 + textWidth(item.label, 12) + 14;
		if (x > pad && x + w > pad + inner) {
			x = pad;
			legendRow += 18;
		}
		legend += `${swatch(item, x, legendRow)}<text x="${x + gap}" y="${legendRow + 10}" font-size="12" fill="#222">${escapeXml(item.label)}</text>`;
		x += w;
	}
	const top = (stamp.legend?.length ? legendRow + 22 : y + 12) + 4;
	const noteLines = (stamp.notes ?? []).flatMap((n) => wrap(n, 11, inner));
	const footLines = [
		...noteLines,
		...wrap(stamp.footer ?? `数据来源：${stamp.source}｜数据版本 ${stamp.datasetVersion}｜导出于 ${stamp.date}｜年报看板 Nianbao`, 11, inner)
	];
	const H = top + height + 12 + footLines.length * 15 + 6;
	const clone = chart.cloneNode(true) as SVGSVGElement;
	clone.setAttribute('x', String(pad));
	clone.setAttribute('y', String(top));
	clone.setAttribute('width', String(width));
	clone.setAttribute('height', String(height));
	clone.removeAttribute('class');
	clone.setAttribute('font-family', FONT);
	const body = new XMLSerializer().serializeToString(clone);
	let foot = '';
	footLines.forEach((line, i) => {
		foot += `<text x="${pad}" y="${top + height + 18 + i * 15}" font-size="11" fill="${i < noteLines.length ? '#444' : '#666'}">${escapeXml(line)}</text>`;
	});
	const svg =
		`<svg xmlns="${NS}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${escapeXml(FONT)}">` +
		`<rect width="100%" height="100%" fill="#fff"/>` +
		head +
		legend +
		body +
		foot +
		`</svg>`;
	return { svg, width: W, height: H };
}

/** The stamped SVG drawn to a PNG at `scale` (2 = crisp on high-DPI screens). */
export async function stampedPng(chart: SVGSVGElement, stamp: ChartStamp, scale = 2): Promise<Blob> {
	const { svg, width, height } = stampedSvg(chart, stamp);
	const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
	try {
		const img = new Image();
		img.decoding = 'sync';
		await new Promise<void>((resolve, reject) => {
			img.onload = () => resolve();
			img.onerror = () => reject(new Error('图表图片生成失败 (SVG could not be drawn)'));
			img.src = url;
		});
		const canvas = document.createElement('canvas');
		canvas.width = Math.round(width * scale);
		canvas.height = Math.round(height * scale);
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('no 2D canvas');
		ctx.scale(scale, scale);
		ctx.drawImage(img, 0, 0, width, height);
		return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
	} finally {
		URL.revokeObjectURL(url);
	}
}
