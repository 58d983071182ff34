import type { AgencyOption, Snapshot } from '$lib/db/snapshot';
import type { Vocabulary } from './url';

/** The parameters of a link that name agencies: checked against the agency directory (db/directory.ts). */
export const AGENCY_PARAMS = ['ag', 'a', 'pr', 'up'] as const;

export function namesAgencies(params: URLSearchParams): boolean {
	return AGENCY_PARAMS.some((p) => !!params.get(p));
}

/** The agency ids a link names (its directory shards are read before the view opens). */
export function agencyIdsOf(params: URLSearchParams): string[] {
	return [
		...new Set(
			AGENCY_PARAMS.flatMap((p) =>
				(params.get(p) ?? '')
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean)
			)
		)
	];
}

/**
 * The names a link may use. `agencies`: the known agency ids, or null while
 * the directory is not read (a link's ids are then taken as sent; an unknown
 * one finds no reports).
 */
export function vocabularyOf(s: Snapshot, agencies: Pick<ReadonlySet<string>, 'has'> | null): Vocabulary {
	const c = s.choices;
	return {
		agencies: agencies ?? { has: () => true },
		years: s.years,
		provinces: new Set(c.provinces),
		cities: new Set(c.cities.map((x) => x.city)),
		levels: new Set(c.levels),
		categories: new Set(c.categories)
	};
}

/** How many names a picker lists at once; typing narrows the rest. */
export const PICKER_LIMIT = 200;

/** Agencies whose name contains the text, ignoring case as the SQL name filter does: the pickers' type-ahead. */
export function agenciesNamed(agencies: readonly AgencyOption[], text: string): AgencyOption[] {
	const q = text.trim().toLowerCase();
	return q ? agencies.filter((a) => a.name.toLowerCase().includes(q)) : [...agencies];
}

/**
 * A picker's list: the first `limit` agencies (in the given order) whose name
 * contains the text, and the chosen one whatever the text, first when the
 * cap left it out. `total`: how many names contain the text.
 */
export function pickerOptions(
	agencies: readonly AgencyOption[],
	text: string,
	chosen: string | null,
	limit = PICKER_LIMIT
): { options: AgencyOption[]; total: number } {
	const named = agenciesNamed(agencies, text);
	const options = named.slice(0, limit);
	const own = chosen === null || options.some((a) => a.id === chosen) ? undefined : agencies.find((a) => a.id === chosen);
	return { options: own ? [own, ...options] : options, total: named.length };
}
