import { sortAgencies, withChoicesOf } from '$lib/db/directory';
import type { AgencyOption, Snapshot } from '$lib/db/snapshot';

/**
 * Reports a reader uploaded in this page: they join the loaded tables for the
 * session only (nothing is stored or sent). Queries ask again when they are
 * added (db/client's `engine.revision`); views read the merged filter
 * choices and years through `withSession`, and the merged agency list
 * through `withSessionAgencies`.
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

/** The snapshot with this session's years and filter choices added (the bundled numbers stay the bundled ones). */
export function withSession(s: Snapshot, extra: { agencies: readonly AgencyOption[]; reports: readonly SessionReport[] }): Snapshot {
	if (!extra.agencies.length && !extra.reports.length) return s;
	const years = [...new Set([...s.years, ...extra.reports.map((r) => r.year)])].sort((a, b) => a - b);
	return { ...s, choices: withChoicesOf(s.choices, extra.agencies), years };
}

/** The agency directory with this session's new agencies added, in its order. */
export function withSessionAgencies(agencies: readonly AgencyOption[], extra: readonly AgencyOption[]): readonly AgencyOption[] {
	if (!extra.length) return agencies;
	const known = new Set(agencies.map((a) => a.id));
	return sortAgencies([...agencies, ...extra.filter((a) => !known.has(a.id))]);
}

/** The dataset version a chart or link shows: the bundled one, plus a note when uploads are mixed in. */
export function versionLabel(version: string, uploads: number, lang: 'zh' | 'en'): string {
	if (!uploads) return version;
	return lang === 'zh' ? `${version}＋本地导入 ${uploads} 份` : `${version} + ${uploads} uploaded`;
}
