import { CASE_FIELDS, CASE_GROUPS } from '../schema';
import type { TemplateDescriptor } from './types';

/** 国办公开办函〔2019〕60号 "格式（试行）": the tables of the 2019 and 2020 reports, and of some later ones (report-format.md §1, §3–6). */
export const Y2019: TemplateDescriptor = {
	id: '2019',
	markers: {
		headers: /新制作数量|新公开数量|对外公开总数|上一年项目|本年增减|采购项目数量|采购总金额/,
		rows: ['other_services', 'procurement']
	},
	// Five grid columns whose middle columns are merged differently in header and data rows.
	active: {
		width: 5,
		blocks: [
			{ item: '（一）', rows: ['regulations', 'normative_documents'], headerSpans: [1, 2, 1], valueSpans: [1, 2, 1] },
			{ item: '（五）', rows: ['licensing', 'other_services'], headerSpans: [1, 2, 1], valueSpans: [2, 1, 1] },
			{ item: '（六）', rows: ['punishment', 'coercion'], headerSpans: [1, 2, 1], valueSpans: [2, 1, 1] },
			{ item: '（八）', rows: ['fees'], headerSpans: [2, 2], valueSpans: [2, 2] },
			{ item: '（九）', rows: ['procurement'], headerSpans: [2, 2], valueSpans: [2, 2] }
		],
		rowText: { normative_documents: '规范性文件' },
		headerText: { amount_yuan: '采购总金额' }
	},
	requests: { other: 'single' },
	cases: { groups: CASE_GROUPS, fields: CASE_FIELDS }
};
