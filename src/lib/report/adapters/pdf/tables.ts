import { cell, type Cell, type Table } from '../../document';
import { headerLeaves, looseRows, stacks } from './header';
import { overlaps, type Line, type Segment } from './lines';

/**
 * Visual lines → tables. A PDF has no tables, only positioned text; they are
 * rebuilt here: runs of value lines (lines ending in numbers) → rows whose
 * cells are the label text and one cell per number column, '' where the PDF
 * simply has no item (an empty cell). Columns come from the x extents of the
 * numbers of the whole run and from the header cells above it, so a row that
 * has only 自然人 and 总计 still gets 7 cells with the two numbers in the
 * right places.
 */

interface Run {
	/** Lines of the run in document order: value lines and label-area lines between them. */
	lines: Line[];
	/** Header lines right above the run (the last stack of them). */
	header: Line[];
	numericLeft: number;
}

interface Column {
	x0: number;
	x1: number;
}

/** Number columns of a run: x extents of its numbers merged where they overlap, plus header cells over blank columns. */
function runColumns(run: Run, lines: Line[] = run.lines, withHeader = true): Column[] {
	const spans = lines
		.filter((l) => l.isValue)
		.flatMap((l) => l.values.map((v) => ({ x0: v.x0, x1: v.x1 })))
		.sort((a, b) => a.x0 - b.x0);
	const cols: Column[] = [];
	for (const s of spans) {
		const hit = cols.filter((c) => overlaps(c, s));
		if (hit.length === 0) cols.push({ ...s });
		else {
			const merged = { x0: Math.min(s.x0, ...hit.map((c) => c.x0)), x1: Math.max(s.x1, ...hit.map((c) => c.x1)) };
			for (const h of hit) cols.splice(cols.indexOf(h), 1);
			cols.push(merged);
		}
	}
	// Header leaves over columns that are blank in every row.
	const leaves = withHeader ? headerLeaves(run.header) : [];
	for (const leaf of leaves) {
		const centre = (leaf.x0 + leaf.x1) / 2;
		if (centre < run.numericLeft - leaf.size) continue;
		if (cols.some((c) => overlaps(c, leaf, 0))) continue;
		cols.push({ x0: leaf.x0, x1: leaf.x1 });
	}
	return cols.sort((a, b) => a.x0 - b.x0);
}

/** Label text of one run grouped into blocks: wrapped lines of one cell. */
interface Block {
	pieces: { seg: Segment; line: Line }[];
	x0: number;
	x1: number;
	top: number;
	bottom: number;
	size: number;
	page: number;
	vertical: boolean;
	/** The value line whose own label is in this block, if any. */
	owner?: Line;
}

/**
 * The rows of one run. Label text is first grouped into blocks (the lines of
 * one wrapped cell: same column, line spacing apart); a block then belongs
 * to the value line whose label it contains, or whose numbers sit within its
 * height (a label wrapped around its numbers). A block with no numbers of its
 * own is either a merged cell's label floating between the rows it spans —
 * its neighbours' labels are all to its right — and goes with the nearest
 * row; or a row whose cells are all empty, when it sits in a label column of
 * the run; or a label-only row (a vertical label, a note).
 */
function runRows(run: Run): Cell[][] {
	const valueLines = run.lines.filter((l) => l.isValue);
	const runCols = runColumns(run);
	// A table continued on another page may sit a few points off. Where each
	// page shows the same number of columns as the first, read each page by
	// its own columns; otherwise use the columns of the whole run.
	const pages = [...new Set(valueLines.map((l) => l.page))];
	const colsOf = new Map<number, Column[]>();
	if (pages.length > 1) {
		const first = runColumns(
			run,
			valueLines.filter((l) => l.page === pages[0])
		);
		const perPage = pages.map((p, i) =>
			i === 0
				? first
				: runColumns(
						run,
						valueLines.filter((l) => l.page === p),
						false
					)
		);
		if (perPage.every((c) => c.length === first.length) && first.length < runCols.length) pages.forEach((p, i) => colsOf.set(p, perPage[i]));
	}

	// ---- blocks
	const pieces = run.lines
		.flatMap((line) => (line.isValue ? line.labels : line.segments).map((seg) => ({ seg, line })))
		.sort((a, b) => a.line.page - b.line.page || a.seg.yc - b.seg.yc || a.seg.x0 - b.seg.x0);
	const blocks: Block[] = [];
	for (const p of pieces) {
		const { seg, line } = p;
		let open: Block | undefined;
		// Only recent blocks can continue (pieces come in reading order).
		for (let i = blocks.length - 1; !line.vertical && i >= 0 && i >= blocks.length - 64; i--) {
			const b = blocks[i];
			if (b.page !== line.page) break;
			const gap = seg.yc - b.bottom;
			if (
				!b.vertical &&
				overlaps(b, seg, -0.5) &&
				gap > 0.3 * seg.size &&
				gap <= 1.6 * Math.max(seg.size, b.size) &&
				!(b.owner && line.isValue && b.owner !== line)
			) {
				open = b;
				break;
			}
		}
		if (open) {
			open.pieces.push(p);
			open.x0 = Math.min(open.x0, seg.x0);
			open.x1 = Math.max(open.x1, seg.x1);
			open.bottom = seg.yc;
			open.size = Math.max(open.size, seg.size);
			if (line.isValue) open.owner = line;
		} else
			blocks.push({
				pieces: [p],
				x0: seg.x0,
				x1: seg.x1,
				top: seg.yc,
				bottom: seg.yc,
				size: seg.size,
				page: line.page,
				vertical: line.vertical,
				owner: line.isValue ? line : undefined
			});
	}

	// ---- blocks → rows
	const labelsOf = new Map<Line, Segment[]>();
	for (const v of valueLines) labelsOf.set(v, []);
	const standalone: { at: Line; segs: Segment[]; blank: boolean }[] = [];
	const owned = new Map<Line, Block[]>();
	for (const b of blocks) if (b.owner) owned.set(b.owner, [...(owned.get(b.owner) ?? []), b]);
	const ownLabelStarts = (v: Line) => (owned.get(v) ?? []).map((b) => b.x0);
	const rowLabelX0 = [...new Set(blocks.filter((b) => b.owner).map((b) => Math.round(b.x0)))];
	const valuesByPage = new Map<number, Line[]>();
	for (const v of valueLines) valuesByPage.set(v.page, [...(valuesByPage.get(v.page) ?? []), v]);
	for (const b of blocks) {
		const segs = b.pieces.map((p) => p.seg);
		if (b.owner) {
			labelsOf.get(b.owner)!.push(...segs);
			continue;
		}
		if (b.vertical) {
			standalone.push({ at: b.pieces[0].line, segs, blank: false });
			continue;
		}
		const samePage = valuesByPage.get(b.page) ?? [];
		// Numbers within the block's height, on a line without a label of its own in this column.
		const pad = 0.6 * b.size;
		const inside = samePage.filter((v) => v.yc >= b.top - pad && v.yc <= b.bottom + pad && !(owned.get(v) ?? []).some((o) => overlaps(o, b, -0.5)));
		if (inside.length > 0) {
			const centre = (b.top + b.bottom) / 2;
			const v = inside.reduce((best, x) => (Math.abs(x.yc - centre) < Math.abs(best.yc - centre) ? x : best));
			labelsOf.get(v)!.push(...segs);
			continue;
		}
		const centre = (b.top + b.bottom) / 2;
		const above = samePage.filter((v) => v.yc < centre).pop();
		const below = samePage.find((v) => v.yc > centre);
		const rightOf = (v: Line | undefined) => {
			const starts = v ? ownLabelStarts(v) : [];
			return starts.length > 0 && starts.every((x) => x > b.x1);
		};
		if (above && below && rightOf(above) && rightOf(below)) {
			// A merged cell's label: it joins the row it is closest to, as in HTML.
			const v = centre - above.yc <= below.yc - centre ? above : below;
			labelsOf.get(v)!.push(...segs);
			continue;
		}
		const aligned = rowLabelX0.some((x) => Math.abs(x - b.x0) < 2);
		standalone.push({ at: b.pieces[0].line, segs, blank: aligned });
	}

	const out: { line: Line; cells: Cell[] }[] = [];
	for (const v of valueLines) {
		const labels = labelCells(labelsOf.get(v)!);
		const cols = colsOf.get(v.page) ?? runCols;
		const values = cols.map(() => '');
		for (const s of v.values) {
			let k = cols.findIndex((c) => overlaps(c, s));
			if (k < 0) {
				const centre = (s.x0 + s.x1) / 2;
				k = cols.reduce((bi, c, i) => (Math.abs((c.x0 + c.x1) / 2 - centre) < Math.abs((cols[bi].x0 + cols[bi].x1) / 2 - centre) ? i : bi), 0);
			}
			values[k] = values[k] ? `${values[k]}${s.text.trim()}` : s.text.trim();
		}
		// The page a row is printed on (1-based), for the provenance of its numbers.
		const onPage = (t: string): Cell => ({ ...cell(t), page: v.page + 1 });
		out.push({ line: v, cells: [...labels.map(onPage), ...values.map(onPage)] });
	}
	for (const { at, segs, blank } of standalone) {
		const onPage = (t: string): Cell => ({ ...cell(t), page: at.page + 1 });
		const labels = labelCells(segs).map(onPage);
		const width = (colsOf.get(at.page) ?? runCols).length;
		out.push({ line: at, cells: blank ? [...labels, ...Array.from({ length: width }, () => onPage(''))] : labels });
	}
	const order = new Map(run.lines.map((l, i) => [l, i]));
	out.sort((a, b) => order.get(a.line)! - order.get(b.line)!);
	return out.map((r) => r.cells);
}

/** Label segments of one row → cells: one per label column, wrapped parts joined top to bottom. */
function labelCells(segs: Segment[]): string[] {
	const columns: { x0: number; x1: number; parts: Segment[] }[] = [];
	for (const s of segs.slice().sort((a, b) => a.x0 - b.x0)) {
		const c = columns.find((col) => overlaps(col, s, -0.5));
		if (c) {
			c.parts.push(s);
			c.x1 = Math.max(c.x1, s.x1);
		} else columns.push({ x0: s.x0, x1: s.x1, parts: [s] });
	}
	return columns.map((c) =>
		c.parts
			.sort((a, b) => a.yc - b.yc || a.x0 - b.x0)
			.map((p) => p.text.trim())
			.join('')
	);
}

/**
 * Lines → tables in document order. A run starts at a value line and goes on
 * through value lines and lines that stay left of its numbers (labels); a
 * line reaching into the number area (a heading, a header row, prose) ends
 * it. Page breaks do not: a table continued on the next page stays one run.
 */
export function buildTables(lines: Line[]): Table[] {
	const tables: Table[] = [];
	let pending: Line[] = [];
	let run: Run | undefined;

	const flushLoose = (ls: Line[]) => {
		if (ls.length === 0) return;
		const rows = looseRows(ls);
		if (rows.length) tables.push({ rows, exactCells: false });
	};
	const closeRun = () => {
		if (!run) return;
		// Label-area lines after the last value line: keep those that belong to it.
		let lastValue = run.lines.length - 1;
		while (lastValue >= 0 && !run.lines[lastValue].isValue) lastValue--;
		const trailing = run.lines.splice(lastValue + 1);
		const keep: Line[] = [];
		const last = run.lines[lastValue];
		// Wrapped label lines under the last row, or empty rows at the row pitch.
		const values = run.lines.filter((l) => l.isValue && l.page === last.page);
		const pitch = values.length > 1 ? last.yc - values[values.length - 2].yc : 0;
		let ref = last;
		for (const l of trailing) {
			if (l.page !== last.page || l.yc - ref.yc > Math.max(2.5 * ref.size, 1.25 * pitch)) break;
			keep.push(l);
			ref = l;
		}
		run.lines.push(...keep);
		tables.push({ rows: runRows(run), exactCells: true });
		pending = trailing.slice(keep.length);
		run = undefined;
	};

	for (const line of lines) {
		if (run) {
			if (line.isValue) {
				run.numericLeft = Math.min(run.numericLeft, ...line.values.map((v) => v.x0));
				run.lines.push(line);
				continue;
			}
			const right = Math.max(...line.segments.map((s) => s.x1));
			if (right < run.numericLeft - 0.5) {
				run.lines.push(line);
				continue;
			}
			closeRun();
			pending.push(line);
			continue;
		}
		if (!line.isValue) {
			pending.push(line);
			continue;
		}
		// A new run: pull back the label-area lines just above it.
		const numericLeft = Math.min(...line.values.map((v) => v.x0));
		let k = pending.length;
		while (k > 0) {
			const p = pending[k - 1];
			if (p.page !== line.page || p.vertical) break;
			const right = Math.max(...p.segments.map((s) => s.x1));
			if (right >= numericLeft - 0.5) break;
			k--;
		}
		let lead = pending.slice(k);
		const before = pending.slice(0, k);
		// Only lines close enough to be this row's label or a blank row above it.
		const kept: Line[] = [];
		let ref = line;
		for (let i = lead.length - 1; i >= 0; i--) {
			const p = lead[i];
			if (ref.yc - p.yc > 3 * Math.max(p.size, ref.size)) break;
			kept.unshift(p);
			ref = p;
		}
		before.push(...lead.slice(0, lead.length - kept.length));
		lead = kept;
		// Header: the stack of lines right above (reaching into the number area).
		const headerStacks = stacks(before.filter((l) => l.page === line.page));
		const header = headerStacks.length ? headerStacks[headerStacks.length - 1] : [];
		flushLoose(before);
		pending = [];
		run = { lines: [...lead, line], header, numericLeft };
	}
	if (run) closeRun();
	flushLoose(pending);
	return tables;
}
