import { partsOf } from '$lib/catalog/metrics';
import { UNCERTAIN_READING } from '$lib/dataset/columns';
import type { IssueRow, ProfileData, ReportRow } from '$lib/db/queries';
import { t } from '$lib/ui/i18n';
import type { Lang } from '$lib/state/url';

/** One agency's reports and metrics, looked up by year: what the profile's parts read. */
export interface Profile {
	data: ProfileData;
	years: number[];
	report(year: number): ReportRow | undefined;
	/** A catalog metric of the year's report; undefined where the report lacks it. */
	metric(id: string, year: number): number | undefined;
}

export function profileOf(data: ProfileData): Profile {
	const reports = new Map(data.reports.map((r) => [r.year, r]));
	const metrics = new Map(data.metrics.map((m) => [`${m.metric}|${m.year}`, m.value]));
	return { data, years: data.reports.map((r) => r.year), report: (y) => reports.get(y), metric: (id, y) => metrics.get(`${id}|${y}`) };
}

/**
 * Where a year's report prints a total its own parts do not add up to (table
 * 四's 总计 0 beside results of 11): the parts' sum, else null. The total
 * cell then carries the warning, and the rates over it are left out (PARTS_RULE).
 */
export function partsSumIfDiffers(profile: Profile, id: string, year: number): number | null {
	const parts = partsOf(id);
	const total = profile.metric(id, year);
	if (!parts.length || total === undefined) return null;
	const sum = parts.reduce((a, p) => a + (profile.metric(p.id, year) ?? 0), 0);
	return Math.abs(sum - total) < 0.5 ? null : sum;
}

/** An issue of the report's own arithmetic (the four rules): the only kind that marks its cells. */
export function isBrokenRule(code: string): boolean {
	return code.startsWith('rule_');
}

/**
 * A report's issues in the two kinds never confused, plus the rest: 报告自身不符
 * (rule_*: a rule of its own arithmetic fails over cells all read as printed),
 * 解析存疑 (UNCERTAIN_READING: our reading is in doubt, including a rule failing
 * over a doubted cell, reading_rule), and other notes (prose against tables,
 * carry-over across years, template notes).
 */
export function checkGroups(issues: readonly IssueRow[]): { broken: IssueRow[]; doubt: IssueRow[]; other: IssueRow[] } {
	return {
		broken: issues.filter((i) => isBrokenRule(i.code)),
		doubt: issues.filter((i) => UNCERTAIN_READING.has(i.code)),
		other: issues.filter((i) => !isBrokenRule(i.code) && !UNCERTAIN_READING.has(i.code))
	};
}

export function sourceKindText(r: ReportRow, lang: Lang): string {
	return r.source_kind === 'document' ? t(lang, 'kind_document') : t(lang, 'kind_record');
}
