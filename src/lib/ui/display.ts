import { SCOPE_LABELS } from '$lib/agencies/scope';
import type { Metric } from '$lib/catalog/metrics';
import { FLAGGED_STATUSES, type ReportStatus } from '$lib/dataset/columns';
import type { FactCell, MetricPoint } from '$lib/db/aggregate';
import { formatValue } from './format';
import { t } from './i18n';
import type { Lang } from '$lib/state/url';

/** How one number shows in a table cell: the value, 不适用, or why it is missing. */
export interface CellView {
	text: string;
	title?: string;
	kind: 'value' | 'na' | 'none' | 'no-report';
	flagged: boolean;
}

export function pointCell(p: MetricPoint | undefined, m: Metric, lang: Lang): CellView {
	if (!p || p.reports === 0) {
		if (p && !p.applicable) return { text: t(lang, 'notApplicable'), title: t(lang, 'notApplicableWhy'), kind: 'na', flagged: false };
		return { text: t(lang, 'noValue'), title: t(lang, 'noValueWhy'), kind: 'none', flagged: false };
	}
	if (p.value === null) return { text: t(lang, 'noValue'), title: t(lang, 'noValueWhy'), kind: 'none', flagged: p.flagged > 0 };
	return {
		text: formatValue(p.value, m.unit, lang),
		title: p.flagged > 0 ? t(lang, 'kpiFlagged', { n: p.flagged }) : undefined,
		kind: 'value',
		flagged: p.flagged > 0
	};
}

/** A report's status in words: 勾稽一致, 勾稽不符 n 处 (its own arithmetic), 读取有问题, 解析存疑 (our reading, never its fault). */
export function statusText(r: { status: string; broken_rules: number }, lang: Lang): string {
	const s = r.status as ReportStatus;
	return s === 'broken_rules' ? t(lang, 'status_broken_rules', { n: r.broken_rules }) : t(lang, `status_${s}`);
}

/** The mark beside a report: ✓ consistent, ⚠ its own arithmetic or unread tables, ≈ our reading in doubt. */
export function statusMark(status: string): '✓' | '⚠' | '≈' {
	return status === 'clean' ? '✓' : status === 'uncertain' ? '≈' : '⚠';
}

/** Whether a report's numbers carry a warning in totals and charts (FLAGGED_STATUSES). */
export function isFlaggedStatus(status: string): boolean {
	return (FLAGGED_STATUSES as readonly string[]).includes(status);
}

/** One agency-year: a report may be missing, lack the metric's template, or lack the value. */
export function reportCell(
	r: { template: string; status: string; broken_rules: number; value: number | null; skipped?: boolean } | undefined,
	m: Metric,
	lang: Lang
): CellView {
	if (!r) return { text: t(lang, 'noReport'), kind: 'no-report', flagged: false };
	if (r.skipped) return { text: t(lang, 'researchSkippedCell'), title: statusText(r, lang), kind: 'none', flagged: false };
	const flagged = isFlaggedStatus(r.status);
	const flagTitle = r.status === 'uncertain' ? t(lang, 'status_uncertain_why') : statusText(r, lang);
	if (!(m.templates as readonly string[]).includes(r.template))
		return {
			text: t(lang, 'notApplicable'),
			title: `${t(lang, 'notApplicableWhy')}（${t(lang, 'templateName', { t: r.template })}）`,
			kind: 'na',
			flagged: false
		};
	if (r.value === null) return { text: t(lang, 'noValue'), title: t(lang, 'noValueWhy'), kind: 'none', flagged };
	return { text: formatValue(r.value, m.unit, lang), title: flagged || r.status === 'uncertain' ? flagTitle : undefined, kind: 'value', flagged };
}

/** A report's scope in words: 本机关 / 汇总 / 未定 (agencies/scope.ts). */
export function scopeText(scope: string, lang: Lang): string {
	return (SCOPE_LABELS as Record<string, { zh: string; en: string }>)[scope]?.[lang] ?? scope;
}

/**
 * What the profile says of a cell our reading doubts (解析存疑), line by line: how it was read
 * (facts.how), the row the document printed it on or where numbers without their own label were
 * placed (printed_row), the page of a PDF, and the report's own sentence that decided it (reason).
 */
export function doubtLines(cell: Pick<FactCell, 'how' | 'printed_row' | 'reason' | 'page'>, lang: Lang): string[] {
	const how = cell.how === 'ambiguous' ? 'cell_ambiguous' : cell.reason ? 'cell_inferredProse' : 'cell_inferred';
	return [
		t(lang, how),
		...(cell.printed_row ? [t(lang, 'cell_printedRow', { row: cell.printed_row })] : []),
		...(cell.page !== null ? [t(lang, 'cell_page', { page: cell.page })] : []),
		...(cell.reason ? [t(lang, 'cell_reason', { reason: cell.reason })] : [])
	];
}
