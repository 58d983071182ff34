/**
 * Documents of shapes the parser had not been shown (issue 12, red team):
 * each is read exactly, or its doubtful cells are marked; never a silent
 * wrong number. The documents are written from generated records
 * (tests/helpers/html-report.ts), which are their truth.
 */
import { describe, expect, it } from 'vitest';
import { parseReport, type ParsedReport } from '../src/lib/report/index';
import type { CompleteRecord } from '../src/lib/report/schema';
import { createRng, generateRecord, renderMarkdown } from '../src/lib/synthetic/index';
import { reportPage, tabText } from './helpers/html-report';
import { mismatches } from './helpers/mismatches';

const SEEDS = [11, 12, 13, 14];

function records(): CompleteRecord[] {
	return SEEDS.map((seed) => generateRecord(seed, { template: seed % 2 ? '2021' : '2019' }));
}

function parse(text: string, fileName: string): ParsedReport {
	return parseReport(new TextEncoder().encode(text), fileName);
}

describe('HTML: a cell whose content is a small table of its own', () => {
	it('a number set in a one-cell table inside its cell is that cell’s number, not an empty cell read as 0', () => {
		for (const truth of records()) {
			const html = reportPage(truth).replace(/<td>(\d+)<\/td>/g, '<td><table><tr><td>$1</td></tr></table></td>');
			const parsed = parse(html, 'nested.html');
			expect(mismatches(parsed, truth), truth.agency).toEqual([]);
			expect(parsed.issues.filter((i) => /^rule_|^cells_|^row_/.test(i.code))).toEqual([]);
		}
	});

	it('a count beside its unit in a two-cell table inside its cell reads as the count', () => {
		const truth = records()[0];
		const html = reportPage(truth).replace(/<td>(\d+)<\/td>/g, '<td><table><tr><td>$1</td><td>件</td></tr></table></td>');
		expect(mismatches(parse(html, 'nested.html'), truth)).toEqual([]);
	});
});

/** The record as markdown (the generator's own, no noise). */
function markdown(truth: CompleteRecord): string {
	return renderMarkdown(truth, createRng(1));
}

describe('markdown rows without their outer pipes (GitHub-flavoured markdown allows them: "a | b | c")', () => {
	it('are read as pipe rows, exactly as with their outer pipes', () => {
		for (const truth of records()) {
			const bare = markdown(truth)
				.split('\n')
				.map((l) => (l.startsWith('|') ? l.replace(/^\|\s?/, '').replace(/\s?\|$/, '') : l))
				.join('\n');
			const parsed = parse(bare, 'bare.md');
			expect(mismatches(parsed, truth), truth.agency).toEqual([]);
			expect(parsed.issues.filter((i) => /^rule_|^reading_|^cells_|^row_|^table_/.test(i.code))).toEqual([]);
		}
	});
});

describe('markdown whose extractor wrapped a long label cell into a row of its own (the rest of the label over empty cells)', () => {
	/** Every table 三 label longer than `width` characters cut after `width`, its rest on the next row with the other cells empty. */
	function wrapLabels(text: string, width: number): string {
		const out: string[] = [];
		let inRequests = false;
		for (const line of text.split('\n')) {
			if (line.includes('本年新收政府信息公开申请数量')) inRequests = true;
			const cells = line.split('|').slice(1, -1);
			const first = cells.findIndex((c) => /^\s*\d+\s*$/.test(c));
			const label = first > 0 ? cells.slice(0, first).findLastIndex((c) => c.trim()) : -1;
			if (!inRequests || label < 0 || cells[label].trim().length <= width) {
				out.push(line);
				if (line.includes('结转下年度继续办理')) inRequests = false;
				continue;
			}
			const text = cells[label].trim();
			out.push(`|${cells.map((c, i) => (i === label ? ` ${text.slice(0, width)} ` : c)).join('|')}|`);
			out.push(`|${cells.map((_, i) => (i === label ? ` ${text.slice(width)} ` : '  ')).join('|')}|`);
			if (line.includes('结转下年度继续办理')) inRequests = false;
		}
		return out.join('\n');
	}

	it('the rest joins the label above it: every row read, none taken as a blank row of zeros', () => {
		for (const width of [7, 8, 10, 12])
			for (const truth of records()) {
				const parsed = parse(wrapLabels(markdown(truth), width), 'wrapped.md');
				expect(mismatches(parsed, truth), `${truth.agency} width ${width}`).toEqual([]);
				expect(parsed.issues.filter((i) => /^rule_|^row_/.test(i.code))).toEqual([]);
			}
	});
});

describe('text scraped from a page one table cell to a line', () => {
	/** The page's text with every cell on a line of its own (a scraper that splits at each <td>). */
	const cellLines = (html: string) =>
		tabText(html)
			.split('\n')
			.flatMap((line) => line.split('\t').filter((cell) => cell.trim()))
			.join('\n');

	it('each label and the values after it are one row, the headings one header row: exact, where it was refused as a blank template', () => {
		for (const layout of [{}, { zero: '—' }, { caseTables: true }])
			for (const truth of records()) {
				const parsed = parse(cellLines(reportPage(truth, layout)), 'cells.txt');
				expect(mismatches(parsed, truth), `${truth.agency} ${JSON.stringify(layout)}`).toEqual([]);
				expect(parsed.issues.filter((i) => /^rule_|^reading_|^cells_|^row_|^table_/.test(i.code))).toEqual([]);
			}
	});

	it('headings a line each in another order than the template’s cannot say which column is whose: refused saying so, not as a blank template', () => {
		const orders = [
			{ applicants: ['total', 'natural', 'commercial', 'research', 'ngo', 'legal_service', 'other'] as const },
			{ subtotal: true },
			{ litigationFirst: true },
			{ caseFields: ['total', 'maintained', 'corrected', 'other', 'pending'] as const, caseTables: true }
		];
		for (const layout of orders)
			for (const truth of records()) expect(() => parse(cellLines(reportPage(truth, layout)), 'cells.txt'), JSON.stringify(layout)).toThrow(/各占一行.*列序/);
	});
});
