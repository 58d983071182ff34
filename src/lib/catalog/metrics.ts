import {
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_FIELD_LABELS,
	APPLICANT_LABELS,
	OTHER_SPLIT_ROWS,
	REQUEST_ROWS,
	REQUEST_ROW_LABELS,
	type ApplicantColumn,
	type CaseCells,
	type CaseField,
	type ReportRecord,
	type RequestRow,
	type Template
} from '../report/schema';

/**
 * The metric catalog: every harmonized per agency-year number the dashboard
 * charts is defined once here — id, labels, unit, formula, and the templates
 * that have it. Ingest computes the `metrics` table from it; the browser uses
 * the same definitions for uploaded reports, SQL views and legends.
 *
 * One file on purpose (past 400 lines): it is the single definition every
 * view, query and ingest reads, and its entries refer to each other (parts,
 * wholes, rates of counts), so splitting it would scatter one table.
 */

export type MetricUnit = 'count' | 'rate' | '10k_yuan';
export type MetricGroup = 'requests' | 'outcomes' | 'reasons' | 'applicants' | 'rates' | 'cases' | 'active';

export interface Metric {
	id: string;
	zh: string;
	en: string;
	unit: MetricUnit;
	group: MetricGroup;
	/** How it is computed, in words a reader of the report format understands. */
	formula: string;
	/** The templates whose tables carry it; elsewhere it is 不适用 (not 0). */
	templates: readonly Template[];
	/** null when the report lacks the rows, or a rate's denominator is 0. */
	compute: (r: ReportRecord) => number | null;
	/**
	 * Rates only: Σ numerator metrics ÷ the denominator metric. `compute` is
	 * this ratio on one report; over many reports a rate is pooled the same
	 * way (Σ numerators ÷ Σ denominators over the reports that have the rate),
	 * so aggregates never need the tables behind it.
	 */
	ratio?: MetricRatio;
	/**
	 * The label where a chart or table already names the whole: a reason inside
	 * its outcome ("属于国家秘密"), an applicant type inside new requests. Absent:
	 * the full label is already short.
	 */
	short?: { zh: string; en: string };
	/**
	 * The metric this one is a disjoint part of: the parts of one parent add up
	 * to it on a report that prints them all (table 三's outcomes to 办理总计,
	 * each reason to its outcome, applicant types to new requests, table 四's
	 * results to its totals). See partsOf.
	 */
	parent?: string;
	/**
	 * How the two templates' tables differ for this metric, where a reader
	 * comparing years across the switch needs to know; shown under every chart
	 * whose years hold reports of both templates.
	 */
	templateNote?: { zh: string; en: string };
}

export interface MetricRatio {
	/** Count metrics summed for the numerator; a report without any of them has no rate. */
	numerator: readonly string[];
	denominator: string;
	/**
	 * The printed total whose parts must add up for a report to count
	 * (PARTS_RULE): the denominator itself unless the denominator is derived
	 * from another total's parts (复议已审结 from 行政复议's results).
	 */
	whole?: string;
}

/** The total a rate's PARTS_RULE checks. */
export function wholeOf(r: MetricRatio): string {
	return r.whole ?? r.denominator;
}

const BOTH: readonly Template[] = ['2019', '2021'];

/** Table 二's 处理决定数量 of licensing, penalties and coercion: in both templates, counted beside different columns. */
const DECISIONS_NOTE = {
	zh: '口径：2019 格式表二按事项统计（上一年项目数量、本年增/减、处理决定数量），2021 格式只列本年处理决定数量；跨两种格式的升降可能部分来自表格的变化。',
	en: "Definition: the 2019 tables count these by item (last year's items, change, decisions), the 2021 tables only the year's decisions; a rise or fall across the two templates may partly come from the tables."
};

type Col = ApplicantColumn;

function row(r: ReportRecord, key: RequestRow, col: Col = 'total'): number | null {
	return r.requests[key]?.[col] ?? null;
}

/** A sum over cells; unknown (null) when any cell has no number (the document printed none the record can hold). */
function total(values: (number | null)[]): number | null {
	return values.some((v) => v === null) ? null : (values as number[]).reduce((a, v) => a + v, 0);
}

function sumRows(r: ReportRecord, keys: readonly RequestRow[], col: Col = 'total'): number | null {
	const present = keys.map((k) => r.requests[k]).filter((x) => x !== null);
	if (present.length === 0) return null;
	return total(present.map((x) => x[col]));
}

function ratio(n: number | null, d: number | null): number | null {
	if (n === null || d === null || d === 0) return null;
	return n / d;
}

const DENIED = REQUEST_ROWS.filter((k) => k.startsWith('denied_'));
const UNABLE = REQUEST_ROWS.filter((k) => k.startsWith('unable_'));
const REJECTED = REQUEST_ROWS.filter((k) => k.startsWith('rejected_'));
const OTHER: RequestRow[] = ['other', 'other_no_correction', 'other_no_fee', 'other_other'];

function cases(r: ReportRecord, group: 'review' | 'litigation_direct' | 'litigation_after_review') {
	return r[group];
}

/** Table 四's results, in print order (总计 is their sum). */
const CASE_RESULTS = CASE_FIELDS.filter((f): f is CaseResult => f !== 'total');
type CaseResult = Exclude<CaseField, 'total'>;

/** The two litigation groups the report has. */
function litigationGroups(r: ReportRecord): CaseCells[] {
	return [r.litigation_direct, r.litigation_after_review].filter((g): g is CaseCells => g !== null);
}

function litigation(r: ReportRecord, field: CaseField): number | null {
	const groups = litigationGroups(r);
	return groups.length ? total(groups.map((g) => g[field])) : null;
}

/** Concluded cases: maintained + corrected + other (pending ones have no result yet). */
function concluded(c: CaseCells | null): number | null {
	return c ? total([c.maintained, c.corrected, c.other]) : null;
}

function active(r: ReportRecord, key: string, field: string): number | null {
	return r.active?.[key]?.[field] ?? null;
}

function reasonLabel(key: RequestRow): string {
	return REQUEST_ROW_LABELS[key].replace(/^（[一二三四五六七]）\S*\s*/, '');
}

const ROW_EN: Partial<Record<RequestRow, string>> = {
	denied_state_secret: 'state secret',
	denied_law_forbidden: 'forbidden by other laws',
	denied_security_stability: 'security and stability',
	denied_third_party: 'third-party rights',
	denied_internal_affairs: 'internal affairs',
	denied_process_info: 'process information',
	denied_enforcement_file: 'enforcement case file',
	denied_query_matter: 'administrative query matter',
	unable_not_held: 'information not held',
	unable_needs_creation: 'would need to be created',
	unable_unclear: 'request still unclear',
	rejected_complaint: 'petition/complaint',
	rejected_duplicate: 'duplicate request',
	rejected_publication: 'publication requested',
	rejected_excessive: 'excessive repeated requests',
	rejected_confirmation: 'confirmation of obtained information',
	other_no_correction: 'no correction within the time limit',
	other_no_fee: 'fee not paid',
	other_other: 'other'
};

const APPLICANT_EN: Record<ApplicantColumn, string> = {
	natural: 'natural persons',
	commercial: 'businesses',
	research: 'research institutions',
	ngo: 'non-profit organisations',
	legal_service: 'legal service providers',
	other: 'other organisations',
	total: 'total'
};

/** Table 三's outcome groups that list reasons: their rows and the outcome metric they add up to. */
const CASE_RESULT_EN: Record<CaseResult, string> = { maintained: 'maintained', corrected: 'corrected', other: 'other result', pending: 'pending' };

/**
 * Table 四's results of one kind of case (review, or both kinds of lawsuit),
 * each a part of its total: <kind>_maintained, _corrected, _other, _pending.
 */
function caseResults(
	kind: 'review' | 'litigation',
	zh: string,
	en: string,
	where: string,
	value: (r: ReportRecord, field: CaseResult) => number | null,
	sum = ''
): Metric[] {
	return CASE_RESULTS.map((field) => ({
		id: `${kind}_${field}`,
		zh: `${zh}${CASE_FIELD_LABELS[field]}`,
		en: `${en} ${CASE_RESULT_EN[field]}`,
		short: { zh: CASE_FIELD_LABELS[field], en: CASE_RESULT_EN[field] },
		parent: `${kind}_total`,
		unit: 'count',
		group: 'cases',
		formula: `${where} ${CASE_FIELD_LABELS[field]}${sum}`,
		templates: BOTH,
		compute: (r) => value(r, field)
	}));
}

const REASON_GROUPS = [
	{ rows: DENIED, zh: '不予公开', en: 'Denied', parent: 'outcome_denied', templates: BOTH },
	{ rows: UNABLE, zh: '无法提供', en: 'Unable', parent: 'outcome_unable', templates: BOTH },
	{ rows: REJECTED, zh: '不予处理', en: 'Not processed', parent: 'outcome_not_processed', templates: BOTH },
	// The three-row （六） exists only where a report prints it (the 2021 tables).
	{ rows: OTHER_SPLIT_ROWS, zh: '其他处理', en: 'Other', parent: 'outcome_other', templates: ['2021'] }
] as const;

const reasonMetrics: Metric[] = REASON_GROUPS.flatMap((g) =>
	g.rows.map(
		(key): Metric => ({
			id: `reason_${key}`,
			zh: `${g.zh}：${reasonLabel(key)}`,
			en: `${g.en}: ${ROW_EN[key] ?? key}`,
			short: { zh: reasonLabel(key), en: ROW_EN[key] ?? key },
			parent: g.parent,
			unit: 'count',
			group: 'reasons',
			formula: `表三「${REQUEST_ROW_LABELS[key]}」总计`,
			templates: g.templates,
			compute: (r) => row(r, key)
		})
	)
);

const applicantMetrics: Metric[] = APPLICANT_COLUMNS.filter((c) => c !== 'total').flatMap((col): Metric[] => [
	{
		id: `applicants_${col}`,
		zh: `新收申请：${APPLICANT_LABELS[col]}`,
		en: `New requests from ${APPLICANT_EN[col]}`,
		short: { zh: APPLICANT_LABELS[col], en: APPLICANT_EN[col] },
		parent: 'requests_received',
		unit: 'count',
		group: 'applicants',
		formula: `表三「一、本年新收」${APPLICANT_LABELS[col]}列`,
		templates: BOTH,
		compute: (r) => row(r, 'new_received', col)
	},
	rate({
		id: `applicant_share_${col}`,
		zh: `${APPLICANT_LABELS[col]}申请占比`,
		en: `Share of requests from ${APPLICANT_EN[col]}`,
		group: 'applicants',
		formula: `本年新收 ${APPLICANT_LABELS[col]} ÷ 本年新收总计`,
		numerator: [`applicants_${col}`],
		denominator: 'requests_received'
	})
]);

/**
 * The one rule for a report whose parts do not add up to its total (table
 * 三's outcome rows against 办理总计 — e.g. a report that left the outcome
 * rows' 总计 column blank — or applicant columns against 本年新收): that
 * report is left out of every rate and share whose denominator is that total,
 * numerator and denominator alike, in every view. Its counts still add up
 * in the totals. Charts say how many reports and requests they divide.
 */
export const PARTS_RULE = {
	zh: '比率与占比 = Σ分子 ÷ Σ分母；一份报告的各部分之和与其总计不符时（如表三结果各行的总计列空白，或表四结果之和与总计不符），这份报告不计入以该总计为基础的比率和占比。',
	en: 'Rates and shares = Σ numerator ÷ Σ denominator; a report whose parts do not add up to its total is left out of every rate and share over that total.'
} as const;

/** Whether a report's parts of `wholeId` add up to it (true for a whole without parts). */
export function partsAddUp(r: ReportRecord, wholeId: string): boolean {
	const parts = partsOf(wholeId);
	if (!parts.length) return true;
	const whole = METRIC_BY_ID.get(wholeId)?.compute(r) ?? null;
	if (whole === null) return false;
	const sum = parts.reduce((a, m) => a + (m.compute(r) ?? 0), 0);
	return Math.abs(sum - whole) < 0.5;
}

/**
 * A rate from its parts: its value on one report is Σ numerator ÷ denominator,
 * computed by the part metrics themselves, so the per-report value and the
 * pooled value can never use different definitions.
 */
function rate(def: Omit<Metric, 'unit' | 'templates' | 'compute' | 'ratio'> & MetricRatio & { templates?: readonly Template[] }): Metric {
	const { numerator, denominator, whole, templates = BOTH, ...rest } = def;
	const part = (id: string) => {
		const m = METRIC_BY_ID.get(id);
		if (!m || m.ratio) throw new Error(`rate ${def.id}: ${id} is not a count metric`);
		return m;
	};
	// Parts are looked up on first use: the catalog is complete by then.
	return {
		...rest,
		unit: 'rate',
		templates,
		ratio: { numerator, denominator, ...(whole ? { whole } : {}) },
		compute: (r) => {
			if (!partsAddUp(r, whole ?? denominator)) return null;
			const parts = numerator.map((id) => part(id).compute(r)).filter((v): v is number => v !== null);
			return ratio(parts.length ? parts.reduce((a, v) => a + v, 0) : null, part(denominator).compute(r));
		}
	};
}

export const METRICS: readonly Metric[] = [
	{
		id: 'requests_received',
		zh: '本年新收申请',
		en: 'New requests received',
		unit: 'count',
		group: 'requests',
		formula: '表三「一、本年新收」总计',
		templates: BOTH,
		compute: (r) => row(r, 'new_received')
	},
	{
		id: 'requests_carried_over',
		zh: '上年结转申请',
		en: 'Requests carried over',
		unit: 'count',
		group: 'requests',
		formula: '表三「二、上年结转」总计',
		templates: BOTH,
		compute: (r) => row(r, 'carried_over')
	},
	{
		id: 'requests_processed',
		zh: '办理总计',
		en: 'Requests processed',
		unit: 'count',
		group: 'requests',
		formula: '表三「（七）总计」总计',
		templates: BOTH,
		compute: (r) => row(r, 'total_processed')
	},
	{
		id: 'requests_carried_forward',
		zh: '结转下年度',
		en: 'Carried forward',
		unit: 'count',
		group: 'requests',
		formula: '表三「四、结转下年度继续办理」总计',
		templates: BOTH,
		compute: (r) => row(r, 'carried_forward')
	},
	{
		id: 'outcome_granted',
		zh: '予以公开',
		en: 'Granted',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（一）予以公开」总计',
		templates: BOTH,
		compute: (r) => row(r, 'granted')
	},
	{
		id: 'outcome_partial',
		zh: '部分公开',
		en: 'Partially granted',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（二）部分公开」总计',
		templates: BOTH,
		compute: (r) => row(r, 'partially_granted')
	},
	{
		id: 'outcome_denied',
		zh: '不予公开',
		en: 'Denied',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（三）不予公开」8 项之和',
		templates: BOTH,
		compute: (r) => sumRows(r, DENIED)
	},
	{
		id: 'outcome_unable',
		zh: '无法提供',
		en: 'Unable to provide',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（四）无法提供」3 项之和',
		templates: BOTH,
		compute: (r) => sumRows(r, UNABLE)
	},
	{
		id: 'outcome_not_processed',
		zh: '不予处理',
		en: 'Not processed',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（五）不予处理」5 项之和',
		templates: BOTH,
		compute: (r) => sumRows(r, REJECTED)
	},
	{
		id: 'outcome_other',
		zh: '其他处理',
		en: 'Other handling',
		parent: 'requests_processed',
		unit: 'count',
		group: 'outcomes',
		formula: '表三「（六）其他处理」（单行，或 3 项之和）',
		templates: BOTH,
		compute: (r) => sumRows(r, OTHER),
		templateNote: {
			zh: '指标口径：“其他处理”在 2019 格式中是一行，在 2021 格式中是三项之和。',
			en: 'Definition: “other handling” is one row in the 2019 tables and the sum of three in the 2021 tables.'
		}
	},
	rate({
		id: 'grant_rate',
		zh: '公开率',
		en: 'Grant rate',
		group: 'rates',
		formula: '予以公开 ÷ 办理总计',
		numerator: ['outcome_granted'],
		denominator: 'requests_processed'
	}),
	rate({
		id: 'grant_or_partial_rate',
		zh: '公开及部分公开率',
		en: 'Granted or partially granted rate',
		group: 'rates',
		formula: '（予以公开 + 部分公开）÷ 办理总计',
		numerator: ['outcome_granted', 'outcome_partial'],
		denominator: 'requests_processed'
	}),
	rate({
		id: 'denial_rate',
		zh: '不予公开率',
		en: 'Denial rate',
		group: 'rates',
		formula: '不予公开 ÷ 办理总计',
		numerator: ['outcome_denied'],
		denominator: 'requests_processed'
	}),
	rate({
		id: 'not_held_rate',
		zh: '“本机关不掌握”占比',
		en: '"Not held" rate',
		group: 'rates',
		formula: '无法提供·本机关不掌握 ÷ 办理总计',
		numerator: ['reason_unable_not_held'],
		denominator: 'requests_processed'
	}),
	...reasonMetrics,
	...applicantMetrics,
	{
		id: 'review_total',
		zh: '行政复议',
		en: 'Administrative reconsiderations',
		short: { zh: '总计', en: 'total' },
		unit: 'count',
		group: 'cases',
		formula: '表四 行政复议 总计',
		templates: BOTH,
		compute: (r) => cases(r, 'review')?.total ?? null
	},
	...caseResults('review', '复议', 'Reconsiderations', '表四 行政复议', (r, field) => cases(r, 'review')?.[field] ?? null),
	{
		id: 'review_concluded',
		zh: '复议已审结',
		en: 'Reconsiderations concluded',
		unit: 'count',
		group: 'cases',
		formula: '表四 行政复议 维持 + 纠正 + 其他结果（未审结不计）',
		templates: BOTH,
		compute: (r) => concluded(cases(r, 'review'))
	},
	rate({
		id: 'review_correction_rate',
		zh: '复议纠错率',
		en: 'Reconsideration correction rate',
		group: 'cases',
		formula: '复议结果纠正 ÷（维持 + 纠正 + 其他结果），未审结不计',
		numerator: ['review_corrected'],
		denominator: 'review_concluded',
		whole: 'review_total'
	}),
	{
		id: 'litigation_total',
		zh: '行政诉讼',
		en: 'Administrative lawsuits',
		short: { zh: '总计', en: 'total' },
		unit: 'count',
		group: 'cases',
		formula: '表四 未经复议直接起诉 总计 + 复议后起诉 总计',
		templates: BOTH,
		compute: (r) => litigation(r, 'total')
	},
	...caseResults('litigation', '诉讼', 'Lawsuits', '表四 两类行政诉讼', litigation, '之和'),
	{
		id: 'litigation_concluded',
		zh: '诉讼已审结',
		en: 'Lawsuits concluded',
		unit: 'count',
		group: 'cases',
		formula: '表四 两类行政诉讼 维持 + 纠正 + 其他结果之和（未审结不计）',
		templates: BOTH,
		compute: (r) => {
			const groups = litigationGroups(r);
			return groups.length ? total(groups.map(concluded)) : null;
		}
	},
	rate({
		id: 'litigation_correction_rate',
		zh: '诉讼纠错率',
		en: 'Litigation correction rate',
		group: 'cases',
		formula: '诉讼结果纠正 ÷（维持 + 纠正 + 其他结果），未审结不计',
		numerator: ['litigation_corrected'],
		denominator: 'litigation_concluded',
		whole: 'litigation_total'
	}),
	// 2019 tables count fee items, 2021 tables state revenue: never the same metric.
	{
		id: 'licensing_decisions',
		zh: '行政许可处理决定',
		en: 'Licensing decisions',
		unit: 'count',
		group: 'active',
		formula: '表二 行政许可 处理决定数量',
		templates: BOTH,
		compute: (r) => active(r, 'licensing', 'decisions'),
		templateNote: DECISIONS_NOTE
	},
	{
		id: 'punishment_decisions',
		zh: '行政处罚决定',
		en: 'Penalty decisions',
		unit: 'count',
		group: 'active',
		formula: '表二 行政处罚 处理决定数量',
		templates: BOTH,
		compute: (r) => active(r, 'punishment', 'decisions'),
		templateNote: DECISIONS_NOTE
	},
	{
		id: 'coercion_decisions',
		zh: '行政强制决定',
		en: 'Coercion decisions',
		unit: 'count',
		group: 'active',
		formula: '表二 行政强制 处理决定数量',
		templates: BOTH,
		compute: (r) => active(r, 'coercion', 'decisions'),
		templateNote: DECISIONS_NOTE
	},
	{
		id: 'fee_revenue',
		zh: '行政事业性收费金额',
		en: 'Fee revenue',
		unit: '10k_yuan',
		group: 'active',
		formula: '表二 行政事业性收费 本年收费金额（万元），仅 2021 格式',
		templates: ['2021'],
		compute: (r) => (r.template === '2021' ? active(r, 'fees', 'amount_10k_yuan') : null),
		templateNote: {
			zh: '口径：2019 格式表二只列收费项目数量（上一年项目数量、本年增/减），没有金额；这些年份为“不适用”，不是 0。',
			en: 'Definition: the 2019 tables list only the number of fee items (last year, change), no amount; those years show n/a, not 0.'
		}
	},
	{
		id: 'normative_documents_issued',
		zh: '本年制发规范性文件',
		en: 'Normative documents issued',
		unit: 'count',
		group: 'active',
		formula: '表二 行政规范性文件 本年制发件数，仅 2021 格式',
		templates: ['2021'],
		compute: (r) => (r.template === '2021' ? active(r, 'normative_documents', 'issued') : null),
		templateNote: {
			zh: '口径：2019 格式表二列“本年新制作数量”“本年新公开数量”，与 2021 格式的“本年制发件数”不是同一指标，不合并；2019 格式的年份为“不适用”。',
			en: 'Definition: the 2019 tables list documents newly made and newly published, not the 2021 tables’ documents issued; they are not merged, and 2019-template years show n/a.'
		}
	},
	{
		id: 'normative_documents_in_force',
		zh: '现行有效规范性文件',
		en: 'Normative documents in force',
		unit: 'count',
		group: 'active',
		formula: '表二 行政规范性文件 现行有效件数，仅 2021 格式',
		templates: ['2021'],
		compute: (r) => (r.template === '2021' ? active(r, 'normative_documents', 'in_force') : null)
	},
	{
		id: 'regulations_issued',
		zh: '本年制发规章',
		en: 'Regulations issued',
		unit: 'count',
		group: 'active',
		formula: '表二 规章 本年制发件数，仅 2021 格式',
		templates: ['2021'],
		compute: (r) => (r.template === '2021' ? active(r, 'regulations', 'issued') : null)
	}
];

export const METRIC_BY_ID: ReadonlyMap<string, Metric> = new Map(METRICS.map((m) => [m.id, m]));

/** The parts of a metric (see Metric.parent), in catalog order. */
export function partsOf(parentId: string): Metric[] {
	return METRICS.filter((m) => m.parent === parentId);
}

/** The whole a metric is ultimately a part of (itself when it has no parent): the total its shares divide by. */
export function rootOf(id: string): string {
	let m = METRIC_BY_ID.get(id);
	while (m?.parent) m = METRIC_BY_ID.get(m.parent);
	return m?.id ?? id;
}

/** Table 三's outcome groups: the parts of 办理总计, in print order. */
export const OUTCOME_METRICS: readonly string[] = partsOf('requests_processed').map((m) => m.id);

/** The label a metric has where its whole is already named (a chart of its parent's parts). */
export function shortLabel(m: Metric, lang: 'zh' | 'en'): string {
	return m.short?.[lang] ?? m[lang];
}

/** Every applicable metric of one record; a metric outside the record's template is absent, never 0. */
export function computeMetrics(r: ReportRecord): { metric: string; value: number }[] {
	const out: { metric: string; value: number }[] = [];
	for (const m of METRICS) {
		if (!m.templates.includes(r.template)) continue;
		const v = m.compute(r);
		if (v !== null && Number.isFinite(v)) out.push({ metric: m.id, value: v });
	}
	return out;
}
