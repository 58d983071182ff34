import type { Metric } from '$lib/catalog/metrics';
import { metricLabel, t } from '$lib/ui/i18n';
import type { Lang } from '$lib/state/url';
import type { TemplateBreak } from './plots';

/**
 * Where the table template changes on a year axis, decided per report from
 * reports.template (never from the calendar): for each agency, between two
 * of its consecutive reports whose templates differ. Agencies that switch
 * between the same two years share one rule, whose tooltip names them.
 */
export interface ReportTemplate {
	agency_id: string;
	year: number;
	template: string;
}

export const TEMPLATE_DOCS: Record<string, string> = {
	'2019': '国办公开办函〔2019〕60号',
	'2021': '国办公开办函〔2021〕30号'
};

export function templateBreaks(
	reports: readonly ReportTemplate[],
	lang: Lang,
	nameOf: (id: string) => string = (id) => id,
	axis?: readonly number[]
): TemplateBreak[] {
	const byAgency = new Map<string, ReportTemplate[]>();
	for (const r of reports) {
		if (axis && !axis.includes(r.year)) continue;
		let list = byAgency.get(r.agency_id);
		if (!list) byAgency.set(r.agency_id, (list = []));
		list.push(r);
	}
	const switches = new Map<string, { before: number; after: number; from: string; to: string; who: string[] }>();
	for (const [id, list] of byAgency) {
		list.sort((a, b) => a.year - b.year);
		for (let i = 1; i < list.length; i++) {
			const a = list[i - 1];
			const b = list[i];
			if (a.template === b.template) continue;
			const k = `${a.year}|${b.year}|${a.template}|${b.template}`;
			let s = switches.get(k);
			if (!s) switches.set(k, (s = { before: a.year, after: b.year, from: a.template, to: b.template, who: [] }));
			s.who.push(nameOf(id));
		}
	}
	const single = byAgency.size === 1;
	return [...switches.values()]
		.sort((a, b) => a.before - b.before || a.after - b.after)
		.map((s) => {
			const names = s.who.length > 6 ? `${s.who.slice(0, 6).join('、')} …（${s.who.length}）` : s.who.join('、');
			const label = single || s.who.length === 1 ? `→${s.to}` : lang === 'zh' ? `→${s.to}（${s.who.length}）` : `→${s.to} (${s.who.length})`;
			const tip =
				lang === 'zh'
					? `${t(lang, 'templateChange')}：${s.before} 年报告用 ${s.from} 年格式，${s.after} 年报告用 ${s.to} 年格式（${TEMPLATE_DOCS[s.to] ?? s.to}）\n${names}`
					: `${t(lang, 'templateChange')}: ${s.before} report in the ${s.from} template, ${s.after} report in the ${s.to} template\n${names}`;
			return { before: s.before, after: s.after, label, tip };
		});
}

/** The notes under a chart with template rules: what the rule means, and where the metric's definition changes. */
export function templateNotes(breaks: readonly TemplateBreak[], metrics: readonly Metric[], lang: Lang): string[] {
	if (!breaks.length) return [];
	const to = [...new Set(breaks.map((b) => b.label.match(/→(\d{4})/)?.[1]).filter((x): x is string => !!x))];
	const notes = [t(lang, 'templateChangeNote', { to: to.join('/') || '2021', doc: to.map((x) => TEMPLATE_DOCS[x] ?? x).join('、') || TEMPLATE_DOCS['2021'] })];
	for (const m of metrics) {
		if (m.templates.length < 2) {
			const other = ['2019', '2021'].filter((x) => !m.templates.includes(x as never));
			notes.push(t(lang, 'definitionChange', { metric: metricLabel(m, lang), templates: m.templates.join('/'), other: other.join('/') }));
		}
		if (m.templateNote) notes.push(m.templateNote[lang]);
	}
	return notes;
}
