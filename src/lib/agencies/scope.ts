/**
 * The scope of a report: does it count one body's own work (`own`), or does
 * a government's report 汇总 its departments and lower governments
 * (`aggregate`)? Sums across bodies must add up reports that do not overlap,
 * so every report gets a scope, with the evidence it was decided on.
 *
 * Decided, strongest first: agencies.csv (`scope` column); what the report
 * says (its statistics sentence: 汇总…各有关单位, 全区共受理申请 N 件 — or
 * 我局共收到, 本机关); the kind of body (a county/city/province 人民政府,
 * 管委会 or 实验区 speaks for its whole region; a department, an office or a
 * town speaks for itself); else `unknown`, with the reason.
 */

export const SCOPES = ['own', 'aggregate', 'unknown'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes a total across bodies may add up, one at a time (they overlap); `unknown` reports are never added. */
export type SumScope = Exclude<Scope, 'unknown'>;
export const SUM_SCOPES: readonly SumScope[] = ['own', 'aggregate'];

export const SCOPE_LABELS: Record<Scope, { zh: string; en: string }> = {
	own: { zh: '本机关', en: 'own' },
	aggregate: { zh: '汇总', en: 'aggregate' },
	unknown: { zh: '未定', en: 'unknown' }
};

/** A scope and the words it was decided on (shown to readers). */
export interface ScopeReading {
	value: Scope;
	evidence: string;
}

/** What a report's prose says about its scope: the sentence, cut short. */
export interface ScopeStatement {
	value: Exclude<Scope, 'unknown'>;
	sentence: string;
	/** The request count the sentence states (…申请 N 件), when it states one. */
	count?: number;
}

/**
 * Statistics sentences, in the order they are tried. A whole-region count
 * (全区…受理…申请…N件) or an explicit 汇总 of units is an aggregate; a
 * department's 我局/本机关 count, or an office answering for its government
 * (代表市政府共受理), is its own.
 */
const STATEMENTS: readonly [Exclude<Scope, 'unknown'>, RegExp][] = [
	['aggregate', /汇总[^。；]{0,30}(各|有关|所属|下属)[^。；]{0,12}(单位|部门|机关)/],
	['aggregate', /全(省|市|区|县|旗)各级(行政机关|政府)/],
	['aggregate', /全(省|市|区|县|旗)[^。；，]{0,10}(收到|受理|接收)[^。；]{0,25}?申请[^。；]{0,6}?\d+件/],
	['own', /代表(省|市|区|县)政府[^。；]{0,6}(收到|受理|接收)/],
	['own', /(我|本)(局|委|办|厅|院|署|中心|机关|单位)[^。；，]{0,8}(收到|受理|接收)[^。；]{0,25}?申请/],
	['own', /本(机关|部门|单位)(本级)?政府信息公开(工作)?年度报告/]
];

/** The sentence around a match, whitespace removed, at most 80 characters. */
function sentenceAt(text: string, index: number, length: number): string {
	// From the clause the match is in: the last 。；， before it (at most 30 characters back).
	const start = Math.max(...['。', '；', '，'].map((p) => text.lastIndexOf(p, index - 1) + 1), index - 30);
	const end = text.indexOf('。', index + length);
	const s = text.slice(start, end < 0 ? index + length + 30 : Math.min(end + 1, index + length + 40));
	return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** The report's own statement of its scope, from its prose lines (any adapter's), if it makes one. */
export function readScopeStatement(lines: readonly string[]): ScopeStatement | null {
	// PDF lines break mid-sentence: read the prose as one run of text.
	const text = lines.join('').replace(/\s+/g, '');
	for (const [value, re] of STATEMENTS) {
		const m = re.exec(text);
		if (!m) continue;
		const s = sentenceAt(text, m.index, m[0].length);
		const count = /申请[^。；\d]{0,6}?(\d+)件/.exec(s);
		return { value, sentence: s, ...(count ? { count: Number(count[1]) } : {}) };
	}
	return null;
}

/** The part of an agency that decides its kind. */
export interface BodyKind {
	level: string;
	category: string;
}

/**
 * Whether a body speaks for a whole region: a 人民政府 (or 管委会, 实验区,
 * 新区) above the town level. Towns, streets and 片区 have no departments
 * of their own in the data: their report is their own.
 */
export function isRegionGovernment(b: BodyKind): boolean {
	return b.category === '人民政府' && (b.level === '县' || b.level === '市' || b.level === '省');
}

/**
 * The scope of a report: agencies.csv, else the report's statement, else the
 * body's kind. `received`: the counts table 三 gives (本年新收, and with 上年结转):
 * a statement whose count is neither describes something narrower or wider
 * than the tables (洪泽区 2024: the office's 17 requests beside the tables'
 * 95), so the tables' scope falls back to the body's kind.
 */
export function decideScope(body: BodyKind, statement: ScopeStatement | null | undefined, override?: Scope, received: readonly number[] = []): ScopeReading {
	if (override) return { value: override, evidence: 'agencies.csv 指定' };
	const fits = statement && (statement.count === undefined || !received.length || received.includes(statement.count));
	if (statement && fits) return { value: statement.value, evidence: `报告原文：“${statement.sentence}”` };
	if (statement) {
		const kind = decideScope(body, null);
		return {
			value: kind.value,
			evidence: `报告原文称 ${statement.count} 件（“${statement.sentence}”），表三为 ${received[0]} 件，所述范围与表格不同；${kind.evidence.replace('；报告中没有说明统计范围的句子', '')}`
		};
	}
	if (isRegionGovernment(body))
		return { value: 'aggregate', evidence: `机关类别：${body.category}（${body.level}级，代表全辖区；报告中没有说明统计范围的句子）` };
	if (body.category !== '其他') return { value: 'own', evidence: `机关类别：${body.category}（部门或乡镇，只报本机关；报告中没有说明统计范围的句子）` };
	return { value: 'unknown', evidence: '机关类别不明，报告中也没有说明统计范围的句子；请在 agencies.csv 的 scope 列中指定' };
}

/** A body's place, for unit membership. */
export interface PlacedBody extends BodyKind {
	id: string;
	province_code: string | null;
	city_code: string | null;
	county_code: string | null;
}

/**
 * Whether `unit` is one of the units a region government's aggregate report
 * covers: the same region (its county, else its city, else its province) and
 * not a region government itself (a lower government's own aggregate would
 * count its departments a second time). The one definition of membership;
 * the reconciliation view states it in words (UNIT_RULE).
 */
export function isUnitOf(government: PlacedBody, unit: PlacedBody): boolean {
	if (unit.id === government.id || isRegionGovernment(unit)) return false;
	if (government.level === '县') return government.county_code !== null && unit.county_code === government.county_code;
	if (government.level === '市') return government.city_code !== null && unit.city_code === government.city_code;
	return government.province_code !== null && unit.province_code === government.province_code;
}

export const UNIT_RULE =
	'一个政府的“下属单位”：与它同属一个行政区（县级政府看区县代码，市级看地市代码，省级看省代码）、本身不是代表全辖区的政府（即部门、办公室、乡镇街道和片区）的机关。只比较它们当年 scope 为“本机关”的报告。';
