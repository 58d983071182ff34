import { METRICS, type MetricGroup } from '$lib/catalog/metrics';

/**
 * The table builder's metrics in a link, short enough for MAX_LINK whatever
 * is chosen: a whole catalog group is one token (`*rates`), and a group
 * mostly chosen is that token with the few left out (`*reasons,-reason_x`).
 * So the list never needs more than half of a group's ids, and an unchanged
 * link still names the same metrics when the catalog grows (ids, never positions).
 */

const GROUPS: readonly MetricGroup[] = [...new Set(METRICS.map((m) => m.group))];
const idsOf = (g: MetricGroup) => METRICS.filter((m) => m.group === g).map((m) => m.id);

/** The chosen ids in catalog order (the builder's column order), unknown ids dropped. */
export function inCatalogOrder(ids: Iterable<string>): string[] {
	const set = new Set(ids);
	return METRICS.filter((m) => set.has(m.id)).map((m) => m.id);
}

/** The list as link text: comma-separated tokens, catalog order. */
export function packMetrics(ids: readonly string[]): string {
	const chosen = new Set(ids);
	const tokens: string[] = [];
	for (const g of GROUPS) {
		const all = idsOf(g);
		const inGroup = all.filter((id) => chosen.has(id));
		const out = all.filter((id) => !chosen.has(id));
		if (!inGroup.length) continue;
		// `*group` + exclusions costs one token more than the excluded ids: use it when that is shorter.
		if (out.length + 1 < inGroup.length) tokens.push(`*${g}`, ...out.map((id) => `-${id}`));
		else tokens.push(...inGroup);
	}
	return tokens.join(',');
}

/** The ids a link's list names, in catalog order, and the tokens that name nothing in the catalog. */
export function unpackMetrics(text: string): { ids: string[]; unknown: string[] } {
	const chosen = new Set<string>();
	const unknown: string[] = [];
	const known = new Set(METRICS.map((m) => m.id));
	const tokens = text
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	// Groups and ids first, exclusions after, so their order in the link does not matter.
	for (const tok of tokens) {
		if (tok.startsWith('-')) continue;
		if (tok.startsWith('*')) {
			const g = tok.slice(1) as MetricGroup;
			if (GROUPS.includes(g)) for (const id of idsOf(g)) chosen.add(id);
			else unknown.push(tok);
		} else if (known.has(tok)) chosen.add(tok);
		else unknown.push(tok);
	}
	for (const tok of tokens) {
		if (!tok.startsWith('-')) continue;
		if (known.has(tok.slice(1))) chosen.delete(tok.slice(1));
		else unknown.push(tok);
	}
	return { ids: inCatalogOrder(chosen), unknown };
}
