/**
 * The normalized report record — ../shared/docs/schema.md, version 1.
 * Every key list lives here once; the parser, the checks, the generator and the
 * CLI all read these tables.
 */

import type { CellKind } from './numbers';
import type { Provenance } from './provenance';

export const SCHEMA_VERSION = 1 as const;

export type Template = '2019' | '2021';

/** 申请人情况 columns of table 三, in the order the template prints them. */
export const APPLICANT_COLUMNS = ['natural', 'commercial', 'research', 'ngo', 'legal_service', 'other', 'total'] as const;
export type ApplicantColumn = (typeof APPLICANT_COLUMNS)[number];
/**
 * A cell's number. null when the document prints something there that is not
 * a number the column can hold (numbers.ts); the parse issue names the text.
 */
export type Cell = number | null;
export type RequestCells<N extends Cell = Cell> = Record<ApplicantColumn, N>;

export const APPLICANT_LABELS: Record<ApplicantColumn, string> = {
	natural: '自然人',
	commercial: '商业企业',
	research: '科研机构',
	ngo: '社会公益组织',
	legal_service: '法律服务机构',
	other: '其他',
	total: '总计'
};

/** Rows of table 三 in document order. */
export const REQUEST_ROWS = [
	'new_received',
	'carried_over',
	'granted',
	'partially_granted',
	'denied_state_secret',
	'denied_law_forbidden',
	'denied_security_stability',
	'denied_third_party',
	'denied_internal_affairs',
	'denied_process_info',
	'denied_enforcement_file',
	'denied_query_matter',
	'unable_not_held',
	'unable_needs_creation',
	'unable_unclear',
	'rejected_complaint',
	'rejected_duplicate',
	'rejected_publication',
	'rejected_excessive',
	'rejected_confirmation',
	'other_no_correction',
	'other_no_fee',
	'other_other',
	'other',
	'total_processed',
	'carried_forward'
] as const;
export type RequestRow = (typeof REQUEST_ROWS)[number];

/**
 * Consistency rule 1, the balance of table 三 (printed in its header): per
 * column, the `received` rows add up to the `settled` rows.
 */
export const BALANCE_RULE = {
	received: ['new_received', 'carried_over'],
	settled: ['total_processed', 'carried_forward']
} as const satisfies Record<string, readonly RequestRow[]>;

/** The rows whose sum is （七）总计 (consistency rule 2): every row outside the balance. */
export const OUTCOME_ROWS: readonly RequestRow[] = REQUEST_ROWS.filter(
	(r) => !([...BALANCE_RULE.received, ...BALANCE_RULE.settled] as readonly RequestRow[]).includes(r)
);

/** The three-row （六）其他处理 of the 2021 tables, and its single-row form. */
export const OTHER_SPLIT_ROWS: readonly RequestRow[] = ['other_no_correction', 'other_no_fee', 'other_other'];

/** Short Chinese labels for messages and tables. */
export const REQUEST_ROW_LABELS: Record<RequestRow, string> = {
	new_received: '一、本年新收政府信息公开申请数量',
	carried_over: '二、上年结转政府信息公开申请数量',
	granted: '（一）予以公开',
	partially_granted: '（二）部分公开',
	denied_state_secret: '（三）不予公开 1.属于国家秘密',
	denied_law_forbidden: '（三）不予公开 2.其他法律行政法规禁止公开',
	denied_security_stability: '（三）不予公开 3.危及“三安全一稳定”',
	denied_third_party: '（三）不予公开 4.保护第三方合法权益',
	denied_internal_affairs: '（三）不予公开 5.属于三类内部事务信息',
	denied_process_info: '（三）不予公开 6.属于四类过程性信息',
	denied_enforcement_file: '（三）不予公开 7.属于行政执法案卷',
	denied_query_matter: '（三）不予公开 8.属于行政查询事项',
	unable_not_held: '（四）无法提供 1.本机关不掌握相关政府信息',
	unable_needs_creation: '（四）无法提供 2.没有现成信息需要另行制作',
	unable_unclear: '（四）无法提供 3.补正后申请内容仍不明确',
	rejected_complaint: '（五）不予处理 1.信访举报投诉类申请',
	rejected_duplicate: '（五）不予处理 2.重复申请',
	rejected_publication: '（五）不予处理 3.要求提供公开出版物',
	rejected_excessive: '（五）不予处理 4.无正当理由大量反复申请',
	rejected_confirmation: '（五）不予处理 5.要求行政机关确认或重新出具已获取信息',
	other_no_correction: '（六）其他处理 1.申请人无正当理由逾期不补正',
	other_no_fee: '（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用',
	other_other: '（六）其他处理 3.其他',
	other: '（六）其他处理',
	total_processed: '（七）总计',
	carried_forward: '四、结转下年度继续办理'
};

/** Table 二 (active disclosure): per template, each row key and its fields in print order. */
export const ACTIVE_LAYOUT = {
	'2021': {
		regulations: ['issued', 'repealed', 'in_force'],
		normative_documents: ['issued', 'repealed', 'in_force'],
		licensing: ['decisions'],
		punishment: ['decisions'],
		coercion: ['decisions'],
		fees: ['amount_10k_yuan']
	},
	'2019': {
		regulations: ['made', 'published', 'total_public'],
		normative_documents: ['made', 'published', 'total_public'],
		licensing: ['previous_items', 'change', 'decisions'],
		other_services: ['previous_items', 'change', 'decisions'],
		punishment: ['previous_items', 'change', 'decisions'],
		coercion: ['previous_items', 'change', 'decisions'],
		fees: ['previous_items', 'change'],
		procurement: ['projects', 'amount_yuan']
	}
} as const satisfies Record<Template, Record<string, readonly string[]>>;

export type ActiveRowKey = keyof (typeof ACTIVE_LAYOUT)['2021'] | keyof (typeof ACTIVE_LAYOUT)['2019'];

export const ACTIVE_ROW_LABELS: Record<ActiveRowKey, string> = {
	regulations: '规章',
	normative_documents: '行政规范性文件',
	licensing: '行政许可',
	other_services: '其他对外管理服务事项',
	punishment: '行政处罚',
	coercion: '行政强制',
	fees: '行政事业性收费',
	procurement: '政府集中采购'
};

export const ACTIVE_FIELD_LABELS: Record<string, string> = {
	issued: '本年制发件数',
	repealed: '本年废止件数',
	in_force: '现行有效件数',
	decisions: '处理决定数量',
	amount_10k_yuan: '本年收费金额（万元）',
	made: '本年新制作数量',
	published: '本年新公开数量',
	total_public: '对外公开总数量',
	previous_items: '上一年项目数量',
	change: '本年增/减',
	projects: '采购项目数量',
	amount_yuan: '采购总金额（元）'
};

/** Table 四. */
export const CASE_FIELDS = ['maintained', 'corrected', 'other', 'pending', 'total'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];
export type CaseCells<N extends Cell = Cell> = Record<CaseField, N>;
export const CASE_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export type CaseGroup = (typeof CASE_GROUPS)[number];
export const CASE_GROUP_LABELS: Record<CaseGroup, string> = {
	review: '行政复议',
	litigation_direct: '行政诉讼（未经复议直接起诉）',
	litigation_after_review: '行政诉讼（复议后起诉）'
};
export const CASE_FIELD_LABELS: Record<CaseField, string> = {
	maintained: '结果维持',
	corrected: '结果纠正',
	other: '其他结果',
	pending: '尚未审结',
	total: '总计'
};

export type ActiveTable<N extends Cell = Cell> = Record<string, Record<string, N> | null>;

/** Money columns of table 二; every other cell but 本年增/减 is a count. */
const AMOUNT_FIELDS: ReadonlySet<string> = new Set(['amount_10k_yuan', 'amount_yuan']);

/** What a column's numbers may be (numbers.ts holds the rules): only 2019's 本年增/减 is signed. */
export function cellKind(column: string): CellKind {
	return AMOUNT_FIELDS.has(column) ? 'amount' : column === 'change' ? 'signed' : 'count';
}

export interface ReportRecord<N extends Cell = Cell> {
	schema: typeof SCHEMA_VERSION;
	agency: string;
	year: number;
	template: Template;
	active: ActiveTable<N> | null;
	requests: Record<RequestRow, RequestCells<N> | null>;
	review: CaseCells<N> | null;
	litigation_direct: CaseCells<N> | null;
	litigation_after_review: CaseCells<N> | null;
}

/** A record with a number in every cell it has: what the generator writes. */
export type CompleteRecord = ReportRecord<number>;

export type Severity = 'error' | 'warning' | 'info';

/** Where in the document something was found: table 二/三/四, a row key, a column key. */
export interface Place {
	table?: '二' | '三' | '四';
	row?: string;
	column?: string;
}

/** A broken consistency rule or a parse warning. */
export interface ReportIssue {
	code: string;
	severity: Severity;
	message: string;
	where?: Place;
	expected?: number;
	actual?: number;
}

/** The output of `parse --json`: the record plus `file`, `issues` and how each cell was read. */
export type ParsedReport = ReportRecord & { file?: string; issues: ReportIssue[]; provenance?: Provenance };

export function emptyRequests(): Record<RequestRow, RequestCells | null> {
	return Object.fromEntries(REQUEST_ROWS.map((r) => [r, null])) as Record<RequestRow, RequestCells | null>;
}

/** The active table with every key of the template present (null until read). */
export function emptyActive(template: Template): ActiveTable {
	return Object.fromEntries(Object.keys(ACTIVE_LAYOUT[template]).map((k) => [k, null]));
}

export const TABLE_TITLES = { 二: '主动公开政府信息情况', 三: '收到和处理政府信息公开申请情况', 四: '政府信息公开行政复议、行政诉讼情况' } as const;
