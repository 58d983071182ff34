/**
 * Which list entries are annual reports, from their titles alone
 * (report-format.md §8, §9.7): 解读 pages and half-year / quarterly
 * statistics mention a report without being one.
 */
import { toHalfWidth } from '../../lib/report/normalize';

export type TitleKind = 'report' | 'interpretation' | 'half_year' | 'notice' | 'other';

export interface TitleClass {
	kind: TitleKind;
	/** The year the title names (the reporting year), if any. */
	year?: number;
}

const REPORT = /年度报告|年报/;
const DISCLOSURE = /信息公开|政务公开|政府公开/;
const INTERPRETATION = /解读|图解|一图读懂|答记者问|问答/;
const PART_YEAR = /上半年|下半年|半年|季度|月份|月报|\d{1,2}[-—~至]\d{1,2}月/;
const NOTICE = /通知|通报|的函|工作要点|实施方案/;
/** Other kinds of annual report a general column may list beside ours. */
const OTHER_ANNUAL = /法治政府|法治建设|企业|统计|财务|决算|预算|社会责任|年鉴|质量|安全生产/;

function compact(s: string): string {
	return toHalfWidth(s).replace(/\s+/g, '');
}

/** The year a title names: "2023年（度）…", "…（2023年）", "2023…". */
export function titleYear(title: string): number | undefined {
	const t = compact(title);
	const m = /((?:19|20)\d{2})年/.exec(t) ?? /[(（]((?:19|20)\d{2})[)）]/.exec(t) ?? /(?:^|\D)((?:19|20)\d{2})(?!\d)/.exec(t);
	return m ? Number(m[1]) : undefined;
}

export function classifyTitle(title: string): TitleClass {
	const t = compact(title);
	const year = titleYear(t);
	const aboutReports = REPORT.test(t) || DISCLOSURE.test(t);
	if (!aboutReports) return { kind: 'other', year };
	if (INTERPRETATION.test(t)) return { kind: 'interpretation', year };
	if (PART_YEAR.test(t) && DISCLOSURE.test(t)) return { kind: 'half_year', year };
	if (!REPORT.test(t)) return { kind: 'other', year };
	if (NOTICE.test(t)) return { kind: 'notice', year };
	if (!DISCLOSURE.test(t) && OTHER_ANNUAL.test(t)) return { kind: 'other', year };
	// "政府信息公开年报" with neither year nor agency is the column itself (menus and breadcrumbs link it).
	if (year === undefined && [...t].length <= 12) return { kind: 'other' };
	return { kind: 'report', year };
}

/** Why a title is passed over, for messages and the manifest. */
export const SKIP_REASONS: Record<Exclude<TitleKind, 'report' | 'other'>, string> = {
	interpretation: '解读页面，不是报告 (an interpretation page, not the report)',
	half_year: '半年或季度统计，不是年度报告 (half-year / quarterly statistics, not an annual report)',
	notice: '通知或通报，不是报告 (a notice about reports, not a report)'
};
