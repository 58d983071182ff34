import type { ReportDocument } from '../../document';
import { ReportError } from '../../errors';
import { buildLines, isFurniture, lineText, type Item, type Line, type PageBox } from './lines';
import { brokenPdf, readPdf } from './load';
import { buildTables } from './tables';

/**
 * PDF adapter: a text-layer PDF → ReportDocument, via pdf.js (pdfjs-dist
 * 5.6.205, legacy build — newer builds crash on Node 20).
 *
 * A PDF has no tables, only positioned text. The tables are rebuilt here:
 * text items → visual lines (by vertical centre, tolerance from the font
 * size) → segments (items joined across small gaps) → runs of value lines
 * (lines ending in numbers) → rows whose cells are the label text and one
 * cell per number column, '' where the PDF simply has no item (an empty
 * cell). Columns come from the x extents of the numbers of the whole run and
 * from the header cells above it, so a row that has only 自然人 and 总计
 * still gets 7 cells with the two numbers in the right places.
 *
 * Layout problems handled here rather than in the mapping (report-format.md
 * §9.3): labels wrapped over two or three lines with the numbers on another
 * line; merged-cell labels ("（三）不予公开") floating between rows; vertical
 * labels ("三、本年度办理结果"); header cells stacked one fragment per line
 * ("商业 / 企业", "结 / 果 / 维 / 持"); page-number footers ("- 3 -") and
 * page breaks in the middle of a table, which continues without its header.
 *
 * load.ts reads the text items out of pdf.js, lines.ts groups them into
 * lines, tables.ts rebuilds the tables (header.ts their stacked headers);
 * this file joins them.
 */

export { configurePdf, type PdfOptions } from './load';

/** PDF bytes → ReportDocument. Throws ReportError for scanned, encrypted and broken files. */
export async function pdfAdapter(bytes: Uint8Array, _fileName = ''): Promise<ReportDocument> {
	const { items, pageBox, infoTitle } = await readPdf(bytes);
	try {
		return toDocument(items, pageBox, infoTitle);
	} catch (e) {
		if (e instanceof ReportError) throw e;
		throw brokenPdf(e);
	}
}

/** Positioned items → document. */
function toDocument(items: Item[], pageBox: PageBox[], infoTitle?: string): ReportDocument {
	const all = buildLines(items);
	const lines = all.filter((l) => !isFurniture(l, pageBox[l.page]));
	const meaningful = lines.reduce((n, l) => n + lineText(l).replace(/[^\p{L}\p{N}]/gu, '').length, 0);
	if (meaningful < 10) throw new ReportError('no_tables', 'scanned PDF: no text layer; OCR is not supported');

	const tables = buildTables(lines);
	const inRuns = new Set<Line>();
	for (const l of lines) if (l.isValue) inRuns.add(l);
	const prose = lines
		.filter((l) => !inRuns.has(l))
		.map(lineText)
		.filter(Boolean);

	// Titles: the largest lines at the top of the first page, joined.
	const titles: string[] = [];
	const first = lines.filter((l) => l.page === 0 && !l.vertical && l.yc - pageBox[0].top < pageBox[0].height * 0.5);
	if (first.length) {
		const sizes = first.map((l) => l.size).sort((a, b) => a - b);
		const median = sizes[Math.floor(sizes.length / 2)];
		const max = sizes[sizes.length - 1];
		const big: Line[] = [];
		if (max >= median * 1.15)
			for (const l of first) {
				if (l.size >= max * 0.9) big.push(l);
				else if (big.length) break;
			}
		if (big.length) titles.push(big.map(lineText).join(''));
	}
	if (infoTitle?.trim()) titles.push(infoTitle.trim());
	return { lines: prose, tables, titles };
}
