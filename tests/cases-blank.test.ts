import { describe, expect, it } from 'vitest';
import { parseReport } from '../src/lib/report/index';
import { generateReport } from '../src/lib/synthetic/index';
import { comparable } from './corpus';

const encoder = new TextEncoder();

/** A generated HTML report whose table 四 is all zeros, every zero printed blank (blank = 0, schema.md). */
function blankCasesReport() {
	// The CI counterexample: a 2021 HTML report without cases, blankZeros noise.
	const g = generateReport(1659318279, { format: 'html', encoding: 'utf-8', bom: false, template: '2021', noise: { blankZeros: 0.7 } });
	const groups = [g.record.review, g.record.litigation_direct, g.record.litigation_after_review];
	expect(groups.every((c) => c && Object.values(c).every((v) => v === 0))).toBe(true);
	return g;
}

describe('table 四 printed with every cell blank', () => {
	it('reads the blank row of values as zeros, not as a missing table', () => {
		const g = blankCasesReport();
		// The document really prints table 四's row of values with no digit in it.
		const four = g.text.slice(g.text.indexOf('四、因政府信息公开工作'), g.text.indexOf('五、'));
		expect(four).toMatch(/<tr>(<td>(&nbsp;)?<\/td>){15}<\/tr>/);
		const parsed = parseReport(g.bytes, g.fileName);
		expect(comparable(parsed)).toEqual(comparable(g.record));
		expect(parsed.issues.map((i) => i.code)).not.toContain('table_missing');
	});

	it('reads three small tables with blank rows as zeros, each group from its own title', () => {
		const g = blankCasesReport();
		const start = g.text.indexOf('<table', g.text.indexOf('四、因政府信息公开工作'));
		const end = g.text.indexOf('</table>', start) + '</table>'.length;
		const header = '<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>';
		const part = (title: string, row: string) => `<p>${title}</p><table><tr><td colspan="5">${title}</td></tr>${header}<tr>${row}</tr></table>`;
		const blank = '<td></td><td>&nbsp;</td><td></td><td></td><td>&nbsp;</td>';
		// The middle group printed with numbers, so a wrong order of groups would show.
		const html =
			g.text.slice(0, start) +
			part('行政复议', blank) +
			part('行政诉讼（未经复议直接起诉）', '<td>1</td><td>2</td><td>0</td><td>0</td><td>3</td>') +
			part('行政诉讼（复议后起诉）', blank) +
			g.text.slice(end);
		const parsed = parseReport(encoder.encode(html), g.fileName);
		const zero = { maintained: 0, corrected: 0, other: 0, pending: 0, total: 0 };
		expect(parsed.review).toEqual(zero);
		expect(parsed.litigation_direct).toEqual({ maintained: 1, corrected: 2, other: 0, pending: 0, total: 3 });
		expect(parsed.litigation_after_review).toEqual(zero);
		expect(parsed.issues.map((i) => i.code)).not.toContain('table_missing');
	});

	it('an empty spacer row above the row of values does not hide the values', () => {
		const g = blankCasesReport();
		const blank = '<tr>' + '<td></td>'.repeat(15) + '</tr>';
		const values = '<tr>' + [1, 0, 0, 0, 1, 2, 0, 0, 1, 3, 0, 0, 0, 0, 0].map((n) => `<td>${n}</td>`).join('') + '</tr>';
		const start = g.text.indexOf('<tr><td></td>', g.text.indexOf('四、因政府信息公开工作'));
		const end = g.text.indexOf('</tr>', start) + '</tr>'.length;
		const parsed = parseReport(encoder.encode(g.text.slice(0, start) + blank + values + g.text.slice(end)), g.fileName);
		expect(parsed.review).toEqual({ maintained: 1, corrected: 0, other: 0, pending: 0, total: 1 });
		expect(parsed.litigation_direct).toEqual({ maintained: 2, corrected: 0, other: 0, pending: 1, total: 3 });
		expect(parsed.litigation_after_review).toEqual({ maintained: 0, corrected: 0, other: 0, pending: 0, total: 0 });
	});

	it('in a text file a line of tabs only, one field per column, is the row of blanks: zeros', () => {
		const g = blankCasesReport();
		const text = generateReport(1659318279, { format: 'text', template: '2021', noise: { blankZeros: 1 } });
		expect(text.record).toEqual(g.record);
		// The document prints table 四's values as 15 empty fields: 14 tabs and nothing else.
		expect(text.text.split('\n').some((line) => line === '\t'.repeat(14))).toBe(true);
		const parsed = parseReport(text.bytes, text.fileName);
		expect(comparable(parsed)).toEqual(comparable(g.record));
		expect(parsed.issues.map((i) => i.code)).not.toContain('table_missing');
	});

	it('in a text file an empty line, or tabs that fit no column count, make no zeros: table 四 is said to be missing', () => {
		const text = generateReport(1659318279, { format: 'text', template: '2021', noise: { blankZeros: 1 } });
		for (const spacer of ['', '\t'.repeat(9)]) {
			const doc = text.text
				.split('\n')
				.map((line) => (line === '\t'.repeat(14) ? spacer : line))
				.join('\n');
			const parsed = parseReport(encoder.encode(doc), text.fileName);
			expect(parsed.review).toBeNull();
			expect(parsed.issues.find((i) => i.code === 'table_missing')?.where).toEqual({ table: '四' });
		}
	});

	it('a line of tabs only inside table 三 is no row: it takes no row’s place', () => {
		const text = generateReport(1659318279, { format: 'text', template: '2021', noise: 0 });
		const lines = text.text.split('\n');
		const at = lines.findIndex((line) => line.includes('（一）予以公开'));
		expect(at).toBeGreaterThan(0);
		lines.splice(at, 0, '\t'.repeat(7));
		const parsed = parseReport(encoder.encode(lines.join('\n')), text.fileName);
		expect(comparable(parsed)).toEqual(comparable(text.record));
		expect(parsed.issues.map((i) => i.code)).not.toContain('row_by_order');
	});
});
