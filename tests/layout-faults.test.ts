/**
 * Layout faults of table 三 that PDF extractors and text dumps leave (issue 12):
 * page footers inside the table, rows without labels named in messages, labels
 * printed beside a neighbour's numbers. The documents are the project's own
 * fixtures (md-pipes.md, tabs-2021.txt), changed here line by line; the truth
 * is their expected record.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReport, type ParsedReport } from '../src/lib/report/index';
import { APPLICANT_COLUMNS, type RequestRow } from '../src/lib/report/schema';
import { encodeDocument } from '../src/lib/synthetic/encode';
import { comparable } from './corpus';

const DIR = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(name, DIR)), 'utf8');
const MD = fixture('md-pipes.md');
const MD_TRUTH = JSON.parse(fixture('md-pipes.expected.json')) as Record<string, unknown>;
const TABS = fixture('tabs-2021.txt');
const TABS_TRUTH = JSON.parse(fixture('tabs-2021.expected.json')) as Record<string, unknown>;

function parse(text: string, name: string): ParsedReport {
	return parseReport(encodeDocument(text, 'utf-8'), name);
}

/** `text` with `insert` lines put before the first line that contains `before`. */
function insertBefore(text: string, before: string, insert: readonly string[]): string {
	const lines = text.split('\n');
	const at = lines.findIndex((l) => l.includes(before));
	if (at < 0) throw new Error(`no line with ${before}`);
	lines.splice(at, 0, ...insert);
	return lines.join('\n');
}

function hows(r: ParsedReport, row: RequestRow): string[] {
	return APPLICANT_COLUMNS.map((c) => r.provenance?.[`requests.${row}.${c}`]?.how ?? '?');
}

/** Issues that would say something about the rows: none of them for a footer. */
const ROW_ISSUES = /^(row_|rule_|reading_|cells_)/;

describe('page footers inside table 三', () => {
	const FOOTERS = ['- 7 -', '— 7 —', '－7－', '· 7 ·', '第 7 页', '第7页 共12页', '第 7 页，共 12 页', '共12页 第7页', '7/12', '7 / 12'];

	it.each(FOOTERS)('“%s” between two rows of a text table is skipped, not a row', (footer) => {
		const r = parse(insertBefore(TABS, '2.其他法律行政法规禁止公开', [footer]), 'tabs.txt');
		expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it.each(FOOTERS)('“%s” as a loose line between pipe rows of markdown is skipped', (footer) => {
		const r = parse(insertBefore(MD, '2.其他法律行政法规禁止公开', ['', footer, '']), 'pipes.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it('a footer between the lines of a wrapped label does not keep the label from its numbers', () => {
		// （二）部分公开's label wrapped over two lines, its numbers on the second, the page ending between them.
		const lines = TABS.split('\n');
		const at = lines.findIndex((l) => l.includes('（二）部分公开'));
		const cells = lines[at].split('\t');
		const label = cells.find((c) => c.includes('（二）部分公开'))!;
		const cut = label.indexOf('，');
		lines.splice(at, 1, label.slice(0, cut + 1), '- 7 -', lines[at].replace(label, label.slice(cut + 1)));
		const r = parse(lines.join('\n'), 'tabs.txt');
		expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
		expect(hows(r, 'partially_granted')).toEqual(new Array(7).fill('read'));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it('a lone count, or numbers that are no page (12 / 7), are still reported, not skipped as a footer', () => {
		for (const stray of ['7', '12 / 7', '- 7']) {
			const r = parse(insertBefore(TABS, '2.其他法律行政法规禁止公开', [stray]), 'tabs.txt');
			expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
			expect(r.issues.some((i) => i.code === 'row_unknown')).toBe(true);
		}
	});
});

describe('rows without a label are named by the place they were given', () => {
	it('a rule failing over such a row names it 无标签行 and its place, never 「」', () => {
		// （二）部分公开 loses its label (its words after it) and prints 5 where 4 stands: the outcome rule fails over its cells.
		const line = MD.split('\n').find((l) => l.includes('| （二）部分公开'))!;
		const text = MD.replace(line, ['| 5 | 1 | 0 | 0 | 0 | 0 | 6 |', '', '（二）部分公开（区分处', '理的，只计这一情形，', '不计其他情形）', ''].join('\n'));
		const r = parse(text, 'pipes.md');
		const doubted = r.issues.filter((i) => i.code === 'reading_rule');
		expect(doubted.length).toBeGreaterThan(0);
		for (const i of doubted) {
			expect(i.message).not.toContain('「」');
			expect(i.message).toContain('「（无标签行，置于（二）部分公开一行）」');
		}
		expect(r.provenance?.['requests.partially_granted.natural']?.row).toBe('（无标签行，置于（二）部分公开一行）');
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
	});
});
