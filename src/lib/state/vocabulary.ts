import type { AgencyOption, Snapshot } from '$lib/db/snapshot';
import type { Vocabulary } from './url';

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function distinct(values: (string | null)[]): string[] {
	return [...new Set(values.filter((v): v is string => !!v))].sort(byCodepoint);
}

/** The filter choices and the names a link may use, from the agency list. */
export interface Choices {
	provinces: string[];
	/** Cities with their province, for the dependent select. */
	cities: { city: string; province: string | null }[];
	levels: string[];
	categories: string[];
}

export function choicesOf(agencies: readonly AgencyOption[]): Choices {
	const cities = new Map<string, string | null>();
	for (const a of agencies) if (a.city && !cities.has(a.city)) cities.set(a.city, a.province);
	return {
		provinces: distinct(agencies.map((a) => a.province)),
		cities: [...cities].map(([city, province]) => ({ city, province })).sort((a, b) => byCodepoint(a.city, b.city)),
		levels: distinct(agencies.map((a) => a.level)),
		categories: distinct(agencies.map((a) => a.category))
	};
}

export function vocabularyOf(s: Snapshot): Vocabulary {
	const c = choicesOf(s.agencies);
	return {
		agencies: new Set(s.agencies.map((a) => a.id)),
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
