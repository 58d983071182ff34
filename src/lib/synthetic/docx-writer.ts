import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../report/adapters/crc32';
import { packZip } from '../report/adapters/zip';
import type { CompleteRecord } from '../report/schema';
import { expandGrid, reportGrids, type TableGrid } from './layout';

/**
 * A minimal .docx writer for tests and benches: paragraphs (optionally a
 * heading style) and tables whose cells may span columns (w:gridSpan) or
 * rows (w:vMerge restart/continue), packed by the adapters' zip writer (deflate
 * from node:zlib). Node-only because of node:zlib, unlike the
 * rest of the generator; the page never imports it.
 */

export interface DocxCell {
	text: string;
	/** Columns this cell spans (w:gridSpan). */
	span?: number;
	/** Vertical merge: 'restart' starts a merged cell, 'continue' is covered by the one above. */
	vMerge?: 'restart' | 'continue';
}

/** A table row: its cells, or its cells with grid columns it skips before its first cell (w:gridBefore) and after its last (w:gridAfter). */
export type DocxRow = DocxCell[] | { cells: DocxCell[]; gridBefore?: number; gridAfter?: number };

export type DocxBlock = { p: string; style?: 'Title' | 'Heading1' | 'Heading2' } | { table: DocxRow[] };

// ---------------------------------------------------------------- zip

/** Files → a zip archive (deflate, no zip64, fixed timestamp). */
export function zip(files: { name: string; data: Uint8Array | string }[]): Uint8Array {
	const enc = new TextEncoder();
	return packZip(
		files.map((f) => {
			const raw = typeof f.data === 'string' ? enc.encode(f.data) : f.data;
			return { name: f.name, method: 8, crc: crc32(raw), data: new Uint8Array(deflateRawSync(raw)), size: raw.length };
		})
	);
}

// ---------------------------------------------------------------- docx

function esc(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function run(text: string): string {
	return text ? `<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r>` : '';
}

function paragraph(text: string, style?: string): string {
	const ppr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
	return `<w:p>${ppr}${run(text)}</w:p>`;
}

function table(printed: DocxRow[]): string {
	const rows = printed.map((r) => (Array.isArray(r) ? { cells: r } : r));
	const width = Math.max(...rows.map((r) => (r.gridBefore ?? 0) + r.cells.reduce((n, c) => n + (c.span ?? 1), 0) + (r.gridAfter ?? 0)));
	const grid = `<w:tblGrid>${'<w:gridCol w:w="800"/>'.repeat(width)}</w:tblGrid>`;
	const body = rows
		.map((r) => {
			const skips = (r.gridBefore ? `<w:gridBefore w:val="${r.gridBefore}"/>` : '') + (r.gridAfter ? `<w:gridAfter w:val="${r.gridAfter}"/>` : '');
			const cells = r.cells
				.map((c) => {
					const props =
						(c.span && c.span > 1 ? `<w:gridSpan w:val="${c.span}"/>` : '') +
						(c.vMerge === 'restart' ? '<w:vMerge w:val="restart"/>' : c.vMerge === 'continue' ? '<w:vMerge/>' : '');
					// Every cell holds a paragraph, as Word writes it; an empty cell has an empty one.
					const text = c.vMerge === 'continue' ? '' : c.text;
					return `<w:tc><w:tcPr><w:tcW w:w="${800 * (c.span ?? 1)}" w:type="dxa"/>${props}</w:tcPr>${paragraph(text)}</w:tc>`;
				})
				.join('');
			return `<w:tr>${skips ? `<w:trPr>${skips}</w:trPr>` : ''}${cells}</w:tr>`;
		})
		.join('');
	return `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>${grid}${body}</w:tbl>`;
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>
</w:styles>`;

/** Blocks → .docx bytes. */
export function writeDocx(blocks: DocxBlock[]): Uint8Array {
	const body = blocks.map((b) => ('table' in b ? table(b.table) + paragraph('') : paragraph(b.p, b.style))).join('');
	const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`;
	return zip([
		{
			name: '[Content_Types].xml',
			data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`
		},
		{
			name: '_rels/.rels',
			data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
		},
		{
			name: 'word/_rels/document.xml.rels',
			data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`
		},
		{ name: 'word/styles.xml', data: STYLES },
		{ name: 'word/document.xml', data: document }
	]);
}

// ---------------------------------------------------------------- generated reports

/** A generator table → Word rows: horizontal spans as gridSpan, vertical ones as vMerge; values as `print` writes them. */
function gridRows(grid: TableGrid, print: (value: number) => string = String): DocxCell[][] {
	const positions = expandGrid(grid);
	const origin = new Map<object, { r: number; c: number }>();
	positions.forEach((row, r) => row.forEach((cell, c) => cell && origin.set(cell, { r, c })));
	// Which origin covers each null position.
	const cover: ReturnType<typeof expandGrid>[number][number][][] = positions.map((row) => row.slice());
	for (const [cell, { r, c }] of origin)
		for (let dr = 0; dr < (cell as { rowspan: number }).rowspan; dr++)
			for (let dc = 0; dc < (cell as { colspan: number }).colspan; dc++) if (cover[r + dr]) cover[r + dr][c + dc] = cell as never;
	return positions.map((row, r) => {
		const out: DocxCell[] = [];
		for (let c = 0; c < row.length; ) {
			const cell = cover[r][c]!;
			const { colspan, rowspan } = cell;
			const start = origin.get(cell)!;
			const text = cell.role === 'value' ? print(cell.value) : cell.text;
			if (start.r === r) out.push({ text, span: colspan, vMerge: rowspan > 1 ? 'restart' : undefined });
			else out.push({ text: '', span: colspan, vMerge: 'continue' });
			c += colspan;
		}
		return out;
	});
}

/**
 * A generated record as a Word report: title, statistics period and the three tables; `before` goes above the title (page furniture),
 * `print` writes each value (default: its digits).
 */
export function recordDocx(record: CompleteRecord, before: DocxBlock[] = [], print?: (value: number) => string): Uint8Array {
	const grids = reportGrids(record);
	const blocks: DocxBlock[] = [
		...before,
		{ p: `${record.agency}${record.year}年政府信息公开工作年度报告`, style: 'Title' },
		{ p: `本报告所列数据统计期限自${record.year}年1月1日起至${record.year}年12月31日止。（合成样例数据）` },
		{ p: '二、主动公开政府信息情况', style: 'Heading1' }
	];
	if (grids.active) blocks.push({ table: gridRows(grids.active, print) });
	blocks.push({ p: '三、收到和处理政府信息公开申请情况', style: 'Heading1' });
	if (grids.requests) blocks.push({ table: gridRows(grids.requests, print) });
	blocks.push({ p: '四、政府信息公开行政复议、行政诉讼情况', style: 'Heading1' });
	if (grids.cases) blocks.push({ table: gridRows(grids.cases, print) });
	return writeDocx(blocks);
}
