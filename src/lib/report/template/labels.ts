import { TABLE_TITLES, type ActiveRowKey, type RequestRow } from '../schema';

/**
 * Every label the parser recognises, matched by meaning on `labelKey` text
 * (no spaces, punctuation or brackets; simplified script). Both official
 * templates print the same wording wherever they share a row, and real
 * reports vary it alike, so this vocabulary is shared by all descriptors; a
 * variant spelling seen in the wild is a new alternative here. Rows are
 * recognised before the template is known (table 二 decides it afterwards).
 * Order matters where one phrase contains another.
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

/** Table 三 rows; the first match wins. `other_other` and `other` depend on the section (mapping/requests.ts). */
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

/** Header rows that always open table 二, and its title, which opens it only before any other table. */
export const ACTIVE_TABLE_HEADER = /第二十条|信息内容/;
export const ACTIVE_TABLE_TITLE = new RegExp(TABLE_TITLES['二']);

/** Table 三's first row, which opens the table even without a recognisable header row. */
export const REQUESTS_FIRST_ROW = /本年新收|本年度新收/;

/** Header rows of table 三 (申请人情况 / 自然人 / 法人或其他组织 … 总计): not data. */
export const REQUESTS_HEADER_ROW = /自然人|法人或其他组织|商业企业|科研机构|申请人情况/;

/** Table 三 rows outside the numbered sub-groups: reading one closes the group. */
export const UNGROUPED_REQUEST_ROWS: readonly RequestRow[] = [
	'granted',
	'partially_granted',
	'total_processed',
	'new_received',
	'carried_over',
	'carried_forward'
];

/** （六）其他处理's "3.其他" sub-row, and the group label in front of a sub-row's own label. */
export const OTHER_OTHER_ROW = /^\d?其他$/;
export const OTHER_GROUP_PREFIX = /^.*其他处理/;
