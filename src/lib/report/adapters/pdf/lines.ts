import { readCell } from '../../numbers';

/**
 * Positioned text items → visual lines: items grouped by vertical centre
 * (tolerance from the font size), then joined into segments across small
 * gaps, each line split into its label segments and the numbers after them.
 */

/** One text item in page space: y grows downwards, pages stacked. */
export interface Item {
	text: string;
	x0: number;
	x1: number;
	/** Vertical centre of the glyphs. */
	yc: number;
	size: number;
	page: number;
	vertical: boolean;
}

/** A page's top in the stacked page space, and its height. */
export interface PageBox {
	top: number;
	height: number;
}

type Kind = 'text' | 'number';

export interface Segment {
	text: string;
	x0: number;
	x1: number;
	yc: number;
	size: number;
	kind: Kind;
	/** Items of a stacked header keep their own heights. */
	top: number;
}

export interface Line {
	page: number;
	yc: number;
	size: number;
	segments: Segment[];
	vertical: boolean;
	/** Label segments (up to the last text segment) and the numbers after them. */
	labels: Segment[];
	values: Segment[];
	isValue: boolean;
}

const PAGE_NUMBER = /^[-－—–_~·•\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／共]\s*\d{1,4}\s*页?)?[-－—–_~·•\s]*$|^(?:page\s*)?\d{1,4}\s*(?:of|\/)\s*\d{1,4}$/i;

function classify(text: string): Kind {
	const t = text.trim();
	const v = readCell(t);
	if (v === undefined || t === '') return 'text';
	if (/\d/.test(t) || v.note === 'dash' || v.note === 'none') return 'number';
	return 'text';
}

/** "21 0 0 0" drawn as one item: one item per number, placed by character offset. */
function splitNumberRuns(item: Item): Item[] {
	const parts = item.text.trim().split(/\s+/);
	if (parts.length < 2 || !parts.every((p) => classify(p) === 'number' && /\d/.test(p))) return [item];
	const len = item.text.length;
	const w = item.x1 - item.x0;
	const out: Item[] = [];
	let from = 0;
	for (const p of parts) {
		const at = item.text.indexOf(p, from);
		from = at + p.length;
		out.push({ ...item, text: p, x0: item.x0 + (w * at) / len, x1: item.x0 + (w * from) / len });
	}
	return out;
}

/** Items → visual lines per page (centre within 45 % of the smaller font size). */
export function buildLines(items: Item[]): Line[] {
	const lines: Line[] = [];
	const byPage = new Map<number, Item[]>();
	for (const it of items.flatMap((i) => (i.vertical ? [i] : splitNumberRuns(i)))) {
		const list = byPage.get(it.page) ?? [];
		list.push(it);
		byPage.set(it.page, list);
	}
	for (const page of [...byPage.keys()].sort((a, b) => a - b)) {
		const list = byPage
			.get(page)!
			.slice()
			.sort((a, b) => a.yc - b.yc || a.x0 - b.x0);
		interface Group {
			items: Item[];
			yc: number;
			size: number;
			vertical: boolean;
		}
		const groups: Group[] = [];
		let current: Group | undefined;
		for (const it of list) {
			if (it.vertical) {
				groups.push({ items: [it], yc: it.yc, size: it.size, vertical: true });
				continue;
			}
			if (current && Math.abs(it.yc - current.yc) <= 0.45 * Math.min(it.size, current.size)) {
				current.items.push(it);
				const n = current.items.length;
				current.yc = (current.yc * (n - 1) + it.yc) / n;
				current.size = Math.max(current.size, it.size);
			} else {
				current = { items: [it], yc: it.yc, size: it.size, vertical: false };
				groups.push(current);
			}
		}
		groups.sort((a, b) => a.yc - b.yc);
		for (const g of groups) lines.push(makeLine(page, g.items, g.vertical));
	}
	return lines;
}

/** Spaces between two Chinese characters or full-width marks are layout, not text ("三 、本 年 度" → "三、本年度"). */
const CJK = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f';
const CJK_GAP = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'g');
function tidy(text: string): string {
	return text.replace(CJK_GAP, '');
}

/** Join items of one line into segments: text runs across small gaps, numbers on their own. */
function makeLine(page: number, items: Item[], vertical: boolean): Line {
	const sorted = items.slice().sort((a, b) => a.x0 - b.x0);
	const segments: Segment[] = [];
	for (const it of sorted) {
		const kind = classify(it.text);
		const prev = segments[segments.length - 1];
		if (prev) {
			const em = Math.min(prev.size, it.size);
			const gap = it.x0 - prev.x1;
			const join =
				(prev.kind === 'text' && kind === 'text' && gap < 0.4 * em) ||
				(prev.kind !== kind && gap < 0.35 * em) ||
				(prev.kind === 'number' && kind === 'number' && gap < 0.12 * em);
			if (join) {
				prev.text += gap > 0.2 * em && /[\x21-\x7e]$/.test(prev.text) && /^[\x21-\x7e]/.test(it.text) ? ` ${it.text}` : it.text;
				prev.x1 = Math.max(prev.x1, it.x1);
				prev.yc = (prev.yc + it.yc) / 2;
				prev.size = Math.max(prev.size, it.size);
				prev.top = Math.min(prev.top, it.yc);
				prev.kind = classify(prev.text);
				continue;
			}
		}
		segments.push({ text: it.text, x0: it.x0, x1: it.x1, yc: it.yc, size: it.size, kind, top: it.yc });
	}
	for (const s of segments) s.text = tidy(s.text);
	const yc = segments.reduce((s, g) => s + g.yc, 0) / Math.max(segments.length, 1);
	const size = Math.max(...segments.map((s) => s.size));
	let lastText = -1;
	segments.forEach((s, i) => {
		if (s.kind === 'text') lastText = i;
	});
	const labels = segments.slice(0, lastText + 1);
	const values = segments.slice(lastText + 1);
	// A value line: numbers after the labels, set apart like table cells (a
	// sentence that happens to end in a number is not one).
	let isValue = !vertical && values.length > 0;
	if (isValue && labels.length > 0 && values.length === 1) {
		const gap = values[0].x0 - labels[labels.length - 1].x1;
		isValue = gap >= 1.5 * Math.min(values[0].size, labels[labels.length - 1].size);
	}
	return { page, yc, size, segments, vertical, labels, values, isValue };
}

export function lineText(line: Line): string {
	return line.segments
		.map((s) => s.text.trim())
		.filter(Boolean)
		.join(' ');
}

export function isFurniture(line: Line, box: PageBox): boolean {
	const text = lineText(line);
	if (!PAGE_NUMBER.test(text)) return false;
	const y = line.yc - box.top;
	return y > box.height * 0.86 || y < box.height * 0.1;
}

/** Whether two horizontal extents overlap (by more than -pad points). */
export function overlaps(a: { x0: number; x1: number }, b: { x0: number; x1: number }, pad = 0.5): boolean {
	return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > -pad;
}
