/**
 * Markdown made by PDF extractors that pulls cells out of their rows (issue 12
 * item 1): rows of numbers whose labels went elsewhere, read back to the
 * template's rows by its grammar and arithmetic. The documents are the
 * project's own md-pipes fixture, displaced here line by line; the truth is
 * its expected record.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReport, type ParsedReport } from '../src/lib/report/index';
import { APPLICANT_COLUMNS, type RequestRow } from '../src/lib/report/schema';
import { requestCells } from '../src/lib/report/mapping/cells';
import { encodeDocument } from '../src/lib/synthetic/encode';
import { generateReport } from '../src/lib/synthetic/index';
import { comparable } from './corpus';

const DIR = new URL('./fixtures/', import.meta.url);
const SOURCE = readFileSync(fileURLToPath(new URL('md-pipes.md', DIR)), 'utf8');
const EXPECTED = JSON.parse(readFileSync(fileURLToPath(new URL('md-pipes.expected.json', DIR)), 'utf8')) as Record<string, unknown>;

function parse(text: string): ParsedReport {
	return parseReport(encodeDocument(text, 'utf-8'), 'displaced.md');
}

/** The table 三 line whose label cell is `label`. */
function lineOf(text: string, label: string): string {
	const line = text.split('\n').find((l) => l.startsWith('|') && l.includes(`| ${label} |`));
	if (!line) throw new Error(`no row ${label}`);
	return line;
}

/** A row's value cells as the table prints them. */
function valuesOf(line: string): string[] {
	const cells = line
		.split('|')
		.slice(1, -1)
		.map((c) => c.trim());
	return cells.slice(cells.length - APPLICANT_COLUMNS.length);
}

/** The row loses its label: its numbers stay as a pipe row of their own, its words become loose lines after it, broken mid-word. */
function orphan(text: string, label: string, wrapAt = 6): string {
	const line = lineOf(text, label);
	const words = label.match(new RegExp(`.{1,${wrapAt}}`, 'gu')) ?? [];
	return text.replace(line, [`| ${valuesOf(line).join(' | ')} |`, '', ...words, ''].join('\n'));
}

const TOTAL = APPLICANT_COLUMNS.length - 1;

function hows(r: ParsedReport, row: RequestRow): string[] {
	return APPLICANT_COLUMNS.map((c) => r.provenance?.[`requests.${row}.${c}`]?.how ?? '?');
}

describe('rows of numbers whose labels moved away', () => {
	it('the md-pipes fixture reads as printed', () => {
		const r = parse(SOURCE);
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		expect(Object.values(r.provenance ?? {}).every((p) => p.how === 'read')).toBe(true);
	});

	it('each is placed by the template rows its labelled neighbours leave free, and marked inferred', () => {
		let text = SOURCE;
		for (const label of [
			'（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
			'2.其他法律行政法规禁止公开',
			'1.本机关不掌握相关政府信息',
			'2.没有现成信息需要另行制作'
		])
			text = orphan(text, label);
		const r = parse(text);
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		for (const row of ['partially_granted', 'denied_law_forbidden', 'unable_not_held'] as const) expect(hows(r, row)).toEqual(new Array(7).fill('inferred'));
		// 2.没有现成…'s words follow its numbers and, put together, name the row the template puts next: its label, read.
		expect(hows(r, 'unable_needs_creation')).toEqual(new Array(7).fill('read'));
		expect(hows(r, 'granted')).toEqual(new Array(7).fill('read'));
		expect(r.issues.filter((i) => i.code === 'reading_inferred').map((i) => i.where?.row)).toEqual([
			'partially_granted',
			'denied_law_forbidden',
			'unable_not_held'
		]);
		expect(r.issues.filter((i) => /^rule_|row_by_order|row_duplicate|reading_ambiguous/.test(i.code))).toEqual([]);
		expect(r.issues.find((i) => i.code === 'reading_inferred')?.message).toContain('（二）部分公开');
	});

	it('a label keeping a row of empty cells, its numbers on the next row: the numbers take its place (not zeros, not dropped)', () => {
		const label = '1.本机关不掌握相关政府信息';
		const line = lineOf(SOURCE, label);
		const cells = line
			.split('|')
			.slice(1, -1)
			.map((c) => c.trim());
		const blankRow = `| ${[...cells.slice(0, cells.length - APPLICANT_COLUMNS.length), ...APPLICANT_COLUMNS.map(() => '')].join(' | ')} |`;
		const r = parse(SOURCE.replace(line, `${blankRow}\n| ${valuesOf(line).join(' | ')} |`));
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		expect(hows(r, 'unable_not_held')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|row_unknown|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('a row of numbers with two free places around it is not slid into one: the table is refused as incomplete', () => {
		// 2.没有现成… is lost entirely, 1.本机关… loses its label: its numbers could be either row.
		let text = SOURCE.replace(`${lineOf(SOURCE, '2.没有现成信息需要另行制作')}\n`, '');
		text = orphan(text, '1.本机关不掌握相关政府信息');
		expect(() => parse(text)).toThrow(/表三不完整/);
	});

	it('generated displaced markdown (the generator’s own labels): no silent wrong number; rows without labels, or with labels a line off their numbers, placed and inferred; what stays in doubt is said', () => {
		let orphans = 0;
		let slid = 0;
		let pageBreaks = 0;
		let exact = 0;
		const seeds = 120;
		for (let seed = 1; seed <= seeds; seed++) {
			const g = generateReport(seed, { format: 'displaced', template: seed % 2 ? '2019' : '2021' });
			if (/\n- \d -\n/.test(g.text)) pageBreaks++;
			const r = parseReport(g.bytes, g.fileName);
			const truth = g.record.requests as Record<string, Record<string, number> | null>;
			let same = true;
			for (const [row, cells] of Object.entries(r.requests))
				for (const c of APPLICANT_COLUMNS)
					if (cells?.[c] !== truth[row]?.[c]) {
						same = false;
						expect(r.provenance?.[`requests.${row}.${c}`]?.how, `${seed} ${row}.${c}`).not.toBe('read');
					}
			if (same && JSON.stringify(comparable(r)) === JSON.stringify(comparable(g.record))) exact++;
			const said = new Set(r.issues.filter((i) => /^reading_(inferred|ambiguous)$/.test(i.code)).map((i) => i.where?.row));
			orphans += r.issues.filter((i) => i.code === 'reading_inferred' && i.message.includes('没有行标签')).length;
			slid += r.issues.filter((i) => i.code === 'reading_inferred' && i.message.includes('行标签印在了相邻一行的数字旁')).length;
			// Every cell not read as printed is in a row an issue names; nothing is blamed on the report.
			// A cell's row: requests.<row>.<column>, active.<row>.<field>, or table 四's <group>.<field>.
			const rowOf = (path: string) => (/^(requests|active)\./.test(path) ? path.split('.')[1] : path.split('.')[0]);
			for (const [path, p] of Object.entries(r.provenance ?? {})) if (p.how !== 'read') expect(said.has(rowOf(path)), path).toBe(true);
			expect(r.issues.filter((i) => /^rule_|row_by_order|row_duplicate/.test(i.code))).toEqual([]);
		}
		expect(orphans).toBeGreaterThan(300);
		// Runs whose labels sit a line off their numbers are read back by the row sequence, each moved row said so.
		expect(slid).toBeGreaterThan(40);
		expect(pageBreaks).toBeGreaterThan(90);
		expect(exact).toBeGreaterThan(seeds * 0.9);
	});
});

describe('cells an extractor moved inside a row of table 三', () => {
	/** The row `label` printed with these value cells instead of its own. */
	function cellsAs(text: string, label: string, cells: readonly string[]): string {
		const line = lineOf(text, label);
		const head = line
			.split('|')
			.slice(1, -1)
			.map((c) => c.trim());
		return text.replace(line, `| ${[...head.slice(0, head.length - APPLICANT_COLUMNS.length), ...cells].join(' | ')} |`);
	}

	it('two counts in one pipe cell ("2 0"): split at the printed space, the row total vouches, those cells inferred', () => {
		const r = parse(cellsAs(SOURCE, '4.保护第三方合法权益', ['2 0', '0', '0', '0', '0', '2']));
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		expect(hows(r, 'denied_third_party')).toEqual(['inferred', 'inferred', 'read', 'read', 'read', 'read', 'read']);
		expect(r.issues.filter((i) => /^rule_|cells_|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('an empty cell pushed into the row: the only reading drops it, the numbers read as printed', () => {
		const r = parse(cellsAs(SOURCE, '1.信访举报投诉类申请', ['3', '0', '', '0', '0', '0', '1', '4']));
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		expect(hows(r, 'rejected_complaint')).toEqual(new Array(7).fill('read'));
		expect(r.issues.filter((i) => /^rule_|cells_|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('two cells run together ("91" for 9 | 1): the row total keeps one split', () => {
		const r = parse(cellsAs(SOURCE, '1.本机关不掌握相关政府信息', ['91', '0', '0', '1', '0', '11件']));
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		const row = hows(r, 'unable_not_held');
		// "91" and "11件" could each split; the total rules out 91 | … | 1 | 1.
		expect(row[0]).toBe('inferred');
		expect(row[TOTAL]).toBe('inferred');
		expect(row.every((h) => h !== 'ambiguous')).toBe(true);
		expect(r.issues.find((i) => i.code === 'reading_inferred' && i.where?.row === 'unable_not_held')?.message).toContain('9 | 1 | 0 | 0 | 1 | 0 | 11');
	});

	it('a blank zero and an empty cell pushed in: the row total keeps two readings, the column rules one', () => {
		// 2.没有现成… prints 2 0 0 0 0 0 2; here its 商业企业 is blank and an empty cell leads the row: 2 could be 自然人 or 商业企业.
		const r = parse(cellsAs(SOURCE, '2.没有现成信息需要另行制作', ['', '2', '', '0', '0', '0', '0', '2']));
		expect(comparable(r)).toMatchObject(comparable(EXPECTED));
		expect(hows(r, 'unable_needs_creation').slice(0, 2)).toEqual(['inferred', 'inferred']);
		expect(r.issues.filter((i) => /^rule_|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('where no rule tells the readings apart, the cells they dispute are ambiguous with the alternatives, never a confident guess', () => {
		// The same row alone: its own total is all that checks it, and both readings keep it.
		const row = { label: '', printed: '', labelCells: [], values: ['', '2', '', '0', '0', '0', '0', '2'], exact: false, pipes: true };
		const r = requestCells(row);
		expect(r.outcome).toBe('ambiguous');
		expect(r.search?.layout.length).toBeGreaterThan(1);
		expect(r.readings?.slice(0, 2)).toEqual([
			{ how: 'ambiguous', alternatives: [0] },
			{ how: 'ambiguous', alternatives: [2] }
		]);
		expect(r.readings?.slice(2).every((x) => x.how === 'read')).toBe(true);
	});
});
