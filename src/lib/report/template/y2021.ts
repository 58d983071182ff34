import { CASE_FIELDS, CASE_GROUPS } from '../schema';
import type { TemplateDescriptor } from './types';

/** 国办公开办函〔2021〕30号: the tables of the reports for 2021 onward (report-format.md §3–6). */
export const Y2021: TemplateDescriptor = {
	id: '2021',
	markers: {
		headers: /制发件数|本年废止|度止件数|年废止件|现行有效|收费金额|本年处理决定/,
		rows: []
	},
	// Four grid columns; a single value cell spans the three value columns.
	active: {
		width: 4,
		blocks: [
			{ item: '（一）', rows: ['regulations', 'normative_documents'], headerSpans: [1, 1, 1], valueSpans: [1, 1, 1] },
			{ item: '（五）', rows: ['licensing'], headerSpans: [3], valueSpans: [3] },
			{ item: '（六）', rows: ['punishment', 'coercion'], headerSpans: [3], valueSpans: [3] },
			{ item: '（八）', rows: ['fees'], headerSpans: [3], valueSpans: [3] }
		],
		rowText: {},
		headerText: { decisions: '本年处理决定数量', amount_10k_yuan: '本年收费金额（单位：万元）' }
	},
	requests: { other: 'split' },
	cases: { groups: CASE_GROUPS, fields: CASE_FIELDS }
};
