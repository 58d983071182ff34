import { describe, expect, it } from 'vitest';
import { readSource } from '../src/cli/ingest/read';
import { factsOf } from '../src/lib/dataset/tables';
import { parseReport, validateRecord } from '../src/lib/report/index';
import { chineseNumber, readNumber, type CellKind } from '../src/lib/report/numbers';
import { chineseOf } from './helpers/chinese';
import { generateReport } from '../src/lib/synthetic/index';

/**
 * Numbers the document did not print (issue 13, item 7): a number in a record
 * is written in digits as the document printed it and fits its column;
 * otherwise the cell is null and an issue names the printed text.
 */

const NINES = '9'.repeat(401);

describe('one rule for every number read from a cell', () => {
	const cases: [string, CellKind, number | null, string?][] = [
		['12', 'count', 12],
		['1,234', 'count', 1234],
		['１２', 'count', 12],
		[' 12 件 ', 'count', 12],
		['', 'count', 0],
		['—', 'count', 0],
		['9007199254740991', 'count', 9007199254740991],
		[NINES, 'count', null, 'too_long'],
		['9007199254740993', 'count', null, 'too_long'],
		['5 3', 'count', null, 'spaced'],
		['5\u00a03', 'count', null, 'spaced'],
		['5\u30003', 'count', null, 'spaced'],
		['5\u20283', 'count', null, 'spaced'],
		['1 234', 'count', null, 'spaced'],
		['-5', 'count', null, 'negative'],
		['－5', 'count', null, 'negative'],
		['−5', 'count', null, 'negative'],
		['3.5', 'count', null, 'fraction'],
		['-3', 'signed', -3],
		['－3', 'signed', -3],
		['+3', 'signed', 3],
		['3.5', 'signed', null, 'fraction'],
		['12592.22', 'amount', 12592.22],
		['0.5', 'amount', 0.5],
		['1.5亿元', 'amount', 15000],
		['-12.5', 'amount', null, 'negative'],
		['12345678901234567.5', 'amount', null, 'too_long'],
		[NINES, 'amount', null, 'too_long'],
		['1 2.5', 'amount', null, 'spaced']
	];
	it.each(cases)('%j in a %s cell → %j', (text, kind, value, problem) => {
		const v = readNumber(text, kind);
		expect(v.value).toBe(value);
		expect(v.problem).toBe(problem);
	});
});

/** A generated 2021 report (HTML) whose table 三 「一、本年新收」 自然人 cell prints `cell` instead of its number. */
function reportWithCell(cell: string) {
	const g = generateReport(3, { format: 'html', noise: 0, template: '2021' });
	const html = new TextDecoder().decode(g.bytes);
	const row = html.indexOf('一、本年新收政府信息公开申请数量');
	const at = html.indexOf('<span lang=EN-US>', row) + '<span lang=EN-US>'.length;
	const end = html.indexOf('</span>', at);
	expect(html.slice(at, end)).toBe(String(g.record.requests.new_received!.natural));
	const edited = html.slice(0, at) + cell + html.slice(end);
	return { truth: g.record, bytes: new TextEncoder().encode(edited), name: g.fileName };
}

describe('counts written in Chinese numerals', () => {
	it("reads every number written out in full (十二, 一百零八, 一万零五百), as the tests' own writer writes it", () => {
		const bad: string[] = [];
		for (let n = 0; n < 30000; n++) if (chineseNumber(chineseOf(n)) !== n) bad.push(`${n} ${chineseOf(n)}`);
		for (const n of [100000, 110000, 1000001, 12345678, 99999999]) if (chineseNumber(chineseOf(n)) !== n) bad.push(`${n} ${chineseOf(n)}`);
		expect(bad).toEqual([]);
		expect([chineseNumber('〇'), chineseNumber('一十二'), chineseNumber('一百〇八'), chineseNumber('两百'), chineseNumber('两万')]).toEqual([
			0, 12, 108, 200, 20000
		]);
	});

	it("reads no numeral string that is not written out in full: speech's 一百二 is 120 as often as 102", () => {
		for (const s of [
			'一百二',
			'一千二',
			'一万二',
			'二〇二三',
			'一二八',
			'两',
			'十两',
			'百',
			'千二',
			'一百十二',
			'零五',
			'一百零',
			'一千零八百',
			'万',
			'一万零一千',
			'十十',
			'九九'
		])
			expect(chineseNumber(s), s).toBeUndefined();
		// Exhaustively over short strings: whatever reads as a number is that number as the writer writes it (〇, 两 and 一十 are variants).
		const alphabet = [...'零〇一二两三四五六七八九十百千万'];
		const wrong: string[] = [];
		const walk = (s: string, depth: number): void => {
			const v = s ? chineseNumber(s) : undefined;
			if (v !== undefined && s.replace(/〇/g, '零').replace(/两/g, '二').replace(/^一十/, '十') !== chineseOf(v)) wrong.push(`${s} → ${v}`);
			if (depth > 0) for (const c of alphabet) walk(s + c, depth - 1);
		};
		walk('', 4);
		expect(wrong).toEqual([]);
	});

	it('a cell of them is a count, said so; 约 before it is an approximation; words around them make a label', () => {
		expect(readNumber('十二', 'count')).toEqual({ value: 12, numeral: '十二' });
		expect(readNumber(' 一百二十八件 ', 'count')).toEqual({ value: 128, numeral: '一百二十八' });
		expect(readNumber('〇', 'count')).toEqual({ value: 0, numeral: '〇' });
		expect(readNumber('约十二', 'count')).toEqual({ value: 12, numeral: '十二', approx: true });
		for (const label of ['第十二条', '一是', '十二月', '三、收到和处理政府信息公开申请情况', '二〇二三年', '一百二'])
			expect(readNumber(label, 'count'), label).toEqual({ value: null, problem: 'not_number' });
	});
});

describe('a cell the column cannot hold becomes null with an issue naming the printed text', () => {
	const bad: [string, string, 'error' | 'warning'][] = [
		[NINES, '9999999999', 'error'],
		['9007199254740993', '9007199254740993', 'error'],
		['5 3', '5 3', 'error'],
		['5&nbsp;3', '5\\u00a03', 'error'],
		['5\u30003', '5\\u30003', 'error'],
		['5\u20283', '5\\u20283', 'error'],
		['-5', '-5', 'warning'],
		['－5', '－5', 'warning'],
		['3.5', '3.5', 'warning']
	];
	it.each(bad)('%j', (cell, shown, severity) => {
		const { truth, bytes, name } = reportWithCell(cell);
		const r = parseReport(bytes, name);
		expect(r.requests.new_received!.natural).toBeNull();
		// Every other cell is read as before.
		expect({ ...r.requests.new_received, natural: 0 }).toEqual({ ...truth.requests.new_received, natural: 0 });
		expect(r.requests.granted).toEqual(truth.requests.granted);
		const issue = r.issues.find((i) => i.code === 'cell_unreadable');
		expect(issue).toMatchObject({ severity, where: { table: '三', row: 'new_received', column: 'natural' } });
		expect(issue!.message).toContain(shown);
		// No rule claims to be broken over a cell it could not check.
		expect(r.issues.filter((i) => i.code.startsWith('rule_') && i.where?.column === 'natural')).toEqual([]);
		const { issues: _issues, ...record } = r;
		expect(validateRecord(record)).toEqual([]);
	});

	it('ingest takes the record with its null instead of refusing the file; the null is no fact', async () => {
		const { bytes, name } = reportWithCell('5 3');
		const read = await readSource(bytes, name, 'document');
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		const [entry] = read.entries;
		expect(entry.record.requests.new_received!.natural).toBeNull();
		expect(entry.issues.map((i) => i.code)).toContain('cell_unreadable');
		const facts = factsOf('x', entry.record);
		expect(facts.some((f) => f.row_key === 'new_received' && f.column_key === 'natural')).toBe(false);
		expect(facts.find((f) => f.row_key === 'new_received' && f.column_key === 'total')?.value).toBe(entry.record.requests.new_received!.total);
		expect(facts.every((f) => Number.isFinite(f.value))).toBe(true);
	});
});
