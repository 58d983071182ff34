import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { configurePdf, pdfAdapter } from '../src/lib/report/adapters/pdf/index';
import { parseReportFile, ReportError } from '../src/lib/report/index';
import { comparable, corpusCases, hasCorpus } from './corpus';
import { factsOf } from '../src/lib/dataset/tables';
import { centred, writePdf, type PdfPage, type PdfText } from '../src/lib/synthetic/pdf-writer';
import { ACTIVE_ROWS, EXPECTED, GROUP_LABELS, T3, T4_VALUES, type V } from './helpers/report-figures';

registerDocumentAdapters();

async function parseError(bytes: Uint8Array, name: string): Promise<ReportError> {
	try {
		await parseReportFile(bytes, name);
	} catch (e) {
		expect(e).toBeInstanceOf(ReportError);
		return e as ReportError;
	}
	throw new Error(`${name} parsed without an error`);
}

// ---------------------------------------------------------------- real PDFs

describe.skipIf(!hasCorpus)('real PDFs in ../shared/corpus/reports', () => {
	for (const c of corpusCases('reports', ['.pdf'])) {
		it(`${c.name} equals its truth file`, async () => {
			const parsed = await parseReportFile(new Uint8Array(readFileSync(c.file)), c.name);
			expect(comparable(parsed)).toEqual(comparable(c.truth));
		});
	}

	it('hongze-gov-2023.pdf: table 三 rows get 7 cells each across the page break, labels unwrapped', async () => {
		const c = corpusCases('reports', ['.pdf']).find((x) => x.name === 'hongze-gov-2023.pdf')!;
		const doc = await pdfAdapter(new Uint8Array(readFileSync(c.file)), c.name);
		const rows = doc.tables.flatMap((t) => t.rows.map((r) => r.map((x) => x.text)));
		expect(rows).toContainEqual(['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '4', '0', '0', '0', '0', '0', '4']);
		expect(rows).toContainEqual(['3.补正后申请内容仍不明确', '0', '0', '0', '0', '0', '0', '0']);
		expect(rows).toContainEqual(['5.要求行政机关确认或重新出具已获取信息', '0', '0', '0', '0', '0', '0', '0']);
		expect(rows).toContainEqual(['10', '1', '0', '0', '0', '0', '0', '0', '0', '0', '5', '0', '0', '0', '0']);
		expect(doc.lines.some((l) => /^-\s*\d+\s*-$/.test(l))).toBe(false);
	});

	it('hongze-gov-2023.pdf: each number’s page (table 三 starts on page 3 and breaks before 3.补正后申请内容仍不明确)', async () => {
		const c = corpusCases('reports', ['.pdf']).find((x) => x.name === 'hongze-gov-2023.pdf')!;
		const parsed = await parseReportFile(new Uint8Array(readFileSync(c.file)), c.name);
		const page = (path: string) => parsed.provenance?.[path]?.page;
		expect(page('active.licensing.decisions')).toBe(2);
		expect(page('active.punishment.decisions')).toBe(3);
		expect(page('requests.granted.total')).toBe(3);
		expect(page('requests.unable_not_held.total')).toBe(3);
		expect(page('requests.unable_unclear.natural')).toBe(4);
		expect(page('requests.total_processed.total')).toBe(4);
		expect(page('litigation_direct.total')).toBe(4);
	});
});

// ---------------------------------------------------------------- generated PDFs

const SIZE = 9;
const LINE = 12;

/** Fills pages top to bottom; a page break writes the footer "- n -". */
class Pages {
	readonly pages: PdfPage[] = [];
	y = 0;
	constructor() {
		this.newPage();
	}
	get texts(): PdfText[] {
		return this.pages[this.pages.length - 1].texts!;
	}
	newPage(): void {
		if (this.pages.length) this.footer();
		this.pages.push({ texts: [] });
		this.y = 780;
	}
	footer(): void {
		this.texts.push(centred(`- ${this.pages.length} -`, 297.5, 40, 12));
	}
	text(x: number, text: string, size = SIZE, gap = 1.5 * size): void {
		this.y -= gap;
		this.texts.push({ x, y: this.y, text, size });
	}
}

const PAGE_BREAK_BEFORE = 'unable_unclear';
const T3_COLUMNS = [330, 362, 394, 426, 458, 490, 525];

/** A complete 2021-template report laid out like a Word export, with the layout problems of real PDFs. */
function reportPdf(): Uint8Array {
	const p = new Pages();
	p.y = 800;
	p.texts.push(centred('测试县人民政府', 297.5, (p.y -= 30), 20));
	p.texts.push(centred('2023 年政府信息公开工作年度报告', 297.5, (p.y -= 28), 20));
	p.y -= 10;
	for (const line of [
		'本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限',
		'自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。',
		'二、主动公开政府信息情况'
	])
		p.text(60, line, 14, 24);

	// Table 二: four blocks, each with a full-width heading and a header row.
	const block = (heading: string, header: { text: string[]; centre: number }[], rows: [string, V[]][]) => {
		p.texts.push(centred(heading, 297.5, (p.y -= 26)));
		p.y -= 22;
		const top = p.y;
		p.texts.push({ x: 90, y: top, text: '信息内容', size: SIZE });
		for (const h of header) h.text.forEach((t, i) => p.texts.push(centred(t, h.centre, top - i * 11)));
		p.y = top - (Math.max(...header.map((h) => h.text.length)) - 1) * 11;
		for (const [label, values] of rows) {
			p.y -= 22;
			p.texts.push({ x: 60, y: p.y, text: label, size: SIZE });
			values.forEach((v, i) => v !== null && p.texts.push(centred(String(v), header[i].centre, p.y, 10)));
		}
	};
	block(
		'第二十条第（一）项',
		[
			{ text: ['本年制发件数'], centre: 300 },
			{ text: ['本年废止件数'], centre: 400 },
			{ text: ['现行有效', '件数'], centre: 500 }
		],
		ACTIVE_ROWS
	);
	block('第二十条第（五）项', [{ text: ['本年处理决定数量'], centre: 400 }], [['行政许可', [120]]]);
	block(
		'第二十条第（六）项',
		[{ text: ['本年处理决定数量'], centre: 400 }],
		[
			['行政处罚', [45]],
			['行政强制', [6]]
		]
	);
	block('第二十条第（八）项', [{ text: ['本年收费金额（单位：万元）'], centre: 400 }], [['行政事业性收费', [12.5]]]);

	// Table 三 header: spanning cells, stacked fragments.
	p.newPage();
	p.text(60, '三、收到和处理政府信息公开申请情况', 14, 34);
	p.texts.push(centred('申请人情况', 428, (p.y -= 24)));
	p.texts.push(centred('法人或其他组织', 426, (p.y -= 16)));
	const headTop = p.y - 14;
	p.texts.push({ x: 60, y: headTop, text: '（本列数据的勾稽关系为：第一项加第二项之', size: SIZE });
	p.texts.push({ x: 60, y: headTop - 11, text: '和，等于第三项加第四项之和）', size: SIZE });
	const leaves = [['自然人'], ['商业', '企业'], ['科研', '机构'], ['社会', '公益', '组织'], ['法律', '服务', '机构'], ['其他'], ['总计']];
	leaves.forEach((parts, i) => parts.forEach((t, k) => p.texts.push(centred(t, T3_COLUMNS[i], headTop - k * 11))));
	p.y = headTop - 2 * 11 - 6;

	// Table 三 rows. Row height follows the label lines; numbers sit in the middle (or on the first line).
	const placed: { key: string; page: number; top: number; bottom: number; group?: string }[] = [];
	for (const row of T3) {
		if (row.key === PAGE_BREAK_BEFORE) p.newPage();
		const lines = row.lines;
		const height = Math.max(1, lines.length) * LINE + 8;
		const top = p.y;
		const x = row.col === 'a' ? 60 : row.col === 'b' ? 90 : 170;
		lines.forEach((t, i) => {
			const y = top - 4 - SIZE - i * LINE;
			if (row.key === 'carried_forward') {
				// Spread out: one item per character, a quarter em apart.
				[...t].forEach((ch, k) => p.texts.push({ x: x + k * 1.25 * SIZE, y, text: ch, size: SIZE }));
			} else if (row.key === 'total_processed') p.texts.push({ x, y, text: '（七）总   计', size: SIZE });
			else p.texts.push({ x, y, text: t, size: SIZE });
		});
		const base = row.top ? top - 4 - SIZE : top - height / 2 - 3.5;
		row.v.forEach((v, i) => v !== null && p.texts.push(centred(String(v), T3_COLUMNS[i], base, 10)));
		placed.push({ key: row.key, page: p.pages.length - 1, top, bottom: top - height, group: row.group });
		p.y = top - height;
	}
	// Merged cells: group labels float in the middle of their rows (on the page where the group starts).
	for (const [group, label] of Object.entries(GROUP_LABELS)) {
		const rows = placed.filter((r) => r.group === group);
		const here = rows.filter((r) => r.page === rows[0].page);
		const mid = (here[0].top + here[here.length - 1].bottom) / 2;
		p.pages[rows[0].page].texts!.push({ x: 90, y: mid - 3.5, text: label, size: SIZE });
	}
	// The vertical 三、本年度办理结果, top to bottom in column A.
	const granted = placed.find((r) => r.key === 'granted')!;
	p.pages[granted.page].texts!.push({ x: 66, y: granted.top - 40, text: '三、本年度办理结果', size: SIZE, vertical: true });

	// Table 四: one character per line in the leaf headers, an empty cell.
	p.text(60, '四、政府信息公开行政复议、行政诉讼情况', 14, 40);
	const cols = Array.from({ length: 15 }, (_, i) => 70 + i * 32);
	const mid = (a: number, b: number) => (cols[a] + cols[b]) / 2;
	p.texts.push(centred('行政复议', mid(0, 4), (p.y -= 26)));
	p.texts.push(centred('行政诉讼', mid(5, 14), p.y));
	p.texts.push(centred('未经复议直接起诉', mid(5, 9), (p.y -= 18)));
	p.texts.push(centred('复议后起诉', mid(10, 14), p.y));
	const heads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
	const top4 = p.y - 18;
	cols.forEach((c, i) => [...heads[i % 5]].forEach((ch, k) => p.texts.push(centred(ch, c, top4 - k * 11))));
	p.y = top4 - 3 * 11 - 22;
	T4_VALUES.forEach((v, i) => v !== null && p.texts.push(centred(String(v), cols[i], p.y, 10)));

	p.text(60, '五、存在的主要问题及改进情况', 14, 40);
	p.text(60, '存在的问题在此从略。', 14, 24);
	p.text(60, '六、其他需要报告的事项', 14, 24);
	// A sentence whose number is its own text item: prose, not a table row.
	p.y -= 24;
	p.texts.push({ x: 60, y: p.y, text: '全年收取信息处理费', size: 14 });
	p.texts.push({ x: 60 + 9 * 14 + 3, y: p.y, text: '0', size: 14 });
	p.texts.push({ x: 60 + 9 * 14 + 3 + 7.8 + 3, y: p.y, text: '元。', size: 14 });
	p.footer();
	return writePdf({ pages: p.pages, title: '测试县人民政府2023年政府信息公开工作年度报告' });
}

describe('generated PDFs', () => {
	it('the writer makes PDFs whose Chinese text pdf.js extracts (bundled CMaps, no embedded font)', async () => {
		const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const bytes = writePdf({
			pages: [
				{
					texts: [
						{ x: 72, y: 700, text: '洪泽区人民政府 2023 年', size: 16 },
						{ x: 72, y: 650, text: 'Total 42', size: 12 },
						{ x: 40, y: 640, text: '三、本年度办理结果', size: 10, vertical: true }
					]
				}
			]
		});
		const doc = await pdfjs.getDocument({
			data: bytes,
			cMapUrl: `${process.cwd()}/node_modules/pdfjs-dist/cmaps/`,
			standardFontDataUrl: `${process.cwd()}/node_modules/pdfjs-dist/standard_fonts/`,
			verbosity: 0
		}).promise;
		const content = await (await doc.getPage(1)).getTextContent();
		const strs = content.items.map((i) => ('str' in i ? i.str : '')).filter((s) => s.trim());
		expect(strs).toEqual(['洪泽区人民政府 2023 年', 'Total 42', '三︑本年度办理结果']);
		await doc.destroy();
	});

	it('a three-page report: table 三 split with footer, wrapped and floating labels, blank cells → exact record', async () => {
		const parsed = await parseReportFile(reportPdf(), 'generated.pdf');
		expect(comparable(parsed)).toEqual(EXPECTED);
		// Blank cells are blank, not missing: no cells_missing/extra issues, no rows taken by order.
		expect(parsed.issues.filter((i) => /cells_|row_by_order|row_unknown|row_missing/.test(i.code))).toEqual([]);
	});

	it('every number’s provenance names the page it is printed on, across the page break inside table 三', async () => {
		const parsed = await parseReportFile(reportPdf(), 'generated.pdf');
		const pages = (prefix: string) =>
			new Set(
				Object.entries(parsed.provenance ?? {})
					.filter(([path]) => path.startsWith(prefix))
					.map(([, p]) => p.page)
			);
		// Page 1: title, prose and table 二; page 2: table 三 up to the break; page 3: the rest of 三, and 四.
		expect(pages('active.')).toEqual(new Set([1]));
		expect(pages('requests.granted.')).toEqual(new Set([2]));
		expect(pages('requests.unable_not_held.')).toEqual(new Set([2]));
		expect(pages(`requests.${PAGE_BREAK_BEFORE}.`)).toEqual(new Set([3]));
		expect(pages('requests.total_processed.')).toEqual(new Set([3]));
		expect(pages('review.')).toEqual(new Set([3]));
		expect(pages('litigation_after_review.')).toEqual(new Set([3]));
		// Every cell has one: a PDF row is a printed line on one page.
		expect(Object.values(parsed.provenance ?? {}).every((p) => Number.isInteger(p.page))).toBe(true);
		// ingest keeps it in facts.
		const facts = factsOf('x', parsed, parsed.provenance);
		expect(facts.find((f) => f.row_key === PAGE_BREAK_BEFORE && f.column_key === 'total')?.page).toBe(3);
		expect(facts.find((f) => f.row_key === 'granted' && f.column_key === 'total')?.page).toBe(2);
	});

	it('rows reach the mapping with one cell per column, blanks as ""', async () => {
		const doc = await pdfAdapter(reportPdf(), 'generated.pdf');
		const rows = doc.tables.flatMap((t) => t.rows.map((r) => r.map((c) => c.text)));
		expect(rows).toContainEqual(['二、上年结转政府信息公开申请数量', '3', '', '', '', '', '', '3']);
		expect(rows).toContainEqual(['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '4', '0', '0', '0', '0', '0', '4']);
		expect(rows).toContainEqual(['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '', '', '', '', '', '', '']);
		expect(rows).toContainEqual(['5.要求行政机关确认或重新出具已获取信息', '1', '0', '0', '0', '1', '0', '2']);
		expect(rows).toContainEqual(['规章', '', '', '3']);
		// A label spaced out over two items stays label text (the mapping joins a row's label cells).
		const total = rows.find((r) => r.slice(0, -7).join('') === '（七）总计');
		expect(total?.slice(-7)).toEqual(['31', '2', '0', '0', '1', '0', '34']);
		expect(rows).toContainEqual(['四、结转下年度继续办理', '2', '0', '0', '0', '0', '0', '2']);
		expect(rows).toContainEqual(['2', '1', '0', '1', '4', '1', '0', '', '0', '1', '0', '0', '0', '1', '1']);
		// Stacked header fragments are joined per column.
		expect(rows).toContainEqual(['信息内容', '本年制发件数', '本年废止件数', '现行有效件数']);
		expect(
			rows.some(
				(r) => r.join('|') === '结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计'
			)
		).toBe(true);
		// Page numbers are gone; the prose sentence with a separate "0" item stays prose.
		expect(doc.lines).not.toContain('- 1 -');
		expect(doc.lines).toContain('全年收取信息处理费0元。');
		expect(doc.titles[0]).toBe('测试县人民政府2023 年政府信息公开工作年度报告');
	});

	it('configurePdf takes file: URLs for the CMaps and standard fonts in Node', async () => {
		const dir = join(process.cwd(), 'node_modules', 'pdfjs-dist');
		configurePdf({
			cMapUrl: pathToFileURL(join(dir, 'cmaps')).href,
			standardFontDataUrl: pathToFileURL(join(dir, 'standard_fonts')).href + '/'
		});
		const parsed = await parseReportFile(reportPdf(), 'generated.pdf');
		expect(comparable(parsed)).toEqual(EXPECTED);
	});

	it('a table continued on a page whose columns sit a few points off keeps 7 cells a row', async () => {
		const pages: PdfPage[] = [0, 12].map((shift, p) => ({
			texts: [0, 1, 2].flatMap((r) => [
				{ x: 60, y: 700 - r * 20, text: `第${p + 1}页第${r + 1}行`, size: SIZE },
				...[0, 1, 2, 3, 4, 5, 6].map((k) => ({ x: 300 + shift + k * 30, y: 700 - r * 20, text: String(r + k), size: SIZE }))
			])
		}));
		const doc = await pdfAdapter(writePdf({ pages }));
		const rows = doc.tables.flatMap((t) => t.rows.map((r) => r.map((c) => c.text)));
		expect(rows).toContainEqual(['第1页第3行', '2', '3', '4', '5', '6', '7', '8']);
		expect(rows).toContainEqual(['第2页第3行', '2', '3', '4', '5', '6', '7', '8']);
	});

	it('a PDF without a text layer (scanned pages, page numbers only) → no_tables', async () => {
		const bytes = writePdf({ pages: [{ scan: true, texts: [{ x: 290, y: 30, text: '- 1 -', size: 10 }] }, { scan: true }] });
		const err = await parseError(bytes, 'scan.pdf');
		expect(err.code).toBe('no_tables');
		expect(err.message).toBe('scanned PDF: no text layer; OCR is not supported');
	});

	it('a corrupt PDF → unreadable, "broken PDF"', async () => {
		const junk = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%garbage\u0001\u0002\u0003 no xref here');
		const err = await parseError(junk, 'broken.pdf');
		expect(err.code).toBe('unreadable');
		expect(err.message).toMatch(/^broken PDF: /);
		// A real file cut in half is also refused or read, never a crash.
		const half = reportPdf().slice(0, 3000);
		const e2 = await parseError(half, 'half.pdf');
		expect(['unreadable', 'no_tables', 'not_report']).toContain(e2.code);
	});

	it('an encrypted PDF (user password) → unreadable, "encrypted PDF"', async () => {
		const bytes = writePdf({ encrypted: true, pages: [{ texts: [{ x: 72, y: 700, text: '秘密' }] }] });
		const err = await parseError(bytes, 'locked.pdf');
		expect(err.code).toBe('unreadable');
		expect(err.message).toMatch(/^encrypted PDF: /);
	});
});
