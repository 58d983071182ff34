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

	it('a row of numbers with two free places around it is not slid into one: the table is refused as incomplete', () => {
		// 2.没有现成… is lost entirely, 1.本机关… loses its label: its numbers could be either row.
		let text = SOURCE.replace(`${lineOf(SOURCE, '2.没有现成信息需要另行制作')}\n`, '');
		text = orphan(text, '1.本机关不掌握相关政府信息');
		expect(() => parse(text)).toThrow(/表三不完整/);
	});

	it('generated displaced markdown (the generator’s own labels): every record exact, each row without a label placed and marked inferred', () => {
		let orphans = 0;
		let pageBreaks = 0;
		for (let seed = 1; seed <= 80; seed++) {
			const g = generateReport(seed, { format: 'displaced', template: seed % 2 ? '2019' : '2021' });
			if (/\n- \d -\n/.test(g.text)) pageBreaks++;
			const r = parseReport(g.bytes, g.fileName);
			expect(comparable(r)).toEqual(comparable(g.record));
			const placed = r.issues.filter((i) => i.code === 'reading_inferred').map((i) => i.where?.row);
			orphans += placed.length;
			// Exactly the rows placed by the grammar are inferred; every other cell is read as printed.
			for (const [path, p] of Object.entries(r.provenance ?? {}))
				expect(p.how, path).toBe(path.startsWith('requests.') && placed.includes(path.split('.')[1]) ? 'inferred' : 'read');
			expect(r.issues.filter((i) => /^rule_|row_by_order|row_duplicate|reading_ambiguous|reading_rule/.test(i.code))).toEqual([]);
		}
		expect(orphans).toBeGreaterThan(200);
		expect(pageBreaks).toBeGreaterThan(60);
	});
});
