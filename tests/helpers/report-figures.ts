/**
 * The figures of the generated test reports (PDF and Word): a 2021-template
 * report with empty cells, wrapped labels and the three （六） sub-rows.
 */

export type V = number | null;

export interface T3Row {
	key: string;
	/** Label column: a spans all three, b the second, c the third (sub-rows). */
	col: 'a' | 'b' | 'c';
	/** The label as a PDF wraps it; joined it is the cell text. */
	lines: string[];
	v: V[];
	/** Numbers on the first label line instead of the middle. */
	top?: boolean;
	group?: string;
}

/** Table 三 of the generated report; null = an empty cell (0 in the record). */
export const T3: T3Row[] = [
	{ key: 'new_received', col: 'a', lines: ['一、本年新收政府信息公开申请数量'], v: [30, 2, 0, 0, 1, 0, 33] },
	{ key: 'carried_over', col: 'a', lines: ['二、上年结转政府信息公开申请数量'], v: [3, null, null, null, null, null, 3] },
	{ key: 'granted', col: 'b', lines: ['（一）予以公开'], v: [10, 1, null, null, null, null, 11] },
	{ key: 'partially_granted', col: 'b', lines: ['（二）部分公开（区分处理的，只计', '这一情形，不计其他情形）'], v: [4, 0, 0, 0, 0, 0, 4] },
	{ key: 'denied_state_secret', group: 'denied', col: 'c', lines: ['1.属于国家秘密'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'denied_law_forbidden', group: 'denied', col: 'c', lines: ['2.其他法律行政法规禁止公开'], v: [1, 0, 0, 0, 0, 0, 1] },
	{ key: 'denied_security_stability', group: 'denied', col: 'c', lines: ['3.危及“三安全一稳定”'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'denied_third_party', group: 'denied', col: 'c', lines: ['4.保护第三方合法权益'], v: [2, 0, 0, 0, 0, 0, 2] },
	{ key: 'denied_internal_affairs', group: 'denied', col: 'c', lines: ['5.属于三类内部事务信息'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'denied_process_info', group: 'denied', col: 'c', lines: ['6.属于四类过程性信息'], v: [3, 0, 0, 0, 0, 0, 3] },
	{ key: 'denied_enforcement_file', group: 'denied', col: 'c', lines: ['7.属于行政执法案卷'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'denied_query_matter', group: 'denied', col: 'c', lines: ['8.属于行政查询事项'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'unable_not_held', group: 'unable', col: 'c', lines: ['1.本机关不掌握相关政府信息'], v: [5, 1, null, null, null, null, 6] },
	{ key: 'unable_needs_creation', group: 'unable', col: 'c', lines: ['2.没有现成信息需要另行制作'], v: [2, 0, 0, 0, 0, 0, 2] },
	// page break here: table 三 continues on page 2 without its header
	{ key: 'unable_unclear', group: 'unable', col: 'c', lines: ['3.补正后申请内容仍不明确'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'rejected_complaint', group: 'rejected', col: 'c', lines: ['1.信访举报投诉类申请'], v: [1, 0, 0, 0, 0, 0, 1] },
	{ key: 'rejected_duplicate', group: 'rejected', col: 'c', lines: ['2.重复申请'], v: [1, 0, 0, 0, 0, 0, 1] },
	{ key: 'rejected_publication', group: 'rejected', col: 'c', lines: ['3.要求提供公开出版物'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'rejected_excessive', group: 'rejected', col: 'c', lines: ['4.无正当理由大量反复申请'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'rejected_confirmation', group: 'rejected', col: 'c', lines: ['5.要求行政机关确认或重新', '出具已获取信息'], v: [1, 0, 0, 0, 1, 0, 2], top: true },
	{
		key: 'other_no_correction',
		group: 'other',
		col: 'c',
		lines: ['1.申请人无正当理由逾期不', '补正、行政机关不再处理其', '政府信息公开申请'],
		v: [1, 0, 0, 0, 0, 0, 1]
	},
	{
		key: 'other_no_fee',
		group: 'other',
		col: 'c',
		lines: ['2.申请人逾期未按收费通知', '要求缴纳费用、行政机关不', '再处理其政府信息公开申请'],
		v: [null, null, null, null, null, null, null]
	},
	{ key: 'other_other', group: 'other', col: 'c', lines: ['3.其他'], v: [0, 0, 0, 0, 0, 0, 0] },
	{ key: 'total_processed', col: 'b', lines: ['（七）总计'], v: [31, 2, 0, 0, 1, 0, 34] },
	{ key: 'carried_forward', col: 'a', lines: ['四、结转下年度继续办理'], v: [2, 0, 0, 0, 0, 0, 2] }
];
export const GROUP_LABELS: Record<string, string> = { denied: '（三）不予公开', unable: '（四）无法提供', rejected: '（五）不予处理', other: '（六）其他处理' };
/** Table 四: review, litigation without review, after review; null = an empty cell. */
export const T4_VALUES: V[] = [2, 1, 0, 1, 4, 1, 0, null, 0, 1, 0, 0, 0, 1, 1];

export const ACTIVE_ROWS: [string, V[]][] = [
	['规章', [null, null, 3]],
	['行政规范性文件', [2, null, 10]]
];

const n = (v: V): number => v ?? 0;
export function cells7(v: V[]) {
	const [natural, commercial, research, ngo, legal_service, other, total] = v.map(n);
	return { natural, commercial, research, ngo, legal_service, other, total };
}
export function cases5(v: V[]) {
	const [maintained, corrected, other, pending, total] = v.map(n);
	return { maintained, corrected, other, pending, total };
}

/** The record both generated reports must parse to. */
export const EXPECTED = {
	schema: 1,
	agency: '测试县人民政府',
	year: 2023,
	template: '2021',
	active: {
		regulations: { issued: 0, repealed: 0, in_force: 3 },
		normative_documents: { issued: 2, repealed: 0, in_force: 10 },
		licensing: { decisions: 120 },
		punishment: { decisions: 45 },
		coercion: { decisions: 6 },
		fees: { amount_10k_yuan: 12.5 }
	},
	requests: {
		...Object.fromEntries(T3.map((r) => [r.key, cells7(r.v)])),
		other: null
	},
	review: cases5(T4_VALUES.slice(0, 5)),
	litigation_direct: cases5(T4_VALUES.slice(5, 10)),
	litigation_after_review: cases5(T4_VALUES.slice(10, 15))
};
