import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '$lib/db/aggregate';
import type { TableData, TableReport } from '$lib/db/builder';
import { buildTable, cellOf, exportOf, rowsDrawn, sortRows, tableNotes } from './model';

const report = (agency: string, year: number, template: string, scope: string, values: Record<string, number | null>): TableReport => ({
	report_id: `${agency}-${year}`,
	agency_id: agency,
	name: `机关${agency}`,
	year,
	template,
	status: 'clean',
	broken_rules: 0,
	scope,
	values
});
const point = (value: number | null, applicable = true): MetricPoint => ({
	year: 0,
	value,
	reports: value === null ? 0 : 1,
	denominator: null,
	flagged: 0,
	applicable
});

const data: TableData = {
	metrics: ['requests_received', 'fee_revenue'],
	reports: [
		report('b', 2020, '2019', 'own', { requests_received: 5, fee_revenue: null }),
		report('a', 2021, '2021', 'own', { requests_received: 9, fee_revenue: 1.5 }),
		report('a', 2022, '2021', 'aggregate', { requests_received: null, fee_revenue: 3 }),
		report('c', 2021, '2021', 'own', { requests_received: 2, fee_revenue: null })
	],
	byYear: new Map([[2021, { requests_received: point(11), fee_revenue: point(1.5) }]]),
	all: { requests_received: point(16), fee_revenue: point(1.5) },
	sum: { scope: 'own', reports: { own: 3, aggregate: 1 } }
};

describe('the built table', () => {
	it('sorts by a column either way with rows that have no value last, and by agency or year', () => {
		const t = buildTable(data, [2020, 2021, 2022], false);
		const keys = (k: string | null, desc: boolean) => sortRows(t, k, desc).map((r) => r.key);
		expect(keys('requests_received', true)).toEqual(['a-2021', 'b-2020', 'c-2021', 'a-2022']);
		expect(keys('requests_received', false)).toEqual(['c-2021', 'b-2020', 'a-2021', 'a-2022']);
		// 不适用 (b's 2019 template) and no number sort last alike.
		expect(keys('fee_revenue', false)).toEqual(['a-2021', 'a-2022', 'b-2020', 'c-2021']);
		expect(keys('year', true)).toEqual(['a-2022', 'a-2021', 'c-2021', 'b-2020']);
		expect(keys('scope', false)).toEqual(['a-2022', 'a-2021', 'b-2020', 'c-2021']);
		expect(keys(null, false)).toEqual(['a-2021', 'a-2022', 'b-2020', 'c-2021']);
		// A pivot column's key means nothing in the row layout: the default order.
		expect(keys('fee_revenue@2021', true)).toEqual(keys(null, false));
	});

	it('pivots to a row per agency and a column per metric and year with data, a missing report as none', () => {
		const t = buildTable(data, [2019, 2020, 2021, 2022], true);
		expect(t.columns.map((c) => c.key)).toEqual([
			'requests_received@2020',
			'requests_received@2021',
			'requests_received@2022',
			'fee_revenue@2020',
			'fee_revenue@2021',
			'fee_revenue@2022'
		]);
		const b = t.rows.find((r) => r.key === 'b')!;
		expect(cellOf(b, t.columns[1])).toEqual({ report: undefined, value: null, applicable: false });
		expect(cellOf(b, t.columns[3])).toMatchObject({ value: null, applicable: false });
		expect(t.total(t.columns[1]).value).toBe(11);
		expect(t.total(t.columns[0]).value).toBeNull();
		expect(sortRows(t, 'requests_received@2021', true).map((r) => r.key)).toEqual(['a', 'c', 'b']);
	});

	it('exports 不适用 as text in the CSV and as null in Parquet, with the totals row apart', () => {
		const t = buildTable(data, [2020, 2021, 2022], false);
		const rows = sortRows(t, null, false);
		const csv = exportOf(t, rows, data, 'zh', '不适用');
		expect(csv.columns.map((c) => c.name)).toEqual(['机关', 'agency_id', '年份', '表格格式', '统计范围', '勾稽状态', '本年新收申请', '行政事业性收费金额']);
		expect(csv.rows[2]).toEqual(['机关b', 'b', 2020, '2019', '本机关', '勾稽一致', 5, '不适用']);
		expect(csv.total).toEqual(['合计（3 份本级报告之和）', null, null, null, null, null, 16, 1.5]);
		expect(exportOf(t, rows, data, 'en', null).rows[2]).toEqual(['机关b', 'b', 2020, '2019', 'own', 'consistent', 5, null]);
	});

	it('draws at most about 6,000 cells and 300 rows, never fewer than 20', () => {
		expect(rowsDrawn(5)).toBe(300);
		expect(rowsDrawn(24)).toBe(250);
		expect(rowsDrawn(24 * 7)).toBe(35);
		expect(rowsDrawn(66 * 7)).toBe(20);
	});

	it('notes where the templates differ only when the rows mix them', () => {
		expect(tableNotes(data, false, 'zh').some((n) => n.includes('行政事业性收费金额'))).toBe(true);
		const one = { ...data, reports: data.reports.filter((r) => r.template === '2021') };
		expect(tableNotes(one, false, 'zh').some((n) => n.includes('行政事业性收费金额'))).toBe(false);
		// Several years in rows: the totals add them up, and the note says where the per-year totals are.
		expect(tableNotes(data, false, 'zh')).toContain('合计行把所列各年相加（现行有效件数、结转等存量也一样）；每年的合计见“每行一个机关”排列。');
		expect(tableNotes(data, true, 'zh').some((n) => n.startsWith('合计行把所列各年相加'))).toBe(false);
	});
});
