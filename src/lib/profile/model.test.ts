import { describe, expect, it } from 'vitest';
import type { IssueRow } from '$lib/db/queries';
import { checkGroups } from './model';

// The brief's checks keep 报告自身不符 and 解析存疑 apart: a rule that fails over a doubted cell (reading_rule) is not the report's error.

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
	it('puts rules failing over cells read as printed under 报告自身不符, doubtful readings (a rule over a doubted cell included) under 解析存疑, the rest apart', () => {
		const all = ['rule_outcomes', 'reading_ambiguous', 'continuity_carry', 'reading_rule', 'rule_balance', 'row_by_order', 'prose_table'].map(issue);
		const g = checkGroups(all);
		expect(codes(g.broken)).toEqual(['rule_outcomes', 'rule_balance']);
		expect(codes(g.doubt)).toEqual(['reading_ambiguous', 'reading_rule', 'row_by_order']);
		expect(codes(g.other)).toEqual(['continuity_carry', 'prose_table']);
	});
});
