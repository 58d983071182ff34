import type { AgencyOption, Snapshot } from './snapshot';

// Types only from snapshot.ts: this module ships in the page (+page.ts); the
// snapshot's queries run at prerender only.

/**
 * The snapshot as the page inlines it: the agency list, the only part that
 * grows with the dataset, column by column — names front-coded (sorted
 * names share their place prefix) with the rest drawn from small
 * dictionaries. About a quarter of the plain JSON at 100,000 reports.
 */
export interface PackedSnapshot extends Omit<Snapshot, 'agencies'> {
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

export function packSnapshot(s: Snapshot): PackedSnapshot {
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
	for (const a of s.agencies) {
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
	return { ...s, agencies: p };
}

export function unpackSnapshot(s: PackedSnapshot): Snapshot {
	const p = s.agencies;
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
	return { ...s, agencies };
}
