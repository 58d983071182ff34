import type { AgencyOption, Snapshot } from '$lib/db/snapshot';

/**
 * Reports a reader uploaded in this page: they join the loaded tables for the
 * session only (nothing is stored or sent). Queries ask again when they are
 * added (db/client's `engine.revision`); views read the merged agency list
 * and years through `withSession`.
 */
export interface SessionReport {
	report_id: string;
	agency_id: string;
	agency: string;
	year: number;
	template: string;
	file: string;
	/** The bundled (or earlier uploaded) report of the same agency and year it replaced. */
	replaced: string | null;
}

export const session = $state<{ reports: SessionReport[]; agencies: AgencyOption[] }>({ reports: [], agencies: [] });

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The snapshot with this session's agencies and years added (the bundled numbers stay the bundled ones). */
export function withSession(s: Snapshot, extra: { agencies: readonly AgencyOption[]; reports: readonly SessionReport[] }): Snapshot {
	if (!extra.agencies.length && !extra.reports.length) return s;
	const known = new Set(s.agencies.map((a) => a.id));
	const agencies = [...s.agencies, ...extra.agencies.filter((a) => !known.has(a.id))].sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.id, b.id));
	const years = [...new Set([...s.years, ...extra.reports.map((r) => r.year)])].sort((a, b) => a - b);
	return { ...s, agencies, years };
}

/** The dataset version a chart or link shows: the bundled one, plus a note when uploads are mixed in. */
export function versionLabel(version: string, uploads: number, lang: 'zh' | 'en'): string {
	if (!uploads) return version;
	return lang === 'zh' ? `${version}＋本地导入 ${uploads} 份` : `${version} + ${uploads} uploaded`;
}
