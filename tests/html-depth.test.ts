/**
 * HTML nested far deeper than any real page. htmlparser2's own stack costs
 * the current depth per open tag, so 100,000 nested tables once took 100 s
 * (quadratic); the adapter restarts the parser past a depth bound. The sizes
 * here would take many minutes if the cost were still quadratic (past the
 * test timeout) and take about a second when it is linear: no timing is
 * asserted, only that the report inside still reads the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReport, ReportError } from '../src/lib/report/index';
import { htmlAdapter } from '../src/lib/report/adapters/html';
import { comparable } from './corpus';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
const body = () => readFileSync(join(DIR, 'utf8-bom.html'), 'utf8').replace(/^\ufeff/, '');
const expected = () => JSON.parse(readFileSync(join(DIR, 'utf8-bom.expected.json'), 'utf8')) as Record<string, unknown>;
const enc = (s: string) => new TextEncoder().encode(s);

describe('deeply nested HTML stays linear', () => {
	const n = 200_000;

	it(`a report below ${n.toLocaleString('en')} nested <table><tr><td> reads as it does alone`, () => {
		const html = '<table><tr><td>'.repeat(n) + body() + '</td></tr></table>'.repeat(n);
		const r = parseReport(enc(html), 'deep-tables.html');
		expect(comparable(r)).toEqual(comparable(expected()));
	});

	it(`a report inside ${n.toLocaleString('en')} nested <div> reads as it does alone`, () => {
		const html = '<div>'.repeat(n) + body() + '</div>'.repeat(n);
		expect(comparable(parseReport(enc(html), 'deep-divs.html'))).toEqual(comparable(expected()));
	});

	it('nesting without a report is refused as no report, and its text is all kept', () => {
		const html = '<table><tr><td>'.repeat(n) + '样例' + '<div>'.repeat(n) + '文字';
		expect(() => parseReport(enc(html), 'deep.html')).toThrow(ReportError);
		const doc = htmlAdapter(html);
		expect(doc.lines.join('')).toBe('样例文字');
		// Every opened table is read, flattened or not.
		expect(doc.tables.length).toBe(n);
	});
});
