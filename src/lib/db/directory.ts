import { shardOf } from './answers';
import type { AgencyOption } from './snapshot';

// Types only from snapshot.ts: this module ships in the page; the snapshot's queries run at prerender only.

/**
 * The agency directory: every agency's id, name, region, level and category.
 * It grows with the dataset (142,858 agencies at 1,000,000 reports: 4.5 MB of
 * HTML in every page when it was inlined), so it is a file of its own,
 * `directory/agencies.json`, that a page fetches only when it needs names: a
 * link naming agencies, a picker. The pages carry only the filters' choices
 * (Snapshot.choices). The file is packed column by column: names sorted and
 * front-coded (sorted names share their place prefix), the rest drawn from
 * small dictionaries; about a quarter of the plain JSON.
 */

/** The directory file, under `directory/` beside the pages. */
export const DIRECTORY_FILE = 'agencies.json';

/**
 * The directory again in shards by id, about this many agencies each: a link
 * naming agencies reads only their shards (at 1,000,000 reports the whole
 * file is ~5 MB of JSON), the pickers the whole file once the view has drawn.
 */
export const DIRECTORY_SHARD_AGENCIES = 512;

export function directoryShardCount(agencies: number, perShard = DIRECTORY_SHARD_AGENCIES): number {
	return Math.max(1, Math.ceil(agencies / perShard));
}

/** Which shard lists an agency: its id hashed (answers.ts's shardOf), so shards are even whatever form ids take. */
export function directoryShardOf(id: string, shards: number): number {
	return shardOf(id, shards);
}

export const directoryShardFile = (i: number) => `ids-${i}.json`;

export interface DirectoryFile {
	/** The dataset version it lists: a file of another version is not used. */
	version: string;
	agencies: PackedAgencies;
}

export interface PackedAgencies {
	ids: string[];
	/** Characters each name shares with the name before it. */
	shared: number[];
	/** The rest of each name, as an index into `tails`. */
	tail: number[];
	tails: string[];
	/** Index into `values`, -1 for null. */
	province: number[];
	city: number[];
	level: number[];
	category: number[];
	values: string[];
}

/** Pack agencies sorted by name (code point order), then id. */
export function packAgencies(agencies: readonly AgencyOption[]): PackedAgencies {
	const values: string[] = [];
	const valueIndex = new Map<string, number>();
	const code = (v: string | null) => {
		if (v === null) return -1;
		let i = valueIndex.get(v);
		if (i === undefined) valueIndex.set(v, (i = values.push(v) - 1));
		return i;
	};
	const tails: string[] = [];
	const tailIndex = new Map<string, number>();
	const p: PackedAgencies = { ids: [], shared: [], tail: [], tails, province: [], city: [], level: [], category: [], values };
	let prev = '';
	for (const a of agencies) {
		let n = 0;
		while (n < prev.length && n < a.name.length && prev.charCodeAt(n) === a.name.charCodeAt(n)) n++;
		const rest = a.name.slice(n);
		let t = tailIndex.get(rest);
		if (t === undefined) tailIndex.set(rest, (t = tails.push(rest) - 1));
		p.ids.push(a.id);
		p.shared.push(n);
		p.tail.push(t);
		p.province.push(code(a.province));
		p.city.push(code(a.city));
		p.level.push(code(a.level));
		p.category.push(code(a.category));
		prev = a.name;
	}
	return p;
}

export function unpackAgencies(p: PackedAgencies): AgencyOption[] {
	const value = (i: number) => (i < 0 ? null : p.values[i]);
	const agencies: AgencyOption[] = [];
	let prev = '';
	for (let i = 0; i < p.ids.length; i++) {
		const name = prev.slice(0, p.shared[i]) + p.tails[p.tail[i]];
		agencies.push({
			id: p.ids[i],
			name,
			province: value(p.province[i]),
			city: value(p.city[i]),
			level: value(p.level[i]) ?? '',
			category: value(p.category[i]) ?? ''
		});
		prev = name;
	}
	return agencies;
}

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function distinct(values: (string | null)[]): string[] {
	return [...new Set(values.filter((v): v is string => !!v))].sort(byCodepoint);
}

/** The filter choices (and the values a link may use), from the agency list. */
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

/** `c` with the choices of `agencies` added (this session's uploaded agencies). */
export function withChoicesOf(c: Choices, agencies: readonly AgencyOption[]): Choices {
	if (!agencies.length) return c;
	const more = choicesOf(agencies);
	const known = new Set(c.cities.map((x) => x.city));
	return {
		provinces: distinct([...c.provinces, ...more.provinces]),
		cities: [...c.cities, ...more.cities.filter((x) => !known.has(x.city))].sort((a, b) => byCodepoint(a.city, b.city)),
		levels: distinct([...c.levels, ...more.levels]),
		categories: distinct([...c.categories, ...more.categories])
	};
}

/** Agencies in the directory's order: by name (code point order, as DuckDB compares text), then id. */
export function sortAgencies(agencies: AgencyOption[]): AgencyOption[] {
	return agencies.sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.id, b.id));
}
