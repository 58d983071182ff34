import { describe, expect, it } from 'vitest';
import type { IssueRow } from '$lib/db/queries';
import { checkGroups } from './model';

// The brief's checks keep 报告自身不符 and 解析存疑 apart: a rule that fails under a reading in doubt is not the report's error.

const issue = (code: string): IssueRow => ({
	report_id: 'r',
	year: 2023,
	code,
	severity: 'warning',
	message: code,
	table_no: '三',
	row_key: null,
	column_key: null,
	expected: null,
	actual: null
});
const codes = (xs: IssueRow[]) => xs.map((i) => i.code);

describe('checkGroups', () => {
	const all = ['rule_outcomes', 'reading_ambiguous', 'continuity_carry', 'rule_balance', 'row_by_order', 'prose_table'].map(issue);

	it('puts the rules of a report read with certainty under 报告自身不符, doubtful readings under 解析存疑, the rest apart', () => {
		const g = checkGroups({ status: 'broken_rules' }, all);
		expect(codes(g.broken)).toEqual(['rule_outcomes', 'rule_balance']);
		expect(codes(g.doubt)).toEqual(['reading_ambiguous', 'row_by_order']);
		expect(codes(g.other)).toEqual(['continuity_carry', 'prose_table']);
	});

	it('never blames a report read in doubt: its failing rules go with the doubt', () => {
		const g = checkGroups({ status: 'uncertain' }, all);
		expect(g.broken).toEqual([]);
		expect(codes(g.doubt)).toEqual(['rule_outcomes', 'reading_ambiguous', 'rule_balance', 'row_by_order']);
	});
});
