import { cell, type Cell } from '../../document';
import { overlaps, type Line, type Segment } from './lines';

/**
 * Table headers in a PDF: header cells drawn one fragment per line ("商业 /
 * 企业", "结 / 果 / 维 / 持") are stacked back into columns, and the cells
 * spanning several columns above them kept as rows of their own.
 */

/** Header fragments stacked into columns (top to bottom), and the spanning cells above them. */
interface HeaderColumn {
	x0: number;
	x1: number;
	size: number;
	parts: Segment[];
}

function stackHeader(lines: Line[]): { spanning: Segment[][]; columns: HeaderColumn[] } {
	const segs = lines.flatMap((l) => l.segments).sort((a, b) => a.x1 - a.x0 - (b.x1 - b.x0));
	const columns: HeaderColumn[] = [];
	const spanning: Segment[] = [];
	for (const s of segs) {
		const hit = columns.filter((c) => overlaps(c, s, -0.5));
		if (hit.length === 0) columns.push({ x0: s.x0, x1: s.x1, size: s.size, parts: [s] });
		else if (hit.length === 1) {
			const c = hit[0];
			c.parts.push(s);
			c.x0 = Math.min(c.x0, s.x0);
			c.x1 = Math.max(c.x1, s.x1);
			c.size = Math.max(c.size, s.size);
		} else spanning.push(s);
	}
	// Spanning cells keep their visual lines.
	const spanRows = new Map<number, Segment[]>();
	for (const s of spanning) {
		const key = lines.findIndex((l) => l.segments.includes(s));
		spanRows.set(
			key,
			[...(spanRows.get(key) ?? []), s].sort((a, b) => a.x0 - b.x0)
		);
	}
	return {
		spanning: [...spanRows.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v),
		columns: columns.sort((a, b) => a.x0 - b.x0)
	};
}

function headerText(c: HeaderColumn): string {
	return c.parts
		.slice()
		.sort((a, b) => a.top - b.top || a.x0 - b.x0)
		.map((p) => p.text.trim())
		.join('');
}

export function headerLeaves(lines: Line[]): HeaderColumn[] {
	if (lines.length === 0) return [];
	return stackHeader(lines).columns;
}

/** Lines whose vertical gaps are at most a line and a half: one header block. */
export function stacks(lines: Line[]): Line[][] {
	const out: Line[][] = [];
	for (const l of lines) {
		const cur = out[out.length - 1];
		const prev = cur?.[cur.length - 1];
		if (prev && !prev.vertical && !l.vertical && prev.page === l.page && l.yc - prev.yc <= 1.55 * Math.max(prev.size, l.size)) cur.push(l);
		else out.push([l]);
	}
	return out;
}

/** Rows for lines outside runs: a single line as its segments, a stacked header as one row of columns. */
export function looseRows(lines: Line[]): Cell[][] {
	const rows: Cell[][] = [];
	for (const stack of stacks(lines)) {
		if (stack.length === 1 || stack.every((l) => l.segments.length === 1 && stack[0].segments.length === 1 && overlaps(l.segments[0], stack[0].segments[0]))) {
			for (const l of stack) rows.push(l.segments.map((s) => cell(s.text.trim())));
			continue;
		}
		const { spanning, columns } = stackHeader(stack);
		for (const r of spanning) rows.push(r.map((s) => cell(s.text.trim())));
		rows.push(columns.map((c) => cell(headerText(c))));
	}
	return rows;
}
