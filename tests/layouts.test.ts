/**
 * Layouts of real agencies' pages that the template does not print (issue 12):
 * each is read exactly, or its cells are marked ambiguous; never a silent
 * wrong number. The pages are written from generated records
 * (tests/helpers/html-report.ts), which are their truth.
 */
import { describe, expect, it } from 'vitest';
import { parseReport, type ParsedReport } from '../src/lib/report/index';
import { readCell } from '../src/lib/report/numbers';
import { APPLICANT_COLUMNS, type ApplicantColumn, type CompleteRecord } from '../src/lib/report/schema';
import { generateRecord } from '../src/lib/synthetic/index';
import { reportPage, tabText, type PageLayout } from './helpers/html-report';
import { mismatches } from './helpers/mismatches';
import { chineseOf } from './helpers/chinese';
import { rowsOf } from '../src/lib/report/mapping/rows';
import { cell } from '../src/lib/report/document';

const SEEDS = [11, 12, 13, 14];

function records(): CompleteRecord[] {
	return SEEDS.map((seed) => generateRecord(seed, { template: seed % 2 ? '2021' : '2019' }));
}

function parsePage(html: string): ParsedReport {
	return parseReport(new TextEncoder().encode(html), 'layout.html');
}

function parseText(text: string): ParsedReport {
	return parseReport(new TextEncoder().encode(text), 'layout.txt');
}

/** The cells read wrong without being marked inferred or ambiguous. */
function silentlyWrong(parsed: ParsedReport, truth: CompleteRecord): string[] {
	return mismatches(parsed, truth).filter((path) => (parsed.provenance?.[path]?.how ?? 'read') === 'read');
}

function expectExact(layout: PageLayout): void {
	for (const truth of records()) {
		const parsed = parsePage(reportPage(truth, layout));
		expect(mismatches(parsed, truth), `${truth.template} ${JSON.stringify(layout)}`).toEqual([]);
		expect(parsed.issues.filter((i) => i.code.startsWith('rule_') || i.code.startsWith('cells_'))).toEqual([]);
	}
}

describe('table 三 with its applicant columns in another order than the template', () => {
	const orders: Record<string, ApplicantColumn[]> = {
		'总计 first': ['total', 'natural', 'commercial', 'research', 'ngo', 'legal_service', 'other'],
		'自然人 after 法人或其他组织': ['commercial', 'research', 'ngo', 'legal_service', 'other', 'natural', 'total'],
		'法人或其他组织 columns shuffled': ['natural', 'research', 'commercial', 'legal_service', 'ngo', 'other', 'total']
	};
	for (const [name, applicants] of Object.entries(orders)) it(`${name}: read by the header's order`, () => expectExact({ applicants }));

	it('a 小计 column after the 法人或其他组织 columns is not one of the seven', () => expectExact({ subtotal: true }));
	it('a 小计 column and 总计 first', () => expectExact({ subtotal: true, applicants: orders['总计 first'] }));

	it("in text copied from the page (tab-separated, spans as empty fields): read by the header's order", () => {
		for (const truth of records()) {
			const parsed = parseText(tabText(reportPage(truth, { applicants: orders['总计 first'] })));
			expect(mismatches(parsed, truth)).toEqual([]);
		}
	});

	it("in text whose blanks cannot be told from merged cells' shadows: every wrong cell is marked", () => {
		for (const truth of records()) {
			const parsed = parseText(tabText(reportPage(truth, { applicants: orders['总计 first'], zero: '' })));
			expect(silentlyWrong(parsed, truth)).toEqual([]);
		}
	});

	it('a table without a 总计 (or 其他) column: those cells are null, never computed, the rest read by the header', () => {
		for (const left of ['total', 'other'] as const)
			for (const truth of records()) {
				const parsed = parsePage(reportPage(truth, { applicants: APPLICANT_COLUMNS.filter((c) => c !== left) }));
				const expected = structuredClone(truth);
				for (const cells of Object.values(expected.requests)) if (cells) (cells as Record<string, number | null>)[left] = null;
				expect(mismatches(parsed, expected)).toEqual([]);
				expect(parsed.issues.filter((i) => i.code === 'column_missing')).toHaveLength(1);
			}
	});

	it('an HTML row one cell short is flagged, its numbers never split into two cells', () => {
		for (const truth of records()) {
			// The last cell of 一、本年新收 lost: an HTML cell holds one number, so "118" is never read as 11 | 8.
			const html = reportPage(truth).replace(/(<td colspan="3">一、本年新收政府信息公开申请数量<\/td>(?:<td>[^<]*<\/td>){6})<td>[^<]*<\/td>/, '$1');
			const parsed = parsePage(html);
			expect(silentlyWrong(parsed, truth)).toEqual([]);
			const natural = String(truth.requests.new_received!.natural);
			expect(String(parsed.requests.new_received!.natural)).toBe(natural);
		}
	});

	it("a row whose cells do not match the header's columns is read with every cell ambiguous, not by the template's order", () => {
		const truth = records()[0];
		// One cell of （一）予以公开 lost: which number is whose cannot be told.
		const html = reportPage(truth, { applicants: orders['总计 first'] }).replace(/(<td colspan="2">（一）予以公开<\/td>)<td>[^<]*<\/td>/, '$1');
		const parsed = parsePage(html);
		expect(silentlyWrong(parsed, truth)).toEqual([]);
		for (const column of ['natural', 'total']) expect(parsed.provenance?.[`requests.granted.${column}`]?.how).toBe('ambiguous');
		expect(parsed.issues.find((i) => i.code === 'cells_ambiguous' && i.where?.row === 'granted')?.message).toMatch(/表头列序/);
		// The other rows are read as the header orders them.
		expect(mismatches(parsed, truth).filter((p) => !p.startsWith('requests.granted.'))).toEqual([]);
	});
});

describe('table 四 with its fields in another order than the template', () => {
	const totalFirst = ['total', 'maintained', 'corrected', 'other', 'pending'] as const;
	it('总计 first, in one table', () => expectExact({ caseFields: totalFirst }));
	it('总计 first, as three small tables', () => expectExact({ caseFields: totalFirst, caseTables: true }));
	it('尚未审结 before 其他结果, as three small tables', () =>
		expectExact({ caseFields: ['maintained', 'corrected', 'pending', 'other', 'total'], caseTables: true }));

	it('行政诉讼 before 行政复议, 复议后起诉 before 未经复议直接起诉: the groups read by the header', () => expectExact({ litigationFirst: true }));
	it('the groups in another order and 总计 first', () => expectExact({ litigationFirst: true, caseFields: totalFirst }));
	it('the groups in another order, in text copied from the page', () => {
		for (const truth of records()) expect(mismatches(parseText(tabText(reportPage(truth, { litigationFirst: true }))), truth)).toEqual([]);
	});

	it('groups printing different orders are all ambiguous', () => {
		const truth = records()[1];
		// The second group's header swaps 结果维持 and 结果纠正; its values follow the first group's order.
		const html = reportPage(truth).replace(
			/(<tr><td>结果维持<\/td><td>结果纠正<\/td><td>其他结果<\/td><td>尚未审结<\/td><td>总计<\/td>)<td>结果维持<\/td><td>结果纠正<\/td>/,
			'$1<td>结果纠正</td><td>结果维持</td>'
		);
		const parsed = parsePage(html);
		expect(silentlyWrong(parsed, truth)).toEqual([]);
		expect(parsed.provenance?.['litigation_direct.maintained']?.how).toBe('ambiguous');
	});
});

describe('cells printed with more than the number', () => {
	it('a footnote mark after a count ("8*", "12①") is not part of it, and is noted', () => {
		for (const mark of ['*', '①', '※']) expectExact({ count: (n) => (n > 5 ? `${n}${mark}` : String(n)) });
		const truth = records()[0];
		const parsed = parsePage(reportPage(truth, { count: (n) => (n > 5 ? `${n}*` : String(n)) }));
		expect(parsed.issues.some((i) => i.code === 'footnote_mark' && /数字后的“\*”是注释/.test(i.message))).toBe(true);
	});

	it('a note in brackets after a count ("12（注）", "8（含2件）") is not part of it, and is noted', () => {
		for (const note of ['（注）', '(注1)', '（含2件）']) expectExact({ count: (n) => (n > 5 ? `${n}${note}` : String(n)) });
	});

	it('a label ending in a bracket is still a label, whatever number starts it', () => {
		for (const text of ['（二）部分公开（区分处理的）', '2.其他法律行政法规禁止公开（注）', '3.其他（含转办）', '本年新收（件）'])
			expect(readCell(text)).toBeUndefined();
		expect(readCell('12（含3件）')).toEqual({ value: 12, mark: '(含3件)' });
		expect(readCell('—（注）')).toBeUndefined();
	});

	it('an approximate count ("约12") is the agency\'s number, read and marked as an approximation, never silently exact', () => {
		const about = (n: number) => (n > 5 ? `约${n}` : String(n));
		expectExact({ count: about });
		const truth = records()[1];
		const page = reportPage(truth, { count: about });
		for (const parsed of [parsePage(page), parseText(tabText(page))]) {
			expect(mismatches(parsed, truth)).toEqual([]);
			const approx = parsed.issues.filter((i) => i.code === 'approximate');
			expect(approx.length).toBeGreaterThan(0);
			expect(approx.every((i) => /约\d+.*约数/.test(i.message) && i.where?.column)).toBe(true);
			expect(parsed.issues.filter((i) => i.code.startsWith('rule_') || i.code.startsWith('cells_') || i.code === 'row_missing')).toEqual([]);
		}
	});

	it('a superscript note number after a count ("12¹") is a footnote mark, not a digit: 12, not 121', () => {
		const sup = (n: number) => (n > 5 ? `${n}\u00b9` : n > 2 ? `${n}\u00b2\u00b3` : String(n));
		expectExact({ count: sup });
		const truth = records()[0];
		const parsed = parseText(tabText(reportPage(truth, { count: sup })));
		expect(mismatches(parsed, truth)).toEqual([]);
		expect(parsed.issues.some((i) => i.code === 'footnote_mark' && /数字后的“¹”/.test(i.message))).toBe(true);
		expect(readCell('12¹')).toEqual({ value: 12, mark: '¹' });
	});

	it('a note number set in <sup> after a count (a web page, or a Word superscript run) is a footnote mark: 12, not 121', () => {
		expectExact({ count: (n) => (n > 5 ? `${n}<sup>1</sup>` : n > 2 ? `${n}<sup>２3</sup>` : String(n)) });
		const parsed = parsePage(reportPage(records()[0], { count: (n) => (n > 5 ? `${n}<sup>1</sup>` : String(n)) }));
		expect(parsed.issues.some((i) => i.code === 'footnote_mark' && /数字后的“¹”/.test(i.message))).toBe(true);
	});
});

describe('table 三 printed transposed (applicant types as rows, the template rows across its header)', () => {
	it("in a page the spans place every cell: read by the header's orientation, exactly, with an info issue saying so", () => {
		for (const truth of records()) {
			const parsed = parsePage(reportPage(truth, { transposed: true }));
			expect(mismatches(parsed, truth), truth.template).toEqual([]);
			expect(parsed.issues.filter((i) => i.code === 'table_transposed').map((i) => i.severity)).toEqual(['info']);
			expect(parsed.issues.filter((i) => i.code.startsWith('rule_') || i.code.startsWith('cells_') || i.code === 'table_missing')).toEqual([]);
		}
	});

	it('in text copied from the page the spans are lost: table 三 is refused with an error naming why, never read, and 二 and 四 are read', () => {
		for (const truth of records()) {
			const parsed = parseText(tabText(reportPage(truth, { transposed: true })));
			const refused = parsed.issues.filter((i) => i.code === 'table_transposed');
			expect(refused.map((i) => i.severity)).toEqual(['error']);
			expect(refused[0].message).toMatch(/行列互换.*表三不读取/);
			// No number of table 三 at all (null, never a misread row), and the other tables as printed.
			expect(Object.values(parsed.requests).every((row) => row === null)).toBe(true);
			expect(mismatches(parsed, truth).every((path) => path.startsWith('requests.'))).toBe(true);
			expect(parsed.review).toEqual(truth.review);
		}
	});

	it('a page whose spans do not place the cells (a row a cell short) is refused the same way, never read as printed', () => {
		const truth = records()[1];
		const page = reportPage(truth, { transposed: true }).replace(/(<tr><td[^>]*>科研机构<\/td>)<td>\d+<\/td>/, '$1');
		expect(page).not.toEqual(reportPage(truth, { transposed: true }));
		const parsed = parsePage(page);
		expect(parsed.issues.filter((i) => i.code === 'table_transposed').map((i) => i.severity)).toEqual(['error']);
		expect(Object.values(parsed.requests).every((row) => row === null)).toBe(true);
	});
});

describe('counts written in Chinese numerals (十二, 一百二十八, 〇)', () => {
	/** Some counts in numerals, the rest in digits; every zero as 〇. */
	const numerals: PageLayout = { count: (n) => (n % 3 === 0 ? String(n) : chineseOf(n)), zero: '〇' };

	it('are read, each cell named in an info issue, in a page and in its copied text', () => {
		expectExact(numerals);
		for (const truth of records()) {
			const page = reportPage(truth, numerals);
			for (const parsed of [parsePage(page), parseText(tabText(page))]) {
				expect(mismatches(parsed, truth)).toEqual([]);
				const said = parsed.issues.filter((i) => i.code === 'chinese_numeral');
				expect(said.length).toBeGreaterThan(10);
				expect(
					said.every((i) => i.severity === 'info' && i.where?.column && /单元格为“[零〇一二三四五六七八九十百千万]+”，是汉字数字，按 \d+ 计/.test(i.message))
				).toBe(true);
				expect(parsed.issues.filter((i) => i.code.startsWith('rule_') || i.code.startsWith('cells_') || i.code === 'row_missing')).toEqual([]);
			}
		}
	});

	it("a numeral after a row's numbers is one of them, also in a row without a label and in text (exact or not)", () => {
		const row = (texts: string[], exactCells: boolean) => rowsOf([{ rows: [texts.map((text) => cell(text))], exactCells }])[0];
		for (const exact of [true, false]) {
			expect(row(['3', '2', '十二'], exact).values, String(exact)).toEqual(['3', '2', '十二']);
			expect(row(['3', '', '十'], exact).values, String(exact)).toEqual(['3', '', '十']);
			expect(row(['一', '本年新收', '3', '十二'], exact).printed, String(exact)).toBe('一 本年新收');
		}
	});

	it("约十二 is the agency's approximation, read as 12 and marked so, never silently exact", () => {
		const truth = records()[1];
		const page = reportPage(truth, { count: (n) => (n > 5 ? `约${chineseOf(n)}` : String(n)) });
		for (const parsed of [parsePage(page), parseText(tabText(page))]) {
			expect(mismatches(parsed, truth)).toEqual([]);
			const approx = parsed.issues.filter((i) => i.code === 'approximate');
			expect(approx.length).toBeGreaterThan(0);
			expect(approx.every((i) => /“约[一二三四五六七八九十百千万零]+”，是约数，按 \d+ 计/.test(i.message) && i.severity === 'warning')).toBe(true);
		}
	});

	it('a row numbered in its own cell ("一" | "本年新收…") keeps its label; numerals not written out in full ("一百二") are that cell, null with an issue', () => {
		let spokenCells = 0;
		for (const truth of records()) {
			const numbered = reportPage(truth, numerals).replace(
				/<td colspan="3">([一二])、([^<]+)<\/td>/g,
				(_, n: string, label: string) => `<td>${n}</td><td colspan="2">${label}</td>`
			);
			expect(numbered).toContain('<td>二</td>');
			expect(mismatches(parsePage(numbered), truth)).toEqual([]);
			// 一百二 is 120 in speech as often as 102: no number, and no other cell moves.
			let k = 0;
			let seen = 0;
			const spoken = reportPage(truth, { count: (n) => (seen++ % 9 === 4 && k < 3 ? (k++, '一百二') : String(n)) });
			if (k === 0) continue;
			spokenCells += k;
			const parsed = parsePage(spoken);
			const wrong = mismatches(parsed, truth);
			expect(wrong.length).toBe(k);
			expect(parsed.issues.filter((i) => i.code === 'cell_unreadable' && i.message.includes('“一百二”'))).toHaveLength(k);
			expect(parsed.issues.filter((i) => i.code === 'row_missing' || i.code.startsWith('cells_'))).toEqual([]);
		}
		expect(spokenCells).toBeGreaterThan(8);
	});
});

describe('a number printed with words we do not read ("128左右") among a row\'s numbers', () => {
	const at = (parsed: ParsedReport, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], parsed);
	const pages = () =>
		records().map((truth) => {
			let k = 0;
			return { truth, page: reportPage(truth, { count: (n) => (n > 5 && k++ % 7 === 3 ? `${n}左右` : String(n)) }) };
		});

	it('in an HTML table that cell alone is null with an issue naming it; the label and the other numbers are read as printed', () => {
		for (const { truth, page } of pages()) {
			const parsed = parsePage(page);
			const unreadable = parsed.issues.filter((i) => i.code === 'cell_unreadable' && /\d+左右/.test(i.message));
			const wrong = mismatches(parsed, truth);
			expect(wrong.length, truth.template).toBeGreaterThan(0);
			expect(wrong.filter((path) => at(parsed, path) !== null)).toEqual([]);
			expect(unreadable.length).toBe(wrong.length);
			expect(parsed.issues.filter((i) => i.code === 'row_missing' || i.code.startsWith('cells_'))).toEqual([]);
		}
	});

	it('in text copied from the page (its fields split on tabs), that cell alone is null with an issue naming it, as in the page', () => {
		// Before, text rows took the cell into the label: 表三's row came out null or ambiguous, and table 四 could be lost.
		for (const { truth, page } of pages()) {
			const parsed = parseText(tabText(page));
			const unreadable = parsed.issues.filter((i) => i.code === 'cell_unreadable' && /\d+左右/.test(i.message));
			const wrong = mismatches(parsed, truth);
			expect(wrong.length, truth.template).toBeGreaterThan(0);
			expect(wrong.filter((path) => at(parsed, path) !== null)).toEqual([]);
			expect(unreadable.length).toBe(wrong.length);
			expect(parsed.issues.filter((i) => i.code === 'row_missing' || i.code === 'table_missing')).toEqual([]);
		}
	});

	it('in text copied from the page, a 表三 row whose numbers are unreadable is never read as a blank row of zeros', () => {
		for (const { truth, page } of pages()) {
			const parsed = parseText(tabText(page));
			const wrong = mismatches(parsed, truth).filter((path) => path.startsWith('requests.'));
			// Each differing cell is null or marked (ambiguous where a row's blanks cannot be told apart), never a 0 inferred or read.
			expect(wrong.filter((path) => at(parsed, path) !== null && parsed.provenance?.[path]?.how !== 'ambiguous')).toEqual([]);
		}
	});
});

describe('本年增/减 with 增 or 减 as its sign', () => {
	const words = (n: number) => (n > 0 ? `增${n}` : n < 0 ? `减${-n}` : '0');
	const is2019 = (r: CompleteRecord) => r.template === '2019';

	it('"增2" is +2 and "减3" is −3 in the signed column, in a page and in its copied text', () => {
		const truths = records().filter(is2019);
		expect(truths.some((r) => Object.values(r.active as Record<string, { change?: number }>).some((row) => (row.change ?? 0) < 0))).toBe(true);
		for (const truth of truths) {
			const page = reportPage(truth, { change: words });
			for (const parsed of [parsePage(page), parseText(tabText(page))]) {
				expect(mismatches(parsed, truth)).toEqual([]);
				expect(parsed.issues.filter((i) => i.code === 'row_missing' || i.code === 'cell_unreadable')).toEqual([]);
			}
		}
		expect(readCell('增加2')).toMatchObject({ value: 2, signWord: '增' });
		expect(readCell('减少3')).toMatchObject({ value: -3, signWord: '减' });
		expect(readCell('增-2')).toBeUndefined();
	});

	it('in any other column 增/减 make no number: the cell is null with an issue naming it', () => {
		const truth = records()[0];
		const parsed = parsePage(reportPage(truth, { count: (n) => (n > 5 ? `增${n}` : String(n)) }));
		const unreadable = parsed.issues.filter((i) => i.code === 'cell_unreadable' && /增\d+/.test(i.message));
		expect(unreadable.length).toBeGreaterThan(0);
		// Every cell that differs from the truth is null (the 增 cells), never a number.
		const at = (path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], parsed);
		const wrong = mismatches(parsed, truth);
		expect(wrong.length).toBe(unreadable.length);
		expect(wrong.filter((path) => at(path) !== null)).toEqual([]);
	});
});

describe('damaged bytes', () => {
	it('a UTF-8 page with a few invalid bytes (a GBK character pasted in, a broken byte) is read as UTF-8, not refused as no report', () => {
		const truth = records()[0];
		const page = reportPage(truth);
		const at = page.indexOf('<p>') + 3;
		const utf8 = (text: string) => [...new TextEncoder().encode(text)];
		// Two GBK bytes (0xD5 0xFE) opening the first paragraph, and a lone 0xFF near the end.
		const bytes = new Uint8Array([...utf8(page.slice(0, at)), 0xd5, 0xfe, ...utf8(page.slice(at, -20)), 0xff, ...utf8(page.slice(-20))]);
		const parsed = parseReport(bytes, 'damaged.html');
		expect(mismatches(parsed, truth)).toEqual([]);
	});
});
