import { SCOPE_LABELS } from '$lib/agencies/scope';
import type { Metric } from '$lib/catalog/metrics';
import type { MetricPoint } from '$lib/db/aggregate';
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

/** One agency-year: a report may be missing, lack the metric's template, or lack the value. */
export function reportCell(r: { template: string; status: string; broken_rules: number; value: number | null } | undefined, m: Metric, lang: Lang): CellView {
	if (!r) return { text: t(lang, 'noReport'), kind: 'no-report', flagged: false };
	const flagged = r.status !== 'clean';
	const flagTitle = r.status === 'read_problems' ? t(lang, 'status_read_problems') : t(lang, 'status_broken_rules', { n: r.broken_rules });
	if (!(m.templates as readonly string[]).includes(r.template))
		return {
			text: t(lang, 'notApplicable'),
			title: `${t(lang, 'notApplicableWhy')}（${t(lang, 'templateName', { t: r.template })}）`,
			kind: 'na',
			flagged: false
		};
	if (r.value === null) return { text: t(lang, 'noValue'), title: t(lang, 'noValueWhy'), kind: 'none', flagged };
	return { text: formatValue(r.value, m.unit, lang), title: flagged ? flagTitle : undefined, kind: 'value', flagged };
}

/** A report's scope in words: 本机关 / 汇总 / 未定 (agencies/scope.ts). */
export function scopeText(scope: string, lang: Lang): string {
	return (SCOPE_LABELS as Record<string, { zh: string; en: string }>)[scope]?.[lang] ?? scope;
}
