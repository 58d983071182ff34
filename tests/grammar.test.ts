import { describe, expect, it } from 'vitest';
import { choose, evenCost } from '../src/lib/report/mapping/choose';
import { decideCases, decideRequests } from '../src/lib/report/mapping/decide';
import { prepareRun, splitRun } from '../src/lib/report/mapping/split';
import { checkRecord, parseReport } from '../src/lib/report/index';
import type { ReportRecord } from '../src/lib/report/schema';
import { generateReport } from '../src/lib/synthetic/index';
import { factsOf, statusOf } from '../src/lib/dataset/tables';
import { comparable } from './corpus';

/** The grammar's pieces: digit runs split by the layout, then chosen by the tables' arithmetic. */
describe('splitting a run of digits', () => {
	it('keeps printed spaces as boundaries, never gives a count a leading zero, keeps a decimal and unit on the amount', () => {
		const { readings } = splitRun(prepareRun('230 000023'), { n: 7, maxDigits: 7 });
		for (const r of readings) {
			expect(r.join('').length).toBe(9);
			expect(r.every((c) => c === '0' || !c.startsWith('0'))).toBe(true);
		}
		expect(readings).toContainEqual(['23', '0', '0', '0', '0', '0', '23']);
		expect(readings.some((r) => r[0] === '230')).toBe(true);
		const amounts = splitRun(prepareRun('13575394432.52元'), { n: 2, maxDigits: 12, decimalCells: [1] }).readings;
		expect(amounts).toContainEqual(['135', '75394432.52元']);
		expect(amounts.every((r) => r[1].endsWith('.52元'))).toBe(true);
	});

	it('reads a sign as the start of a cell (本年增/减)', () => {
		const { readings } = splitRun(prepareRun('12-3181'), { n: 3, maxDigits: 7 });
		// The sign starts a cell wherever the split falls; no cell holds it inside.
		expect(readings.every((r) => r.filter((c) => c.startsWith('-3')).length === 1 && r.every((c) => !c.slice(1).includes('-')))).toBe(true);
		expect(readings).toContainEqual(['12', '-3', '181']);
	});
});

describe('choosing among readings', () => {
	it('one survivor: the cells the layout left open are inferred, the rest read', () => {
		const [r] = decideRequests([{ key: 'new_received', label: '一、本年新收', run: '230 000023' }]);
		expect(r.choice.cells).toEqual(['23', '0', '0', '0', '0', '0', '23']);
		// "230" could be 230 or 23|0, and "23" at the end 23 or 2|3: the row total decided both.
		expect(r.choice.readings.map((x) => x.how)).toEqual(['inferred', 'inferred', 'read', 'read', 'read', 'inferred', 'inferred']);
		expect(r.choice.outcome).toBe('inferred');
	});

	it('several survivors: the layout’s favourite, the cells in dispute ambiguous with the alternatives', () => {
		// 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 both keep the row total.
		const [r] = decideRequests([{ key: 'granted', label: '（一）予以公开', run: '1100000 11' }]);
		expect(r.choice.outcome).toBe('ambiguous');
		const disputed = r.choice.readings.filter((x) => x.how === 'ambiguous');
		expect(disputed.length).toBeGreaterThan(0);
		expect(disputed.every((x) => (x.alternatives ?? []).length > 0)).toBe(true);
	});

	it('the column rules settle what a row total cannot', () => {
		const zeros = '0000000';
		const runs = [
			{ key: 'new_received' as const, label: '', run: '1100000 11' },
			{ key: 'carried_over' as const, label: '', run: zeros },
			{ key: 'granted' as const, label: '', run: '11 00000 11' },
			{ key: 'total_processed' as const, label: '', run: '11 00000 11' },
			{ key: 'carried_forward' as const, label: '', run: zeros }
		];
		const decided = decideRequests(runs);
		expect(decided[0].choice.cells).toEqual(['11', '0', '0', '0', '0', '0', '11']);
		expect(decided[0].choice.outcome).toBe('inferred');
	});

	it('no reading keeps the rules: the layout’s favourite, the open cells ambiguous (the checks report the rule)', () => {
		const c = choose(
			[
				['1', '23'],
				['12', '3']
			],
			[],
			evenCost()
		);
		expect(c.outcome).toBe('ambiguous');
		expect(c.readings.every((r) => r.how === 'ambiguous')).toBe(true);
	});

	it('table 四: each group’s total decides its run', () => {
		// 10 | 0 | 0 | 0 | 10, then two groups of zeros: 1 | 0 | 0 | 0 | 0 would break the first total.
		const c = decideCases('1000010' + '0'.repeat(10), 15)!;
		expect(c.cells).toEqual(['10', '0', '0', '0', '10', ...new Array<string>(10).fill('0')]);
		expect(c.outcome).toBe('inferred');
	});
});

describe('wrapped labels and table 四 as three small tables (text from a PDF text layer)', () => {
	it('puts every wrapped label back on its row, numbers on any of its lines, and reads the three small tables', () => {
		let numbersAlone = 0;
		let threeTables = 0;
		for (let seed = 1; seed <= 60; seed++) {
			const g = generateReport(seed, { format: 'wrapped', template: seed % 2 ? '2019' : '2021' });
			if (/\n[^\d\n]+\n(\d+ ){6}\d+\n[^\d\n]+\n/.test(g.text)) numbersAlone++;
			if (g.text.includes('\n行政复议\n')) threeTables++;
			const parsed = parseReport(g.bytes, g.fileName);
			// A run of labels each a line off its numbers (the layout has them too) may leave outcome rows the rules cannot tell
			// apart: those cells, and only those, differ from the truth, each marked ambiguous (tests/pdf-layout.test.ts at volume).
			const [got, want] = [comparable(parsed), comparable(g.record)] as Record<string, Record<string, Record<string, unknown> | null>>[];
			for (const [row, cells] of Object.entries(want.requests))
				for (const [col, v] of Object.entries(cells ?? {}))
					if (got.requests[row]?.[col] !== v) expect(parsed.provenance?.[`requests.${row}.${col}`]?.how).toBe('ambiguous');
			expect({ ...got, requests: undefined }).toEqual({ ...want, requests: undefined });
			// Placed by the labels, not by counting rows.
			expect(parsed.issues.filter((i) => i.code === 'row_by_order')).toEqual([]);
		}
		expect(numbersAlone).toBeGreaterThan(5);
		expect(threeTables).toBeGreaterThan(10);
	});
});

describe('two kinds of warning: 报告自身不符 vs 解析存疑', () => {
	const rule = { code: 'rule_row_total', severity: 'warning' as const, message: '', where: { table: '三' as const, row: 'granted' } };
	const doubt = { code: 'reading_ambiguous', severity: 'warning' as const, message: '', where: { table: '三' as const, row: 'granted' } };

	it('the status: a rule broken over cells read as printed is the report’s own whatever doubt there is elsewhere; a rule failing over doubted cells is not', () => {
		const doubtedRule = { ...rule, code: 'reading_rule' };
		expect(statusOf([rule]).status).toBe('broken_rules');
		expect(statusOf([rule, doubt]).status).toBe('broken_rules');
		expect(statusOf([doubtedRule, doubt])).toEqual({ status: 'uncertain', broken: 0, warnings: 2 });
		expect(statusOf([doubt]).status).toBe('uncertain');
		expect(statusOf([]).status).toBe('clean');
	});

	it('each failed rule is sorted by the provenance of the cells it adds up', () => {
		const g = generateReport(11, { format: 'html', template: '2021' });
		const r: ReportRecord = structuredClone(g.record);
		r.requests.granted!.total = r.requests.granted!.total! + 1;
		const parsed = parseReport(g.bytes, g.fileName);
		const sure = checkRecord(r, parsed.provenance);
		expect(sure.map((i) => i.code).sort()).toEqual(['rule_outcomes', 'rule_row_total']);
		const marked = (path: string, how: 'inferred' | 'ambiguous') => ({ ...parsed.provenance, [path]: { ...parsed.provenance![path], how } });
		// The same failures with the row's 总计 inferred: both rules add that cell up, so both are our doubt, same place and numbers.
		const total = checkRecord(r, marked('requests.granted.total', 'inferred'));
		expect(total.map((i) => i.code)).toEqual(['reading_rule', 'reading_rule']);
		expect(total.map((i) => [i.where, i.expected, i.actual])).toEqual(sure.map((i) => [i.where, i.expected, i.actual]));
		expect(total[0].message).toMatch(/^解析存疑.*总计（推断）/);
		// 自然人 inferred: the row total adds it up, the 总计 column's outcome rule does not.
		const natural = checkRecord(r, marked('requests.granted.natural', 'ambiguous'));
		expect(natural.map((i) => [i.code, i.where?.column])).toEqual([
			['rule_outcomes', 'total'],
			['reading_rule', 'total']
		]);
		expect(natural[1].message).toContain('自然人（存疑）');
		// A doubted cell the rule does not add up changes nothing: 四's cells are not in table 三's rules.
		const elsewhere = { ...parsed.provenance, 'review.total': { ...parsed.provenance!['review.total'], how: 'ambiguous' as const } };
		expect(
			checkRecord(r, elsewhere)
				.map((i) => i.code)
				.sort()
		).toEqual(['rule_outcomes', 'rule_row_total']);
	});

	it('run-together digits: a row no split of which keeps its total is 解析存疑; a run only one way to split is the report’s own', () => {
		const g = generateReport(7, { format: 'glued', template: '2021' });
		// 8 digits for 7 cells: 40|0|0|0|0|2|6 and 4|0|0|0|0|0|26, neither keeps the row total.
		const doubted = g.text.replace('（一）予以公开4000026', '（一）予以公开400000 26');
		// Fifteen digits for fifteen cells: one way only, and 1+0+0+0 is not 0.
		const both = doubted.replace('总计00000 00000', '总计10000 00000');
		expect(both).not.toBe(doubted);
		expect(doubted).not.toBe(g.text);
		const a = parseReport(new TextEncoder().encode(doubted), g.fileName);
		expect(a.provenance?.['requests.granted.total']?.how).toBe('ambiguous');
		expect(a.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
		expect(a.issues.filter((i) => i.code === 'reading_rule').map((i) => i.where?.row)).toContain('granted');
		expect(statusOf(a.issues).status).toBe('uncertain');
		const b = parseReport(new TextEncoder().encode(both), g.fileName);
		expect(b.issues.filter((i) => i.code.startsWith('rule_')).map((i) => [i.code, i.where?.row])).toEqual([['rule_case_total', 'review']]);
		expect(statusOf(b.issues).status).toBe('broken_rules');
	});

	it('facts carry how each number was read and its row as printed', () => {
		const g = generateReport(7, { format: 'glued', template: '2019' });
		const parsed = parseReport(g.bytes, g.fileName);
		const facts = factsOf('x', parsed, parsed.provenance);
		expect(facts.every((f) => ['read', 'inferred', 'ambiguous'].includes(f.how))).toBe(true);
		expect(facts.some((f) => f.how !== 'read')).toBe(true);
		expect(facts.find((f) => f.row_key === 'granted' && f.column_key === 'total')?.printed_row).toContain('予以公开');
		// An imported record states its numbers: read as given.
		expect(factsOf('x', parsed).every((f) => f.how === 'read' && f.printed_row === null && f.reason === null)).toBe(true);
		// Only a cell the prose decided carries a sentence, and it is the one parse --json gives.
		for (const f of facts) {
			const path = f.table_no === '四' ? `${f.row_key}.${f.column_key}` : `${f.table_no === '二' ? 'active' : 'requests'}.${f.row_key}.${f.column_key}`;
			expect(f.reason).toBe(parsed.provenance?.[path]?.reason ?? null);
		}
	});
});
