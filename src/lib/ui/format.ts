import type { MetricUnit } from '$lib/catalog/metrics';
import type { Lang } from '$lib/state/url';

/** Number formats of the page: one place, so tiles, tables and chart axes agree. */

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');

// Building an Intl.NumberFormat costs ~50× formatting with one: a table of thousands of cells builds each kind once.
const formats = new Map<string, Intl.NumberFormat>();

export function formatNumber(v: number, lang: Lang, digits = 0): string {
	const key = `${lang}|${digits}`;
	let f = formats.get(key);
	if (!f) formats.set(key, (f = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: digits })));
	return f.format(v);
}

export function formatValue(v: number, unit: MetricUnit, lang: Lang): string {
	if (unit === 'rate') return `${formatNumber(v * 100, lang, 1)}%`;
	if (unit === '10k_yuan') return `${formatNumber(v, lang, 2)} ${lang === 'zh' ? '万元' : '×10k yuan'}`;
	return formatNumber(v, lang, Number.isInteger(v) ? 0 : 1);
}

/** Short value for chart axes. */
export function axisFormat(unit: MetricUnit, lang: Lang): (v: number) => string {
	if (unit === 'rate') return (v) => `${formatNumber(v * 100, lang, 0)}%`;
	return (v) => formatNumber(v, lang, 0);
}

export function unitLabel(unit: MetricUnit, lang: Lang): string {
	if (unit === 'rate') return '%';
	if (unit === '10k_yuan') return lang === 'zh' ? '万元' : '10k yuan';
	return lang === 'zh' ? '件' : 'count';
}

export interface Change {
	text: string;
	direction: 'up' | 'down' | 'flat';
}

/** Year-over-year change: relative for counts and amounts, percentage points for rates. */
export function formatChange(current: number | null, previous: number | null, unit: MetricUnit, lang: Lang): Change | null {
	if (current === null || previous === null) return null;
	const sign = (d: number) => (d > 0 ? '+' : d < 0 ? '−' : '±');
	const direction = current > previous ? 'up' : current < previous ? 'down' : 'flat';
	if (unit === 'rate') {
		const pp = (current - previous) * 100;
		return { text: `${sign(pp)}${formatNumber(Math.abs(pp), lang, 1)} ${lang === 'zh' ? '个百分点' : 'pp'}`, direction };
	}
	if (previous === 0) return current === 0 ? { text: '±0', direction } : null;
	const pct = ((current - previous) / previous) * 100;
	return { text: `${sign(pct)}${formatNumber(Math.abs(pct), lang, 1)}%`, direction };
}

/** A file size: B, KB or MB (powers of 1024), one decimal. */
export function formatBytes(n: number, lang: Lang): string {
	if (n >= 1048576) return `${formatNumber(n / 1048576, lang, 1)} MB`;
	if (n >= 1024) return `${formatNumber(n / 1024, lang, 1)} KB`;
	return `${formatNumber(n, lang)} B`;
}

export function formatDateTime(iso: string, lang: Lang): string {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(d);
}
