/**
 * A report page written from a record, in layouts agencies' CMS pages take
 * that the template does not: applicant columns in another order, an extra
 * 小计 column, table 四 with 总计 first or as three small tables, cells
 * printed with marks. Every layout choice is an option, so a test names the
 * one it is about and the record is its truth.
 */
import {
	ACTIVE_LAYOUT,
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_GROUPS,
	type ApplicantColumn,
	type CaseField,
	type CompleteRecord
} from '../../src/lib/report/schema';

export interface PageLayout {
	/** Table 三's applicant columns in print order (default: the template's). */
	applicants?: readonly ApplicantColumn[];
	/** A 小计 column after the 法人或其他组织 columns (their sum). */
	subtotal?: boolean;
	/** Table 四's fields in print order (default: the template's). */
	caseFields?: readonly CaseField[];
	/** Table 四 as three small tables, one per group, each under its own title. */
	caseTables?: boolean;
	/** Table 四 with 行政诉讼 (复议后起诉 first) before 行政复议. */
	litigationFirst?: boolean;
	/** A count (not 0) as printed; default plain digits. */
	count?: (n: number) => string;
	/** 0 as printed; default "0". */
	zero?: string;
	/** A 本年增/减 value as printed; default "+3", "-2", "0". */
	change?: (n: number) => string;
	/** Table 三 transposed: a row per applicant type, a column per template row (its header the row's labels). */
	transposed?: boolean;
}

const APPLICANT_HEADS: Record<ApplicantColumn, string> = {
	natural: '自然人',
	commercial: '商业企业',
	research: '科研机构',
	ngo: '社会公益组织',
	legal_service: '法律服务机构',
	other: '其他',
	total: '总计'
};
const LEGAL: readonly ApplicantColumn[] = ['commercial', 'research', 'ngo', 'legal_service', 'other'];

/** Table 三's rows: key, the group label a sub-row opens, its own label. */
const T3_ROWS: readonly [string, string, string][] = [
	['new_received', '', '一、本年新收政府信息公开申请数量'],
	['carried_over', '', '二、上年结转政府信息公开申请数量'],
	['granted', '', '（一）予以公开'],
	['partially_granted', '', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）'],
	['denied_state_secret', '（三）不予公开', '1.属于国家秘密'],
	['denied_law_forbidden', '', '2.其他法律行政法规禁止公开'],
	['denied_security_stability', '', '3.危及“三安全一稳定”'],
	['denied_third_party', '', '4.保护第三方合法权益'],
	['denied_internal_affairs', '', '5.属于三类内部事务信息'],
	['denied_process_info', '', '6.属于四类过程性信息'],
	['denied_enforcement_file', '', '7.属于行政执法案卷'],
	['denied_query_matter', '', '8.属于行政查询事项'],
	['unable_not_held', '（四）无法提供', '1.本机关不掌握相关政府信息'],
	['unable_needs_creation', '', '2.没有现成信息需要另行制作'],
	['unable_unclear', '', '3.补正后申请内容仍不明确'],
	['rejected_complaint', '（五）不予处理', '1.信访举报投诉类申请'],
	['rejected_duplicate', '', '2.重复申请'],
	['rejected_publication', '', '3.要求提供公开出版物'],
	['rejected_excessive', '', '4.无正当理由大量反复申请'],
	['rejected_confirmation', '', '5.要求行政机关确认或重新出具已获取信息'],
	['other_no_correction', '（六）其他处理', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
	['other_no_fee', '', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
	['other_other', '', '3.其他'],
	['other', '', '（六）其他处理'],
	['total_processed', '', '（七）总计'],
	['carried_forward', '', '四、结转下年度继续办理']
];

const ACTIVE_ROWS: Record<string, string> = {
	regulations: '规章',
	normative_documents: '规范性文件',
	licensing: '行政许可',
	other_services: '其他对外管理服务事项',
	punishment: '行政处罚',
	coercion: '行政强制',
	fees: '行政事业性收费',
	procurement: '政府集中采购'
};
const ACTIVE_FIELDS: Record<string, string> = {
	issued: '本年制发件数',
	repealed: '本年废止件数',
	in_force: '现行有效件数',
	decisions: '处理决定数量',
	amount_10k_yuan: '本年收费金额（单位：万元）',
	made: '本年新制作数量',
	published: '本年新公开数量',
	total_public: '对外公开总数量',
	previous_items: '上一年项目数量',
	change: '本年增/减',
	projects: '采购项目数量',
	amount_yuan: '采购总金额'
};
const ACTIVE_BLOCKS: Record<string, [string, string[]][]> = {
	'2021': [
		['第二十条第（一）项', ['regulations', 'normative_documents']],
		['第二十条第（五）项', ['licensing']],
		['第二十条第（六）项', ['punishment', 'coercion']],
		['第二十条第（八）项', ['fees']]
	],
	'2019': [
		['第二十条第（一）项', ['regulations', 'normative_documents']],
		['第二十条第（五）项', ['licensing', 'other_services']],
		['第二十条第（六）项', ['punishment', 'coercion']],
		['第二十条第（八）项', ['fees']],
		['第二十条第（九）项', ['procurement']]
	]
};
const CASE_HEADS: Record<CaseField, string> = { maintained: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结', total: '总计' };

const td = (text: string, attrs = '') => `<td${attrs}>${text}</td>`;

export function reportPage(r: CompleteRecord, layout: PageLayout = {}): string {
	const applicants = layout.applicants ?? APPLICANT_COLUMNS;
	const fields = layout.caseFields ?? CASE_FIELDS;
	const count = (n: number) => (n === 0 ? (layout.zero ?? '0') : layout.count ? layout.count(n) : String(n));
	const title = `${r.agency}${r.year}年政府信息公开工作年度报告`;
	const out = [`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>`];
	out.push(`<p>本报告中所列数据的统计期限自${r.year}年1月1日起至${r.year}年12月31日止。</p><p>二、主动公开政府信息情况</p><table>`);
	const layoutOf = ACTIVE_LAYOUT[r.template] as Record<string, readonly string[]>;
	for (const [heading, keys] of ACTIVE_BLOCKS[r.template]) {
		const cols = layoutOf[keys[0]];
		out.push(`<tr>${td(heading, ` colspan="${cols.length + 1}"`)}</tr><tr>${td('信息内容')}${cols.map((f) => td(ACTIVE_FIELDS[f])).join('')}</tr>`);
		for (const key of keys) {
			const row = (r.active as Record<string, Record<string, number>>)[key];
			const cell = (f: string) =>
				f === 'change'
					? layout.change
						? layout.change(row[f])
						: row[f] > 0
							? `+${row[f]}`
							: String(row[f])
					: f === 'amount_yuan'
						? `${row[f]}元`
						: f === 'amount_10k_yuan'
							? String(row[f])
							: count(row[f]);
			out.push(`<tr>${td(ACTIVE_ROWS[key])}${cols.map((f) => td(cell(f))).join('')}</tr>`);
		}
	}
	out.push('</table><p>三、收到和处理政府信息公开申请情况</p><table>');
	if (layout.transposed) {
		const rows = T3_ROWS.filter(([key]) => r.requests[key as keyof typeof r.requests] !== null);
		// The header: the template's row labels across; a group's label (（三）不予公开) spans its sub-rows, printed in the row below.
		const sub = ([key, group]: readonly string[]) => group !== '' || (/^(denied|unable|rejected|other)_/.test(key) && key !== 'other');
		const groups: string[] = [];
		for (const row of rows) {
			const [key, group, label] = row;
			if (!sub(row)) groups.push(td(label, ' rowspan="2"'));
			else if (group) groups.push(td(group, ` colspan="${rows.filter(([k]) => k.startsWith(key.split('_')[0] + '_')).length}"`));
		}
		out.push(`<tr>${td('申请人情况', ' colspan="2" rowspan="2"')}${groups.join('')}</tr>`);
		out.push(`<tr>${rows.flatMap((row) => (sub(row) ? [td(row[2])] : [])).join('')}</tr>`);
		applicants.forEach((c, i) => {
			const head = LEGAL.includes(c)
				? (i === applicants.findIndex((x) => LEGAL.includes(x)) ? td('法人或其他组织', ` rowspan="${LEGAL.length}"`) : '') + td(APPLICANT_HEADS[c])
				: td(APPLICANT_HEADS[c], ' colspan="2"');
			out.push(`<tr>${head}${rows.map(([key]) => td(count(r.requests[key as keyof typeof r.requests]![c]))).join('')}</tr>`);
		});
	} else {
		const legalSpan = LEGAL.length + (layout.subtotal ? 1 : 0);
		out.push(
			`<tr>${td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', ' colspan="3" rowspan="3"')}${td('申请人情况', ` colspan="${applicants.length + (layout.subtotal ? 1 : 0)}"`)}</tr>`
		);
		// The 法人或其他组织 group stands where its first column is printed; its columns go on the row below.
		const second = applicants.flatMap((c, i) =>
			LEGAL.includes(c)
				? applicants.findIndex((x) => LEGAL.includes(x)) === i
					? [td('法人或其他组织', ` colspan="${legalSpan}"`)]
					: []
				: [td(APPLICANT_HEADS[c], ' rowspan="2"')]
		);
		const third = applicants.filter((c) => LEGAL.includes(c)).map((c) => td(APPLICANT_HEADS[c]));
		if (layout.subtotal) third.push(td('小计'));
		out.push(`<tr>${second.join('')}</tr><tr>${third.join('')}</tr>`);
		const rows = T3_ROWS.filter(([key]) => r.requests[key as keyof typeof r.requests] !== null);
		for (const [key, group, label] of rows) {
			const cells = r.requests[key as keyof typeof r.requests]!;
			const values = applicants.map((c) => cells[c]);
			if (layout.subtotal)
				values.splice(
					applicants.filter((c) => LEGAL.includes(c)).length + applicants.findIndex((c) => LEGAL.includes(c)),
					0,
					LEGAL.reduce((s, c) => s + cells[c], 0)
				);
			let labels: string;
			if (['new_received', 'carried_over', 'carried_forward'].includes(key)) labels = td(label, ' colspan="3"');
			else {
				const vertical = key === 'granted' ? td('三、本年度办理结果', ` rowspan="${rows.length - 3}"`) : '';
				const prefix = key.split('_')[0] + '_';
				if (group) labels = `${vertical}${td(group, ` rowspan="${rows.filter(([k]) => k.startsWith(prefix)).length}"`)}${td(label)}`;
				else if (['granted', 'partially_granted', 'other', 'total_processed'].includes(key)) labels = `${vertical}${td(label, ' colspan="2"')}`;
				else labels = td(label);
			}
			out.push(`<tr>${labels}${values.map((v) => td(count(v))).join('')}</tr>`);
		}
	}
	out.push('</table><p>四、政府信息公开行政复议、行政诉讼情况</p>');
	const caseValues = (g: (typeof CASE_GROUPS)[number]) => fields.map((f) => td(count(r[g]![f]))).join('');
	if (layout.caseTables) {
		const titles = ['行政复议', '行政诉讼（未经复议直接起诉）', '行政诉讼（复议后起诉）'];
		CASE_GROUPS.forEach((g, i) =>
			out.push(`<p>${titles[i]}</p><table><tr>${fields.map((f) => td(CASE_HEADS[f])).join('')}</tr><tr>${caseValues(g)}</tr></table>`)
		);
	} else if (layout.litigationFirst) {
		out.push(`<table><tr>${td('行政诉讼', ' colspan="10"')}${td('行政复议', ' colspan="5"')}</tr>`);
		out.push(
			`<tr>${td('复议后起诉', ' colspan="5"')}${td('未经复议直接起诉', ' colspan="5"')}${fields.map((f) => td(CASE_HEADS[f], ' rowspan="2"')).join('')}</tr>`
		);
		const groups = ['litigation_after_review', 'litigation_direct', 'review'] as const;
		out.push(`<tr>${[...fields, ...fields].map((f) => td(CASE_HEADS[f])).join('')}</tr><tr>${groups.map(caseValues).join('')}</tr></table>`);
	} else {
		out.push(`<table><tr>${td('行政复议', ' colspan="5"')}${td('行政诉讼', ' colspan="10"')}</tr>`);
		out.push(
			`<tr>${fields.map((f) => td(CASE_HEADS[f], ' rowspan="2"')).join('')}${td('未经复议直接起诉', ' colspan="5"')}${td('复议后起诉', ' colspan="5"')}</tr>`
		);
		out.push(`<tr>${[...fields, ...fields].map((f) => td(CASE_HEADS[f])).join('')}</tr><tr>${CASE_GROUPS.map(caseValues).join('')}</tr></table>`);
	}
	out.push('<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>');
	return out.join('\n');
}

/**
 * The page as text copied from it: a line per table row with its cells
 * separated by tabs, a cell spanning columns followed by an empty field per
 * column it covers; other elements a line each.
 */
export function tabText(html: string): string {
	return html
		.replace(/<tr>([\s\S]*?)<\/tr>/g, (_, row: string) => {
			const fields = [...row.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].flatMap((m) => {
				const span = Number(/colspan="(\d+)"/.exec(m[1])?.[1] ?? 1);
				return [m[2], ...new Array<string>(span - 1).fill('')];
			});
			return `${fields.join('\t')}\n`;
		})
		.replace(/<\/(p|h1|title)>/g, '\n')
		.replace(/<[^>]+>/g, '');
}
