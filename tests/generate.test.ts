import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	ACTIVE_LAYOUT,
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_GROUPS,
	OTHER_SPLIT_ROWS,
	REQUEST_ROWS,
	type CompleteRecord,
	type Template
} from '../src/lib/report/schema';
import {
	createRng,
	deriveSeed,
	encodeDocument,
	generateRecord,
	generateReport,
	renderHtml,
	renderMarkdown,
	renderText,
	resolveNoise,
	statisticsPeriod,
	SYNTHETIC_NOTICE,
	type DocumentEncoding,
	type DocumentFormat
} from '../src/lib/synthetic/index';
import { templateOf } from '../src/lib/report/template/index';
import { activeGrid, casesGrid, requestsGrid, type TableGrid } from '../src/lib/synthetic/layout';
import { formatValue, noisyLabel } from '../src/lib/synthetic/noise';
import { runGenerate, type CliIo } from '../src/cli/generate';
import { runCli } from './helpers/cli';

const TEMPLATES: Template[] = ['2019', '2021'];
const FORMATS: DocumentFormat[] = ['text', 'markdown', 'html'];
const ENCODINGS: DocumentEncoding[] = ['utf-8', 'gbk'];
const SEEDS = Array.from({ length: 150 }, (_, i) => i * 7919 + 3);

/** The four consistency rules of schema.md, checked without the parser's code. */
function brokenRules(record: CompleteRecord): string[] {
	const broken: string[] = [];
	const rows = record.requests;
	const value = (row: (typeof REQUEST_ROWS)[number], column: (typeof APPLICANT_COLUMNS)[number]): number => rows[row]?.[column] ?? 0;
	const flowRows = ['new_received', 'carried_over', 'total_processed', 'carried_forward'];
	const outcomeRows = REQUEST_ROWS.filter((row) => !flowRows.includes(row));
	for (const column of APPLICANT_COLUMNS) {
		const inflow = value('new_received', column) + value('carried_over', column);
		const outflow = value('total_processed', column) + value('carried_forward', column);
		if (inflow !== outflow) broken.push(`rule 1 (${column}): ${inflow} ≠ ${outflow}`);
		const outcomes = outcomeRows.reduce((sum, row) => sum + value(row, column), 0);
		if (outcomes !== value('total_processed', column)) broken.push(`rule 2 (${column}): ${outcomes} ≠ total_processed`);
	}
	for (const row of REQUEST_ROWS) {
		const cells = rows[row];
		if (!cells) continue;
		const sum = cells.natural + cells.commercial + cells.research + cells.ngo + cells.legal_service + cells.other;
		if (sum !== cells.total) broken.push(`rule 3 (${row}): ${sum} ≠ ${cells.total}`);
	}
	for (const group of CASE_GROUPS) {
		const cells = record[group];
		if (!cells) continue;
		const sum = cells.maintained + cells.corrected + cells.other + cells.pending;
		if (sum !== cells.total) broken.push(`rule 4 (${group}): ${sum} ≠ ${cells.total}`);
	}
	return broken;
}

function records(): CompleteRecord[] {
	return TEMPLATES.flatMap((template) => SEEDS.map((seed) => generateRecord(seed, { template })));
}

describe('generateRecord', () => {
	it('is deterministic for a seed', () => {
		expect(generateRecord(42)).toEqual(generateRecord(42));
		expect(generateRecord(42)).not.toEqual(generateRecord(43));
	});

	it('satisfies the four consistency rules', () => {
		for (const record of records()) expect(brokenRules(record), record.agency).toEqual([]);
	});

	it('has every key, in schema order', () => {
		for (const record of records()) {
			expect(Object.keys(record)).toEqual([
				'schema',
				'agency',
				'year',
				'template',
				'active',
				'requests',
				'review',
				'litigation_direct',
				'litigation_after_review'
			]);
			expect(record.schema).toBe(1);
			expect(Object.keys(record.requests)).toEqual([...REQUEST_ROWS]);
			for (const cells of Object.values(record.requests)) {
				if (cells) expect(Object.keys(cells)).toEqual([...APPLICANT_COLUMNS]);
			}
			const layout: Record<string, readonly string[]> = ACTIVE_LAYOUT[record.template];
			expect(record.active).not.toBeNull();
			expect(Object.keys(record.active ?? {})).toEqual(Object.keys(layout));
			for (const [row, fields] of Object.entries(layout)) {
				expect(Object.keys(record.active?.[row] ?? {})).toEqual([...fields]);
			}
			for (const group of CASE_GROUPS) expect(Object.keys(record[group] ?? {})).toEqual([...CASE_FIELDS]);
		}
	});

	it('uses the three-row （六） for the 2021 tables and the single row for 2019', () => {
		for (const record of records()) {
			const split = OTHER_SPLIT_ROWS.map((row) => record.requests[row]);
			if (record.template === '2021') {
				expect(record.requests.other).toBeNull();
				for (const cells of split) expect(cells).not.toBeNull();
			} else {
				expect(record.requests.other).not.toBeNull();
				for (const cells of split) expect(cells).toBeNull();
			}
		}
	});

	it('has realistic magnitudes and number types', () => {
		const all = records();
		let negativeChange = false;
		let fractionalFee = false;
		for (const record of all) {
			const range = record.template === '2019' ? [2019, 2020] : [2021, 2025];
			expect(record.year).toBeGreaterThanOrEqual(range[0]);
			expect(record.year).toBeLessThanOrEqual(range[1]);
			for (const cells of Object.values(record.requests)) {
				for (const v of Object.values(cells ?? {})) {
					expect(Number.isInteger(v) && v >= 0).toBe(true);
				}
			}
			expect(record.requests.new_received?.natural ?? 0).toBeLessThanOrEqual(500);
			for (const [row, fields] of Object.entries(record.active ?? {})) {
				for (const [field, v] of Object.entries(fields ?? {})) {
					if (field === 'amount_10k_yuan') {
						expect(Math.round(v * 100) / 100).toBe(v);
						expect(String(v)).toMatch(/^\d+(\.\d{1,2})?$/);
						fractionalFee ||= !Number.isInteger(v);
					} else if (field === 'change') {
						expect(Number.isInteger(v)).toBe(true);
						negativeChange ||= v < 0;
						expect((record.active?.[row]?.previous_items ?? 0) + v).toBeGreaterThanOrEqual(0);
					} else {
						expect(Number.isInteger(v) && v >= 0, `${row}.${field}`).toBe(true);
						expect(v).toBeLessThanOrEqual(100_000_000);
					}
				}
			}
		}
		expect(negativeChange).toBe(true);
		expect(fractionalFee).toBe(true);
		// Most applicant cells are 0 and natural persons dominate.
		const received = all.map((r) => r.requests.new_received);
		const natural = received.reduce((sum, c) => sum + (c?.natural ?? 0), 0);
		const commercial = received.reduce((sum, c) => sum + (c?.commercial ?? 0), 0);
		expect(natural).toBeGreaterThan(commercial * 2);
		const cells = all.flatMap((r) => Object.values(r.requests).flatMap((c) => (c ? Object.values(c) : [])));
		expect(cells.filter((v) => v === 0).length / cells.length).toBeGreaterThan(0.5);
	});

	it('names only fictitious agencies', () => {
		for (const record of records()) expect(record.agency).toMatch(/样例|示范/);
		expect(generateRecord(5, { index: 12 }).agency).toMatch(/^(样例|示范).*第12(局|办公室|委员会|中心|街道办事处)$/);
	});

	it('honours template and year options', () => {
		expect(generateRecord(1, { year: 2020 }).template).toBe('2019');
		expect(generateRecord(1, { year: 2024 }).template).toBe('2021');
		const record = generateRecord(1, { template: '2021', year: 2023 });
		expect([record.template, record.year]).toEqual(['2021', 2023]);
	});
});

describe('random', () => {
	it('is deterministic and stays in range', () => {
		const a = createRng(9);
		const b = createRng(9);
		for (let i = 0; i < 1000; i++) {
			const n = a.int(-3, 3);
			expect(n).toBe(b.int(-3, 3));
			expect(n).toBeGreaterThanOrEqual(-3);
			expect(n).toBeLessThanOrEqual(3);
		}
		expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
		expect(deriveSeed(1, 2)).not.toBe(deriveSeed(1, 3));
		expect(() => createRng(1.5)).toThrow(RangeError);
	});
});

/** Each grid position covered exactly once, every row exactly `width` wide. */
function gridProblems(grid: TableGrid): string[] {
	const taken: boolean[][] = grid.rows.map(() => new Array<boolean>(grid.width).fill(false));
	const problems: string[] = [];
	grid.rows.forEach((row, r) => {
		let c = 0;
		for (const cell of row) {
			while (c < grid.width && taken[r][c]) c++;
			for (let dr = 0; dr < cell.rowspan; dr++) {
				for (let dc = 0; dc < cell.colspan; dc++) {
					if (r + dr >= grid.rows.length || c + dc >= grid.width) problems.push(`row ${r}: span leaves the table`);
					else if (taken[r + dr][c + dc]) problems.push(`row ${r}: overlap at column ${c + dc}`);
					else taken[r + dr][c + dc] = true;
				}
			}
			c += cell.colspan;
		}
	});
	taken.forEach((row, r) => {
		if (row.includes(false)) problems.push(`row ${r}: hole`);
	});
	return problems;
}

describe('table layout', () => {
	it('covers every grid position exactly once', () => {
		for (const template of TEMPLATES) {
			const record = generateRecord(3, { template });
			for (const grid of [activeGrid(record), requestsGrid(record), casesGrid(record)]) {
				expect(grid).not.toBeNull();
				if (grid) expect(gridProblems(grid), `table ${grid.table} (${template})`).toEqual([]);
			}
		}
	});

	it('places every table 二 row of the template in one block, in order', () => {
		for (const template of TEMPLATES) {
			const rows = templateOf(template).active.blocks.flatMap((block) => block.rows);
			expect(rows).toEqual(Object.keys(ACTIVE_LAYOUT[template]));
		}
	});

	it('has 25 (2021) or 23 (2019) data rows in table 三', () => {
		expect(requestsGrid(generateRecord(1, { template: '2021' }))?.rows.length).toBe(3 + 25);
		expect(requestsGrid(generateRecord(1, { template: '2019' }))?.rows.length).toBe(3 + 23);
	});
});

describe('renderText', () => {
	it('prints title, notice, statistics period, publication date and tab tables', () => {
		const record = generateRecord(21, { template: '2021' });
		const text = renderText(record, createRng(1));
		const lines = text.split('\n');
		expect(lines[0]).toContain(record.agency);
		expect(lines[0]).toMatch(new RegExp(`${record.year}\\s?年(度)?政府信息公开(工作)?年度报告`));
		expect(text).toContain(SYNTHETIC_NOTICE);
		expect(text).toContain(statisticsPeriod(record.year));
		expect(text).toMatch(new RegExp(`(发布日期|发布时间|日期)：${record.year + 1}`));
		for (const heading of [
			'一、总体情况',
			'二、主动公开政府信息情况',
			'三、收到和处理政府信息公开申请情况',
			'五、存在的主要问题及改进情况',
			'六、其他需要报告的事项'
		]) {
			expect(lines).toContain(heading);
		}
		const regulations = record.active?.regulations ?? {};
		expect(lines).toContain(`规章\t${regulations.issued}\t${regulations.repealed}\t${regulations.in_force}`);
		expect(lines).toContain('信息内容\t本年制发件数\t本年废止件数\t现行有效件数');
		const received = record.requests.new_received;
		expect(lines).toContain(`一、本年新收政府信息公开申请数量\t\t\t${APPLICANT_COLUMNS.map((c) => received?.[c]).join('\t')}`);
		const granted = record.requests.granted;
		expect(lines).toContain(`三、本年度办理结果\t（一）予以公开\t\t${APPLICANT_COLUMNS.map((c) => granted?.[c]).join('\t')}`);
		expect(lines.some((line) => line.startsWith('\t（三）不予公开\t1.属于国家秘密\t'))).toBe(true);
		const cases = CASE_GROUPS.flatMap((g) => CASE_FIELDS.map((f) => record[g]?.[f]));
		expect(lines).toContain(cases.join('\t'));
	});

	it('prints the 2019 tables with single-row （六） and signed changes', () => {
		const record = generateRecord(4, { template: '2019' });
		const text = renderText(record, createRng(2));
		expect(text).toContain('信息内容\t本年新制作数量\t本年新公开数量\t\t对外公开总数量');
		expect(text).toContain('\t（六）其他处理\t\t');
		expect(text).not.toContain('逾期不补正');
		expect(text).toContain('第二十条第（九）项');
	});

	it('offers markdown pipe tables', () => {
		const record = generateRecord(21, { template: '2021' });
		const markdown = renderMarkdown(record, createRng(1));
		const r = record.active?.regulations ?? {};
		expect(markdown).toContain(`| 规章 | ${r.issued} | ${r.repealed} | ${r.in_force} |`);
		expect(markdown).toMatch(/^\| --- \| --- \| --- \| --- \|$/m);
	});
});

describe('renderHtml', () => {
	const spanned = (attr: string, n: number): RegExp => new RegExp(`${attr}="?${n}"?[\\s>]`);

	it('lays table 三 and 四 out with the template spans (noise 0)', () => {
		for (const style of ['plain', 'word'] as const) {
			const html2021 = renderHtml(generateRecord(8, { template: '2021' }), createRng(1), 0, { style });
			const html2019 = renderHtml(generateRecord(8, { template: '2019' }), createRng(1), 0, { style });
			for (const html of [html2021, html2019]) {
				expect(html).toMatch(spanned('rowspan', 8)); // （三）不予公开
				expect(html).toMatch(spanned('rowspan', 5)); // （五）不予处理
				expect(html).toMatch(spanned('colspan', 10)); // 行政诉讼
				expect(html).toMatch(spanned('colspan', 7)); // 申请人情况
				expect(html).toMatch(new RegExp(`rowspan="?3"? colspan="?3"?[\\s>][^<]*(<[^>]+>)*（本列数据的勾稽关系为`));
				expect(html).not.toContain('&nbsp;');
				expect(html).toContain('<div class="article-content"');
			}
			expect(html2021).toMatch(spanned('rowspan', 22));
			expect(html2021).not.toMatch(spanned('rowspan', 20));
			expect(html2019).toMatch(spanned('rowspan', 20));
			expect(html2019).not.toMatch(spanned('rowspan', 22));
		}
	});

	it('uses Word markup when asked', () => {
		const html = renderHtml(generateRecord(8), createRng(1), { splitNumbers: 1 }, { style: 'word' });
		expect(html).toContain('class=MsoNormal');
		expect(html).toMatch(/<span lang=EN-US>\d+<\/span><span lang=EN-US>\d+<\/span>/);
	});

	it('links last year’s report and dates the page the next year', () => {
		const record = generateRecord(8, { year: 2023 });
		const html = renderHtml(record, createRng(1));
		expect(html).toContain(`${record.agency}2022年政府信息公开工作年度报告`);
		expect(html).toContain(statisticsPeriod(2023));
		expect(html).toMatch(/2024/);
	});
});

describe('noise', () => {
	/** Independent reading of a cell: '' is 0; full-width digits, separators, units and "+" removed. */
	const readCell = (shown: string): number =>
		shown === ''
			? 0
			: Number(
					shown
						.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
						.replace(/,/g, '')
						.replace(/(件|项|万元|元)$/, '')
						.replace(/^\+/, '')
				);

	it('never changes what a cell means', () => {
		const rng = createRng(5);
		const all = resolveNoise(1);
		const values = [0, 1, 7, 999, 1000, 12345, 1628471, 1_000_000];
		for (const kind of ['count', 'items', 'signed_items', 'amount_yuan'] as const) {
			for (const v of values) {
				for (let i = 0; i < 20; i++) {
					expect(readCell(formatValue(v, kind, all, rng, { plusSign: true }))).toBe(v);
					expect(readCell(formatValue(v, kind, resolveNoise(0.5), rng, { plusSign: false }))).toBe(v);
				}
			}
		}
		for (const v of [-20, -1, 3]) expect(readCell(formatValue(v, 'signed_items', all, rng, { plusSign: true }))).toBe(v);
		for (const v of [0, 0.5, 12.5, 12592.22, 19999.99]) {
			expect(readCell(formatValue(v, 'amount_10k_yuan', all, rng, { plusSign: false }))).toBe(v);
		}
		expect(formatValue(1234, 'count', resolveNoise(0), rng, { plusSign: true })).toBe('1234');
	});

	it('produces the documented label typos and variants', () => {
		const rng = createRng(6);
		expect(noisyLabel('本年废止件数', resolveNoise({ labelTypos: 1 }), rng)).toBe('本年度止件数');
		expect(noisyLabel('2.其他法律行政法规禁止公开', resolveNoise({ labelTypos: 1 }), rng)).toBe('2.其他法律行政止公开');
		expect(noisyLabel('（一）予以公开', resolveNoise({ halfWidthParens: 1 }), rng)).toBe('(一)予以公开');
		expect(noisyLabel('重复申请', resolveNoise({ labelSpaces: 1 }), rng)).toMatch(/^重[ \u3000]?复[ \u3000]?申[ \u3000]?请$/);
		expect(noisyLabel('重复申请', resolveNoise(0), rng)).toBe('重复申请');
	});

	it('does not change the record', () => {
		for (const format of FORMATS) {
			expect(generateReport(77, { format, noise: 1 }).record).toEqual(generateReport(77, { format }).record);
		}
	});

	it('blanks zeros and adds dirt when turned up', () => {
		const { text } = generateReport(77, { format: 'html', noise: 1, template: '2021', htmlStyle: 'plain' });
		expect(text).toContain('&nbsp;');
		expect(text).toMatch(/[０-９]/);
		expect(text).toMatch(/\d,\d{3}|[０-９],[０-９]{3}/);
		expect(text).toMatch(/[0-9０-９](件|万元)/);
		const typos = generateReport(77, { format: 'text', noise: { labelTypos: 1 }, template: '2021' }).text;
		expect(typos).toContain('本年度止件数');
		expect(typos).toContain('其他法律行政止公开');
	});
});

describe('generateReport', () => {
	it('gives identical bytes for the same seed', () => {
		for (const format of FORMATS) {
			for (const encoding of ENCODINGS) {
				for (const noise of [0, 0.3]) {
					const a = generateReport(2024, { format, encoding, noise });
					const b = generateReport(2024, { format, encoding, noise });
					expect(a.bytes).toEqual(b.bytes);
					expect(a.fileName).toBe(b.fileName);
				}
			}
		}
		expect(generateReport(1, { format: 'text' }).bytes).not.toEqual(generateReport(2, { format: 'text' }).bytes);
	});

	it('names files by index and year', () => {
		const report = generateReport(99, { format: 'html', index: 12, year: 2023 });
		expect(report.fileName).toBe('synthetic-00012-2023.html');
		expect(generateReport(99, { format: 'text', index: 3 }).fileName).toMatch(/^synthetic-00003-20\d\d\.txt$/);
		expect(generateReport(99, { format: 'markdown', index: 3 }).fileName).toMatch(/\.md$/);
	});

	it('round-trips GBK through TextDecoder', () => {
		for (const seed of SEEDS.slice(0, 20)) {
			for (const format of FORMATS) {
				const report = generateReport(seed, { format, encoding: 'gbk', noise: 0.5 });
				expect(new TextDecoder('gbk').decode(report.bytes)).toBe(report.text);
				if (format === 'html') expect(report.text).toMatch(/<meta charset="gbk">|charset=gb2312"/);
			}
		}
		const sample = '样例市第12局２０２３年“三安全一稳定”　（一）·12.5万元';
		expect(new TextDecoder('gbk').decode(encodeDocument(sample, 'gbk'))).toBe(sample);
		expect(encodeDocument('abc', 'gbk')).toEqual(new Uint8Array([0x61, 0x62, 0x63]));
		expect(() => encodeDocument('表情😀', 'gbk')).toThrow(/U\+1F600/);
	});

	it('writes UTF-8 with or without a BOM and declares the charset in HTML', () => {
		const withBom = generateReport(5, { format: 'html', bom: true });
		expect([...withBom.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder('utf-8').decode(withBom.bytes)).toBe(withBom.text);
		expect(withBom.text).toMatch(/<meta charset="utf-8">|charset=utf-8"/);
		expect(generateReport(5, { format: 'text' }).bytes[0]).not.toBe(0xef);
		expect(() => encodeDocument('x', 'gbk', { bom: true })).toThrow(RangeError);
	});
});

describe('generate CLI', () => {
	const captured = (): CliIo & { outLines: string[]; errLines: string[] } => {
		const outLines: string[] = [];
		const errLines: string[] = [];
		return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l) };
	};

	it('writes documents with truth files and a one-line summary', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'nianbao-gen-'));
		try {
			const out = join(dir, 'nested', 'corpus');
			const io = captured();
			expect(await runGenerate(['--count', '8', '--out', out, '--seed', '7'], io)).toBe(0);
			expect(io.errLines).toEqual([]);
			expect(io.outLines).toHaveLength(1);
			expect(io.outLines[0]).toMatch(/wrote 8 reports/);
			const files = (await readdir(out)).sort();
			expect(files).toHaveLength(16);
			const truths = files.filter((f) => f.endsWith('.truth.json'));
			expect(truths).toHaveLength(8);
			for (const truthFile of truths) {
				const truth = JSON.parse(await readFile(join(out, truthFile), 'utf-8')) as CompleteRecord & { _synthetic: boolean };
				expect(truth._synthetic).toBe(true);
				expect(brokenRules(truth)).toEqual([]);
				const doc = files.find((f) => f !== truthFile && f.startsWith(truthFile.replace('.truth.json', '.')));
				expect(doc, truthFile).toBeDefined();
			}

			const again = join(dir, 'again');
			expect(await runGenerate(['--count=8', `--out=${again}`, '--seed=7'], captured())).toBe(0);
			for (const file of files) {
				expect(await readFile(join(again, file))).toEqual(await readFile(join(out, file)));
			}
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('rejects bad arguments with one line on stderr and exit code 2', async () => {
		const bad = [
			[],
			['--count', '0', '--out', 'x'],
			['--count', 'ten', '--out', 'x'],
			['--count', '2'],
			['--count', '2', '--out', 'x', '--format', 'pdf'],
			['--count', '2', '--out', 'x', '--noise', '1.5'],
			['--count', '2', '--out', 'x', '--seed', '1.5'],
			['--count', '2', '--out', 'x', '--colour', 'red'],
			['--count', '2', '--out'],
			['stray']
		];
		for (const args of bad) {
			const io = captured();
			expect(await runGenerate(args, io), args.join(' ')).toBe(2);
			expect(io.errLines).toHaveLength(1);
			expect(io.errLines[0]).not.toContain('\n');
			expect(io.outLines).toEqual([]);
		}
	});

	it('writes the glued, wrapped and displaced layouts on request, and parse reads each back with every doubt marked', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'nianbao-gen-layouts-'));
		try {
			const out = join(dir, 'layouts');
			const r = runCli(['generate', '--count', '9', '--out', out, '--seed', '5', '--format', 'glued,wrapped,displaced', '--noise', '0.5']);
			expect(r.code, r.stderr).toBe(0);
			const counts = /wrote 9 reports \((\d+) glued, (\d+) wrapped, (\d+) displaced;/.exec(r.stdout);
			expect(counts, r.stdout).not.toBeNull();
			expect(
				counts!
					.slice(1)
					.map(Number)
					.every((n) => n > 0)
			).toBe(true);
			const files = (await readdir(out)).sort();
			const docs = files.filter((f) => !f.endsWith('.truth.json'));
			expect(docs).toHaveLength(9);
			const truths = new Map<string, CompleteRecord & { _format: string; _noise: number }>();
			for (const doc of docs) {
				const truth = JSON.parse(await readFile(join(out, doc.replace(/\.[^.]+$/, '.truth.json')), 'utf-8'));
				expect(['glued', 'wrapped', 'displaced']).toContain(truth._format);
				expect(doc.endsWith(truth._format === 'displaced' ? '.md' : '.txt'), doc).toBe(true);
				// These layouts take no noise, and the truth says so.
				expect(truth._noise).toBe(0);
				truths.set(doc, truth);
			}
			// The parser, through its own CLI: wherever it does not return the truth, it says it is unsure.
			const parsed = runCli(['parse', '--json', ...docs.map((d) => join(out, d))]);
			const lines: ({ file: string; provenance?: Record<string, { how: string }> } & Record<string, unknown>)[] = parsed.stdout
				.trim()
				.split('\n')
				.map((l) => JSON.parse(l));
			expect(lines, parsed.stderr).toHaveLength(9);
			let exact = 0;
			for (const p of lines) {
				const truth = truths.get(p.file.split('/').pop() ?? '')!;
				const silent: string[] = [];
				let wrong = 0;
				for (const path of cellPaths(truth)) {
					const got = cellAt(p, path);
					const want = cellAt(truth, path);
					if (got === want) continue;
					wrong++;
					if (!['inferred', 'ambiguous'].includes(p.provenance?.[path]?.how ?? 'read')) silent.push(`${path}: ${got} for ${want}`);
				}
				expect({ file: p.file, silent }).toEqual({ file: p.file, silent: [] });
				if (wrong === 0) exact++;
			}
			expect(exact).toBeGreaterThan(0);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('--displaced adds the late-row and blank-rows faults to the displaced layout, as generateReport writes them, and says so in the truth file', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'nianbao-gen-displaced-'));
		try {
			const out = join(dir, 'faults');
			const io = captured();
			expect(
				await runGenerate(
					['--count', '6', '--out', out, '--seed', '11', '--format', 'displaced', '--encoding', 'utf-8', '--displaced', 'late-row,blank-rows'],
					io
				)
			).toBe(0);
			expect(io.errLines).toEqual([]);
			const docs = (await readdir(out)).filter((f) => f.endsWith('.md')).sort();
			expect(docs).toHaveLength(6);
			let differs = 0;
			for (const doc of docs) {
				const truth = JSON.parse(await readFile(join(out, doc.replace(/\.md$/, '.truth.json')), 'utf-8'));
				expect(truth._displaced).toEqual(['late-row', 'blank-rows']);
				const text = await readFile(join(out, doc), 'utf-8');
				const opts = { format: 'displaced' as const, index: truth._index, encoding: truth._encoding, bom: truth._bom };
				expect(text.replace(/^\ufeff/, '')).toBe(generateReport(truth._seed, { ...opts, displaced: { lateRow: true, blankRows: true } }).text);
				if (text.replace(/^\ufeff/, '') !== generateReport(truth._seed, opts).text) differs++;
			}
			// The faults change documents: some of six draw a slide with a row beside it, or a row of zeros.
			expect(differs).toBeGreaterThan(0);
			const one = join(dir, 'one');
			expect(await runGenerate(['--count', '2', '--out', one, '--format', 'displaced', '--displaced', 'blank-rows'], captured())).toBe(0);
			for (const f of (await readdir(one)).filter((f) => f.endsWith('.truth.json')))
				expect(JSON.parse(await readFile(join(one, f), 'utf-8'))._displaced).toEqual(['blank-rows']);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('refuses --displaced with an unknown fault, or without the displaced layout to apply it to', async () => {
		for (const [args, said] of [
			[['--format', 'displaced', '--displaced', 'late-row,sideways'], 'unknown fault "sideways" in --displaced (choose from late-row, blank-rows)'],
			[['--format', 'glued,wrapped', '--displaced', 'late-row'], '--displaced applies to the displaced layout'],
			[['--displaced', 'blank-rows'], '--displaced applies to the displaced layout']
		] as const) {
			const io = captured();
			expect(await runGenerate(['--count', '1', '--out', join(tmpdir(), 'nianbao-never-written'), ...args], io)).toBe(2);
			expect(io.errLines).toHaveLength(1);
			expect(io.errLines[0]).toContain(said);
		}
		const help = runCli(['generate', '--help']);
		expect(help.stdout).toMatch(/^ +--displaced F +\S/m);
		for (const fault of ['late-row', 'blank-rows']) expect(help.stdout).toMatch(new RegExp(`^ +${fault} +\\S`, 'm'));
	});

	it('names an unknown layout, and --help lists every layout', () => {
		const bad = runCli(['generate', '--count', '1', '--out', join(tmpdir(), 'nianbao-never-written'), '--format', 'glued,pdf']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('unknown format "pdf"');
		expect(bad.stderr).toContain('text, html, markdown, glued, wrapped, displaced');
		expect(bad.stdout).toBe('');
		const help = runCli(['generate', '--help']);
		expect(help.code).toBe(0);
		for (const layout of ['text', 'html', 'markdown', 'glued', 'wrapped', 'displaced', 'mixed', 'all'])
			expect(help.stdout).toMatch(new RegExp(`^ +${layout} +\\S`, 'm'));
	});
});

/** A record's cell by its provenance path. */
function cellAt(r: object, path: string): unknown {
	return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r);
}

/** Every value cell of a complete record, by its provenance path (active.x.y, requests.x.y, review.y …). */
function cellPaths(r: CompleteRecord): string[] {
	const out: string[] = [];
	for (const [row, fields] of Object.entries(r.active ?? {})) for (const f of Object.keys(fields ?? {})) out.push(`active.${row}.${f}`);
	for (const row of REQUEST_ROWS) if (r.requests[row]) for (const c of APPLICANT_COLUMNS) out.push(`requests.${row}.${c}`);
	for (const g of CASE_GROUPS) if (r[g]) for (const f of CASE_FIELDS) out.push(`${g}.${f}`);
	return out;
}
