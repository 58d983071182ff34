import type { ActiveRowKey, RequestRow } from './schema';

/**
 * Every label the parser recognises, matched by meaning on `labelKey` text
 * (no spaces, punctuation or brackets; simplified script). One table per
 * table of the report; order matters where one phrase contains another.
 */

/** Table 二 rows: the label must start with the phrase (parentheticals removed). */
export const ACTIVE_ROW_PATTERNS: readonly [ActiveRowKey, RegExp][] = [
	['regulations', /^规章/],
	['normative_documents', /^(行政)?规范性(文件|档案)/],
	['other_services', /^其他对外管理/],
	['licensing', /^行?政许可/],
	['punishment', /^行政处罚/],
	['coercion', /^行政强制/],
	['fees', /^(行政)?事业性收费/],
	['procurement', /^(政府)?集中采购/]
];

/** Table 二 header phrases that tell the templates apart (report-format.md §1). */
export const TEMPLATE_2021_MARKERS = /制发件数|本年废止|度止件数|年废止件|现行有效|收费金额|本年处理决定/;
export const TEMPLATE_2019_MARKERS = /新制作数量|新公开数量|对外公开总数|上一年项目|本年增减|采购项目数量|采购总金额/;

/** Table 二 field headers, for reading a header row's column order. */
export const ACTIVE_FIELD_PATTERNS: readonly [string, RegExp][] = [
	['issued', /制发/],
	['repealed', /废止|度止/],
	['in_force', /现行有效/],
	['amount_10k_yuan', /收费金额/],
	['made', /新制作/],
	['published', /新公开/],
	['total_public', /公开总数/],
	['previous_items', /上一年项目|上年项目/],
	['change', /增减/],
	['decisions', /处理决定/],
	['projects', /采购项目/],
	['amount_yuan', /总金额/]
];

export type RequestSection = 'denied' | 'unable' | 'rejected' | 'other' | '';

/** The sub-groups of 三、本年度办理结果 whose rows are numbered 1., 2. … */
export const SECTION_PATTERNS: readonly [RequestSection, RegExp][] = [
	['denied', /不予公开/],
	['unable', /无法提供/],
	['rejected', /不予处理/],
	['other', /其他处理/]
];

/** Table 三 rows; the first match wins. `other_other` and `other` depend on the section (mapping.ts). */
export const REQUEST_ROW_PATTERNS: readonly [RequestRow, RegExp][] = [
	['carried_over', /上年结转|上年度结转/],
	['carried_forward', /结转下|下年度继续|转下一?年|继续办理/],
	['new_received', /本年新收|本年度新收|新收政府信息/],
	['partially_granted', /部分公开/],
	['granted', /予以公开|同意公开/],
	['denied_state_secret', /国家秘密/],
	['denied_law_forbidden', /行政法规|其他法律|禁止公开/],
	['denied_security_stability', /三安全|一稳定/],
	['denied_third_party', /第三方/],
	['denied_internal_affairs', /内部事务/],
	['denied_process_info', /过程性/],
	['denied_enforcement_file', /执法案卷/],
	['denied_query_matter', /查询事项/],
	['unable_not_held', /不掌握/],
	['unable_needs_creation', /另行制作|现成信息/],
	['unable_unclear', /不明确|补正后/],
	['other_no_correction', /不补正/],
	['other_no_fee', /收费通知|缴纳费用/],
	['rejected_complaint', /信访|举报投诉/],
	['rejected_duplicate', /重复申请/],
	['rejected_publication', /出版物/],
	['rejected_excessive', /大量反复|反复申请/],
	['rejected_confirmation', /重新出具|确认或/],
	['total_processed', /总计|合计/]
];

/** Where table 三 starts, and where table 四 starts. */
export const REQUESTS_TABLE_START = /申请人情况|勾稽关系|本列数据/;
export const CASES_TABLE_START = /行政复议.*行政诉讼|行政诉讼.*行政复议|结果维持/;
export const ACTIVE_TABLE_START = /第二十条|信息内容|主动公开政府信息情况/;

/**
 * Table 二 as the official templates lay out each row's value cells on the
 * grid (null = the shadow of a merged cell). Text copied from such a table
 * keeps one field per grid column, so a blank value and a merged cell look
 * alike; this layout tells them apart.
 */
export const ACTIVE_GRID: Record<'2019' | '2021', Record<string, readonly (string | null)[]>> = {
	'2019': {
		regulations: ['made', 'published', null, 'total_public'],
		normative_documents: ['made', 'published', null, 'total_public'],
		licensing: ['previous_items', null, 'change', 'decisions'],
		other_services: ['previous_items', null, 'change', 'decisions'],
		punishment: ['previous_items', null, 'change', 'decisions'],
		coercion: ['previous_items', null, 'change', 'decisions'],
		fees: ['previous_items', null, 'change', null],
		procurement: ['projects', null, 'amount_yuan', null]
	},
	'2021': {
		regulations: ['issued', 'repealed', 'in_force'],
		normative_documents: ['issued', 'repealed', 'in_force'],
		licensing: ['decisions', null, null],
		punishment: ['decisions', null, null],
		coercion: ['decisions', null, null],
		fees: ['amount_10k_yuan', null, null]
	}
};
