import { describe, expect, it } from 'vitest';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { docxAdapter } from '../src/lib/report/adapters/docx';
import { parseReportFile, ReportError } from '../src/lib/report/index';
import { comparable, corpusCases, hasCorpus } from './corpus';
import { writeDocx, zip, type DocxBlock, type DocxCell, type DocxRow } from '../src/lib/synthetic/docx-writer';
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

const c = (text: string, span?: number, vMerge?: DocxCell['vMerge']): DocxCell => ({ text, span, vMerge });
const v = (x: V): DocxCell => c(x === null ? '' : String(x));

/** The generated report as a Word document: merged header and label cells, empty cells. */
export function reportDocx(): Uint8Array {
	const active: DocxCell[][] = [
		[c('第二十条第（一）项', 4)],
		[c('信息内容'), c('本年制发件数'), c('本年废止件数'), c('现行有效件数')],
		...ACTIVE_ROWS.map(([label, values]) => [c(label), ...values.map(v)]),
		[c('第二十条第（五）项', 4)],
		[c('信息内容'), c('本年处理决定数量', 3)],
		[c('行政许可'), c('120', 3)],
		[c('第二十条第（六）项', 4)],
		[c('信息内容'), c('本年处理决定数量', 3)],
		[c('行政处罚'), c('45', 3)],
		[c('行政强制'), c('6', 3)],
		[c('第二十条第（八）项', 4)],
		[c('信息内容'), c('本年收费金额（单位：万元）', 3)],
		[c('行政事业性收费'), c('12.5', 3)]
	];

	const requests: DocxCell[][] = [
		[c('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 'restart'), c('申请人情况', 7)],
		[c('', 3, 'continue'), c('自然人', 1, 'restart'), c('法人或其他组织', 5), c('总计', 1, 'restart')],
		[c('', 3, 'continue'), c('', 1, 'continue'), c('商业企业'), c('科研机构'), c('社会公益组织'), c('法律服务机构'), c('其他'), c('', 1, 'continue')]
	];
	const outcomes = T3.filter((r) => r.col !== 'a');
	for (const row of T3) {
		const label = row.lines.join('');
		const values = row.v.map(v);
		if (row.col === 'a') {
			requests.push([c(label, 3), ...values]);
			continue;
		}
		const cells: DocxCell[] = [];
		// 三、本年度办理结果: one vertical cell over every outcome row.
		cells.push(c('三、本年度办理结果', 1, row === outcomes[0] ? 'restart' : 'continue'));
		if (row.col === 'b') cells.push(c(label, 2));
		else {
			const group = T3.filter((r) => r.group === row.group);
			cells.push(c(GROUP_LABELS[row.group!], 1, row === group[0] ? 'restart' : 'continue'), c(label));
		}
		requests.push([...cells, ...values]);
	}

	const heads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
	const cases: DocxCell[][] = [
		[c('行政复议', 5), c('行政诉讼', 10)],
		[...heads.map((h) => c(h, 1, 'restart')), c('未经复议直接起诉', 5), c('复议后起诉', 5)],
		[...heads.map(() => c('', 1, 'continue')), ...heads.map((h) => c(h)), ...heads.map((h) => c(h))],
		T4_VALUES.map(v)
	];

	const blocks: DocxBlock[] = [
		{ p: '测试县人民政府2023年政府信息公开工作年度报告', style: 'Title' },
		{ p: '本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2023年1月1日起至2023年12月31日止。' },
		{ p: '二、主动公开政府信息情况', style: 'Heading1' },
		{ table: active },
		{ p: '三、收到和处理政府信息公开申请情况', style: 'Heading1' },
		{ table: requests },
		{ p: '四、政府信息公开行政复议、行政诉讼情况', style: 'Heading1' },
		{ table: cases },
		{ p: '五、存在的主要问题及改进情况', style: 'Heading1' },
		{ p: '存在的问题在此从略。' },
		{ p: '六、其他需要报告的事项', style: 'Heading1' },
		{ p: '全年收取信息处理费0元。' }
	];
	return writeDocx(blocks);
}

describe('generated Word documents', () => {
	it('a .docx report with merged cells (gridSpan, vMerge) and empty cells → exact record', async () => {
		const parsed = await parseReportFile(reportDocx(), 'generated.docx');
		expect(comparable(parsed)).toEqual(EXPECTED);
		expect(parsed.issues.filter((i) => /cells_|row_by_order|row_unknown|row_missing/.test(i.code))).toEqual([]);
	});

	it('merged cells arrive as rowspan/colspan, empty cells as empty cells', async () => {
		const doc = await docxAdapter(reportDocx(), 'generated.docx');
		const cells = doc.tables.flatMap((t) => t.rows.flat());
		expect(cells.find((x) => x.text === '三、本年度办理结果')).toMatchObject({ rowspan: T3.filter((r) => r.col !== 'a').length, colspan: 1 });
		expect(cells.find((x) => x.text === '（三）不予公开')).toMatchObject({ rowspan: 8 });
		expect(cells.find((x) => x.text === '申请人情况')).toMatchObject({ colspan: 7 });
		const rows = doc.tables.flatMap((t) => t.rows.map((r) => r.map((x) => x.text)));
		expect(rows).toContainEqual(['二、上年结转政府信息公开申请数量', '3', '', '', '', '', '', '3']);
		expect(rows).toContainEqual(['规章', '', '', '3']);
		expect(doc.titles).toContain('测试县人民政府2023年政府信息公开工作年度报告');
	});

	it('a zip that is not a Word document → unreadable', async () => {
		const bytes = zip([{ name: 'mimetype', data: 'application/epub+zip' }]);
		const err = await parseError(bytes, 'book.docx');
		expect(err.code).toBe('unreadable');
		expect(err.message).toMatch(/^not a Word document: /);
	});

	it('a broken .docx (truncated zip) → unreadable', async () => {
		const err = await parseError(reportDocx().slice(0, 200), 'cut.docx');
		expect(err.code).toBe('unreadable');
	});

	it('a legacy .doc → unsupported_format, asking for .docx', async () => {
		const ole = new Uint8Array(1024);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		const err = await parseError(ole, 'old.doc');
		expect(err.code).toBe('unsupported_format');
		expect(err.message).toBe('旧版 Word (.doc) 文件：请另存为 .docx 后再导入 (convert .doc to .docx)');
	});

	it('a password-protected .docx (an OLE EncryptedPackage) → unreadable, encrypted', async () => {
		const ole = new Uint8Array(2048);
		ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		const name = 'EncryptedPackage';
		for (let i = 0; i < name.length; i++) ole[1024 + 2 * i] = name.charCodeAt(i);
		const err = await parseError(ole, 'locked.docx');
		expect(err.code).toBe('unreadable');
		expect(err.message).toMatch(/^encrypted Word file: /);
	});
});

describe.skipIf(!hasCorpus)('real Word documents in ../shared/corpus', () => {
	const cases = corpusCases('reports', ['.docx']);
	// Pending, not passed, while the corpus has no .docx: the generated documents below stand in.
	if (cases.length === 0) it.todo('a real .docx report equals its truth file (../shared/corpus/reports has none yet)');
	for (const k of cases) {
		it(`${k.name} equals its truth file`, async () => {
			const { readFileSync } = await import('node:fs');
			const parsed = await parseReportFile(new Uint8Array(readFileSync(k.file)), k.name);
			expect(comparable(parsed)).toEqual(comparable(k.truth));
		});
	}
});

describe('generated reports as Word files', () => {
	it('parse back to their records (both templates)', async () => {
		const { recordDocx } = await import('../src/lib/synthetic/docx-writer');
		const { generateRecord } = await import('../src/lib/synthetic/index');
		const { comparable } = await import('./corpus');
		for (let seed = 1; seed <= 6; seed++) {
			const record = generateRecord(seed, { template: seed % 2 ? '2019' : '2021' });
			const parsed = await parseReportFile(recordDocx(record), `generated-${seed}.docx`);
			expect(comparable(parsed)).toEqual(comparable(record));
		}
	});

	it('with counts written in Chinese numerals (十二, 〇) read as printed, each named in an info issue', async () => {
		const { recordDocx } = await import('../src/lib/synthetic/docx-writer');
		const { generateRecord } = await import('../src/lib/synthetic/index');
		const { chineseOf } = await import('./helpers/chinese');
		for (const seed of [3, 4]) {
			const record = generateRecord(seed, { template: seed % 2 ? '2019' : '2021' });
			const print = (v: number) => (v === 0 ? '〇' : Number.isInteger(v) && v > 0 && v % 3 !== 0 ? chineseOf(v) : String(v));
			const parsed = await parseReportFile(recordDocx(record, [], print), `numerals-${seed}.docx`);
			expect(comparable(parsed)).toEqual(comparable(record));
			expect(parsed.issues.filter((i) => i.code === 'chinese_numeral').length).toBeGreaterThan(10);
		}
	});
});

describe('a Word row that skips grid columns (w:gridBefore, w:gridAfter)', () => {
	it("each cell stands under its own grid column: a merge continued in a shifted row is its own column's, and the skipped columns are no cell", async () => {
		const bytes = writeDocx([
			{
				table: [
					[{ text: '甲', vMerge: 'restart' }, { text: '乙', vMerge: 'restart' }, { text: '丙' }, { text: '丁' }],
					{ cells: [{ text: '', vMerge: 'continue' }, { text: '丙2' }, { text: '丁2' }], gridBefore: 1 },
					{ cells: [{ text: '甲3' }, { text: '乙3' }], gridAfter: 2 }
				]
			}
		]);
		const doc = await docxAdapter(bytes, 'grid.docx');
		const rows = doc.tables[0].rows.map((r) => r.map((c) => [c.text, c.rowspan, c.colspan, c.skipped ?? false]));
		// 乙 spans two rows (the continued cell stands under it), not 甲; the skipped column is a marked empty cell, in no prose line.
		expect(rows).toEqual([
			[
				['甲', 1, 1, false],
				['乙', 2, 1, false],
				['丙', 1, 1, false],
				['丁', 1, 1, false]
			],
			[
				['', 1, 1, true],
				['丙2', 1, 1, false],
				['丁2', 1, 1, false]
			],
			[
				['甲3', 1, 1, false],
				['乙3', 1, 1, false]
			]
		]);
		expect(doc.lines).toEqual(['甲', '乙', '丙', '丁', '丙2', '丁2', '甲3', '乙3']);
	});

	it('a transposed table 三 whose second header row skips the columns under its taller labels is read exactly', async () => {
		const { generateRecord } = await import('../src/lib/synthetic/index');
		const { reportPage } = await import('./helpers/html-report');
		for (const seed of [11, 12]) {
			const record = generateRecord(seed, { template: seed % 2 ? '2021' : '2019' });
			const page = reportPage(record, { transposed: true });
			const tables = [...page.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((m) => m[1]);
			const blocks: DocxBlock[] = [
				{ p: `${record.agency}${record.year}年政府信息公开工作年度报告`, style: 'Title' },
				{ p: `统计期限自${record.year}年1月1日起至${record.year}年12月31日止。` }
			];
			for (const [i, html] of tables.entries()) {
				blocks.push({ p: ['二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况'][Math.min(i, 2)] });
				const rows = wordRows(html);
				// The header's second row: the columns under 申请人情况 and the labels two rows tall are skipped, not continued.
				if (i === 1) {
					const first = rows[1] as DocxCell[];
					const lead = first.findIndex((c) => c.vMerge !== 'continue');
					rows[1] = { cells: first.slice(lead), gridBefore: first.slice(0, lead).reduce((n, c) => n + (c.span ?? 1), 0) };
					for (const c of rows[0] as DocxCell[]) if (c.vMerge === 'restart' && (rows[0] as DocxCell[]).indexOf(c) < lead) c.vMerge = undefined;
				}
				blocks.push({ table: rows });
			}
			const parsed = await parseReportFile(writeDocx(blocks), `transposed-${seed}.docx`);
			expect(comparable(parsed)).toEqual(comparable(record));
			expect(parsed.issues.filter((i) => i.code === 'table_transposed').map((i) => i.severity)).toEqual(['info']);
		}
	});
});

/** An HTML table's rows (as tests/helpers/html-report writes them) as Word rows: a cell two rows tall is a merge restarted and continued. */
function wordRows(html: string): DocxRow[] {
	const printed = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
		[...m[1].matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].map((c) => ({
			text: c[2],
			colspan: Number(/colspan="(\d+)"/.exec(c[1])?.[1] ?? 1),
			rowspan: Number(/rowspan="(\d+)"/.exec(c[1])?.[1] ?? 1)
		}))
	);
	/** Per row, the columns a cell above covers: its span. */
	const covered: Map<number, number>[] = printed.map(() => new Map());
	return printed.map((cells, r) => {
		const out: DocxCell[] = [];
		let col = 0;
		let next = 0;
		while (next < cells.length || covered[r].has(col)) {
			const span = covered[r].get(col);
			if (span !== undefined) {
				out.push({ text: '', span, vMerge: 'continue' });
				col += span;
				continue;
			}
			const c = cells[next++];
			out.push({ text: c.text, span: c.colspan, vMerge: c.rowspan > 1 ? 'restart' : undefined });
			for (let below = 1; below < c.rowspan; below++) covered[r + below].set(col, c.colspan);
			col += c.colspan;
		}
		return out;
	});
}
