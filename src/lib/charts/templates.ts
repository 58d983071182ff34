import type { Metric } from '$lib/catalog/metrics';
import { metricLabel, t } from '$lib/ui/i18n';
import type { Lang } from '$lib/state/url';
import type { MixedSpan, TemplateBreak } from './plots';

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
	return [
		t(lang, 'templateChangeNote', { to: to.join('/') || '2021', doc: to.map((x) => TEMPLATE_DOCS[x] ?? x).join('、') || TEMPLATE_DOCS['2021'] }),
		...metricTemplateNotes(metrics, lang)
	];
}

/** Where the metrics' definitions differ between the templates (catalog templates and templateNote). */
export function metricTemplateNotes(metrics: readonly Metric[], lang: Lang): string[] {
	const notes: string[] = [];
	for (const m of metrics) {
		if (m.templates.length < 2) {
			const other = ['2019', '2021'].filter((x) => !m.templates.includes(x as never));
			notes.push(t(lang, 'definitionChange', { metric: metricLabel(m, lang), templates: m.templates.join('/'), other: other.join('/') }));
		}
		if (m.templateNote) notes.push(m.templateNote[lang]);
	}
	return notes;
}

/** Reports per template in one year on an aggregate chart. */
export interface YearTemplates {
	year: number;
	templates: Partial<Record<string, number>>;
}

/** Per-year template counts of a list of reports (each counts `reports`, 1 when absent: rows counted already). */
export function countTemplates(reports: readonly { year: number; template: string; reports?: number }[]): YearTemplates[] {
	const by = new Map<number, Partial<Record<string, number>>>();
	for (const r of reports) {
		const c = by.get(r.year) ?? {};
		c[r.template] = (c[r.template] ?? 0) + (r.reports ?? 1);
		by.set(r.year, c);
	}
	return [...by].sort((a, b) => a[0] - b[0]).map(([year, templates]) => ({ year, templates }));
}

/**
 * The template marks of a chart over many bodies' reports. Agencies switched
 * in different years, so one rule per agency's switch piles up (3–4 dashed
 * rules on the bundled data); instead, the years whose reports use both
 * templates are shaded once (runs of such years as one span), a clean
 * switch between two single-template years keeps one rule, and one note
 * counts the reports per template in each mixed year.
 */
export function templateMix(
	years: readonly YearTemplates[],
	metrics: readonly Metric[],
	lang: Lang,
	axis?: readonly number[]
): { breaks: TemplateBreak[]; mixed: MixedSpan[]; notes: string[] } {
	const shown = years.filter((y) => (!axis || axis.includes(y.year)) && Object.values(y.templates).some((n) => (n ?? 0) > 0));
	const used = (y: YearTemplates) => Object.keys(y.templates).filter((k) => (y.templates[k] ?? 0) > 0);
	const count = (y: YearTemplates) => t(lang, 'templateMixYear', { year: y.year, a: y.templates['2019'] ?? 0, b: y.templates['2021'] ?? 0 });
	const mixed: MixedSpan[] = [];
	const breaks: TemplateBreak[] = [];
	for (let i = 0; i < shown.length; i++) {
		const y = shown[i];
		if (used(y).length > 1) {
			const last = mixed.at(-1);
			// a run of mixed years, neighbours on the axis, is one span
			if (last && shown[i - 1]?.year === last.to && used(shown[i - 1]).length > 1) {
				last.to = y.year;
				last.tip += `
${count(y)}`;
			} else
				mixed.push({
					from: y.year,
					to: y.year,
					label: t(lang, 'templateMixLabel'),
					tip: `${t(lang, 'templateMixTip')}
${count(y)}`
				});
			continue;
		}
		const prev = shown[i - 1];
		if (prev && used(prev).length === 1 && used(prev)[0] !== used(y)[0]) {
			const [from, to] = [used(prev)[0], used(y)[0]];
			breaks.push({
				before: prev.year,
				after: y.year,
				label: `→${to}`,
				tip:
					lang === 'zh'
						? `${t(lang, 'templateChange')}：${prev.year} 年报告用 ${from} 年格式，${y.year} 年报告用 ${to} 年格式（${TEMPLATE_DOCS[to] ?? to}）`
						: `${t(lang, 'templateChange')}: ${prev.year} reports in the ${from} template, ${y.year} reports in the ${to} template`
			});
		}
	}
	const mixedYears = shown.filter((y) => used(y).length > 1);
	const notes = [
		...(mixedYears.length ? [t(lang, 'templateMixNote', { list: mixedYears.map(count).join(lang === 'zh' ? '；' : '; ') })] : []),
		...templateNotes(breaks, [], lang),
		...(mixedYears.length || breaks.length ? metricTemplateNotes(metrics, lang) : [])
	];
	return { breaks, mixed, notes };
}
