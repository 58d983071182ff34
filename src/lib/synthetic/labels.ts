import type { ActiveRowKey, CaseGroup, RequestRow, Template } from '../report/schema';

/**
 * The generator's own row labels, as real reports print them (several
 * variants each), for the layouts that test the parser's grammar: run-together
 * cells and wrapped labels. Kept apart from the parser's template tables on
 * purpose: a generator that printed the parser's own vocabulary would only
 * test that the parser agrees with itself.
 */

export const ACTIVE_ROW_VARIANTS: Record<Template, Partial<Record<ActiveRowKey, readonly string[]>>> = {
	'2019': {
		regulations: ['规章'],
		normative_documents: ['规范性文件'],
		licensing: ['行政许可'],
		other_services: ['其他对外管理服务事项'],
		punishment: ['行政处罚'],
		coercion: ['行政强制'],
		fees: ['行政事业性收费'],
		procurement: ['政府集中采购']
	},
	'2021': {
		regulations: ['规章'],
		normative_documents: ['行政规范性文件', '规范性文件'],
		licensing: ['行政许可'],
		punishment: ['行政处罚'],
		coercion: ['行政强制'],
		fees: ['行政事业性收费']
	}
};

/** Table 二's block headers as one run of text each: the 条例 item, 信息内容, the field headers. */
export const ACTIVE_BLOCK_HEADERS: Record<Template, readonly { item: string; fields: string; rows: readonly ActiveRowKey[] }[]> = {
	'2019': [
		{ item: '第二十条第（一）项', fields: '本年新制作数量本年新公开数量对外公开总数量', rows: ['regulations', 'normative_documents'] },
		{ item: '第二十条第（五）项', fields: '上一年项目数量本年增/减处理决定数量', rows: ['licensing', 'other_services'] },
		{ item: '第二十条第（六）项', fields: '上一年项目数量本年增/减处理决定数量', rows: ['punishment', 'coercion'] },
		{ item: '第二十条第（八）项', fields: '上一年项目数量本年增/减', rows: ['fees'] },
		{ item: '第二十条第（九）项', fields: '采购项目数量采购总金额', rows: ['procurement'] }
	],
	'2021': [
		{ item: '第二十条第（一）项', fields: '本年制发件数本年废止件数现行有效件数', rows: ['regulations', 'normative_documents'] },
		{ item: '第二十条第（五）项', fields: '本年处理决定数量', rows: ['licensing'] },
		{ item: '第二十条第（六）项', fields: '本年处理决定数量', rows: ['punishment', 'coercion'] },
		{ item: '第二十条第（八）项', fields: '本年收费金额（单位：万元）', rows: ['fees'] }
	]
};

/** Table 三's rows: the group a numbered row sits in, and the row's own words (variants). `{n}` is its number. */
export const REQUEST_ROW_VARIANTS: Record<RequestRow, { group?: string; words: readonly string[] }> = {
	new_received: { words: ['一、本年新收政府信息公开申请数量', '一、本年度新收政府信息公开申请数量'] },
	carried_over: { words: ['二、上年结转政府信息公开申请数量', '二、上年度结转政府信息公开申请数量'] },
	granted: { words: ['（一）予以公开'] },
	partially_granted: { words: ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '（二）部分公开'] },
	denied_state_secret: { group: '（三）不予公开', words: ['{n}属于国家秘密'] },
	denied_law_forbidden: { group: '（三）不予公开', words: ['{n}其他法律行政法规禁止公开'] },
	denied_security_stability: { group: '（三）不予公开', words: ['{n}危及“三安全一稳定”'] },
	denied_third_party: { group: '（三）不予公开', words: ['{n}保护第三方合法权益'] },
	denied_internal_affairs: { group: '（三）不予公开', words: ['{n}属于三类内部事务信息'] },
	denied_process_info: { group: '（三）不予公开', words: ['{n}属于四类过程性信息'] },
	denied_enforcement_file: { group: '（三）不予公开', words: ['{n}属于行政执法案卷'] },
	denied_query_matter: { group: '（三）不予公开', words: ['{n}属于行政查询事项'] },
	unable_not_held: { group: '（四）无法提供', words: ['{n}本机关不掌握相关政府信息'] },
	unable_needs_creation: { group: '（四）无法提供', words: ['{n}没有现成信息需要另行制作'] },
	unable_unclear: { group: '（四）无法提供', words: ['{n}补正后申请内容仍不明确'] },
	rejected_complaint: { group: '（五）不予处理', words: ['{n}信访举报投诉类申请'] },
	rejected_duplicate: { group: '（五）不予处理', words: ['{n}重复申请'] },
	rejected_publication: { group: '（五）不予处理', words: ['{n}要求提供公开出版物'] },
	rejected_excessive: { group: '（五）不予处理', words: ['{n}无正当理由大量反复申请'] },
	rejected_confirmation: { group: '（五）不予处理', words: ['{n}要求行政机关确认或重新出具已获取信息'] },
	other_no_correction: { group: '（六）其他处理', words: ['{n}申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'] },
	other_no_fee: { group: '（六）其他处理', words: ['{n}申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'] },
	other_other: { group: '（六）其他处理', words: ['{n}其他'] },
	other: { words: ['（六）其他处理'] },
	total_processed: { words: ['（七）总计'] },
	carried_forward: { words: ['四、结转下年度继续办理', '四、结转下年度继续办理的申请'] }
};

/** How numbered rows print their number: "1." or "1、". */
export const NUMBER_STYLES = ['.', '、'] as const;

export const REQUESTS_HEADER_TEXT =
	'（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他';

export const OUTCOMES_GROUP_TEXT = '三、本年度办理结果';

export const CASES_HEADER_TEXT =
	'行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计';

/** Table 四 printed as three small tables: each one's title (variants). */
export const CASE_TABLE_TITLES: Record<CaseGroup, readonly string[]> = {
	review: ['行政复议'],
	// Some reports title both suit tables just 行政诉讼: only their order (or the prose) says which is which.
	litigation_direct: ['行政诉讼（未经复议直接起诉）', '未经复议直接起诉', '行政诉讼'],
	litigation_after_review: ['行政诉讼（复议后起诉）', '复议后起诉', '行政诉讼']
};
