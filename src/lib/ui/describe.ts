import { MIN_PEERS, type PeerBandData } from '$lib/db/research';
import type { Snapshot } from '$lib/db/snapshot';
import { t } from './i18n';
import type { Lang, ViewState } from '$lib/state/url';

/** The filters of a view as one readable line, for chart exports: "年份 2022–2025 · 层级 县 · 名称含“平潭”". */
export function describeFilters(view: ViewState, snapshot: Snapshot, lang: Lang): string {
	const parts: string[] = [];
	const sep = ' ';
	if (view.from !== null || view.to !== null) parts.push(`${t(lang, 'years')}${sep}${view.from ?? snapshot.years[0]}–${view.to ?? snapshot.years.at(-1)}`);
	if (view.province) parts.push(`${t(lang, 'province')}${sep}${view.province}`);
	if (view.city) parts.push(`${t(lang, 'city')}${sep}${view.city}`);
	if (view.level) parts.push(`${t(lang, 'level')}${sep}${view.level}`);
	if (view.category) parts.push(`${t(lang, 'category')}${sep}${view.category}`);
	if (view.q) parts.push(lang === 'zh' ? `名称含“${view.q}”` : `name contains "${view.q}"`);
	parts.push(...researchWords(view, lang));
	return parts.length ? parts.join(' · ') : t(lang, 'stampNoFilters');
}

/** The researchers' filters that are on, in words (none: an empty list); the log scale is no filter, each chart's note says it. */
export function researchWords(view: ViewState, lang: Lang): string[] {
	const out: string[] = [];
	if (view.skip.includes('flagged')) out.push(t(lang, 'researchSkippedFlagged'));
	if (view.skip.includes('uncertain')) out.push(t(lang, 'researchSkippedUncertain'));
	if (view.minN > 0) out.push(t(lang, 'researchMinNOn', { n: view.minN }));
	return out;
}

/** The peer group in words: who the peers are, or why there is no band. */
export function peerText(b: Pick<PeerBandData, 'group'>, lang: Lang): string[] {
	const g = b.group;
	if (g.basis === 'category_level') return [t(lang, 'peerGroupCL', { category: g.category, level: g.level, n: g.size })];
	if (g.basis === 'level')
		return [
			t(lang, 'peerFallback', { category: g.category, level: g.level, n: g.categoryLevelSize, min: MIN_PEERS }),
			t(lang, 'peerGroupL', { level: g.level, n: g.size })
		];
	return [t(lang, 'peerTooSmall', { level: g.level, n: g.levelSize, min: MIN_PEERS })];
}
