/**
 * Random but consistent report records (schema.md, version 1) for tests and demos.
 * Every record satisfies the four consistency rules; agency names are plainly
 * fictitious (they always contain 样例 or 示范).
 */
import {
	ACTIVE_LAYOUT,
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	OTHER_SPLIT_ROWS,
	OUTCOME_ROWS,
	REQUEST_ROWS,
	SCHEMA_VERSION,
	type ActiveTable,
	type ApplicantColumn,
	type CaseCells,
	type CaseGroup,
	type CompleteRecord,
	type RequestCells,
	type RequestRow,
	type Template
} from '../report/schema';
import { createRng, type Rng } from './random';

export interface GenerateRecordOptions {
	/** Default: 2019 or 2021 at random (or from `year` when only the year is given). */
	template?: Template;
	/** Default: 2019–2020 for the 2019 tables, 2021–2025 for the 2021 tables. */
	year?: number;
	/** Position in a batch; used as the agency's ordinal (第{index}局) so a batch has distinct names. */
	index?: number;
}

export const YEAR_RANGE: Record<Template, readonly [number, number]> = {
	'2019': [2019, 2020],
	'2021': [2021, 2025]
};

/** The table 三 rows a document on this template prints: （六） as one row (2019) or three (2021). */
export function requestRowsFor(template: Template): RequestRow[] {
	return REQUEST_ROWS.filter((row) => (template === '2021' ? row !== 'other' : !OTHER_SPLIT_ROWS.includes(row)));
}

const PLACES = ['样例市', '示范县', '样例县', '示范市', '样例市示范区', '示范市样例县', '样例省示范市'] as const;
const NUMBERED_BODIES = ['局', '办公室', '委员会', '中心', '街道办事处'] as const;
const GOVERNMENT_BODIES = ['人民政府', '人民政府办公室'] as const;

export function agencyName(rng: Rng, index?: number): string {
	const place = rng.pick(PLACES);
	if (index === undefined && rng.chance(0.15)) return place + rng.pick(GOVERNMENT_BODIES);
	const ordinal = index ?? rng.int(1, 60);
	return `${place}第${ordinal}${rng.pick(NUMBERED_BODIES)}`;
}

function templateFor(rng: Rng, year: number | undefined): Template {
	if (year !== undefined) return year <= 2020 ? '2019' : '2021';
	return rng.pick(['2019', '2021'] as const);
}

// ---------------------------------------------------------------- table 三

type ApplicantType = Exclude<ApplicantColumn, 'total'>;
const APPLICANT_TYPES = APPLICANT_COLUMNS.filter((c): c is ApplicantType => c !== 'total');

/** How likely each applicant type is to have filed at all, and its volume relative to natural persons. */
const APPLICANT_PROFILE: Record<ApplicantType, { presence: number; share: number }> = {
	natural: { presence: 0.92, share: 1 },
	commercial: { presence: 0.35, share: 0.25 },
	research: { presence: 0.04, share: 0.05 },
	ngo: { presence: 0.05, share: 0.05 },
	legal_service: { presence: 0.15, share: 0.1 },
	other: { presence: 0.1, share: 0.08 }
};

/** How often an agency uses an outcome row at all, and the weight range it gets when it does. */
function outcomeProfile(row: RequestRow): { presence: number; weight: readonly [number, number] } {
	if (row === 'granted') return { presence: 1, weight: [20, 60] };
	if (row === 'partially_granted') return { presence: 0.5, weight: [2, 12] };
	if (row === 'unable_not_held') return { presence: 0.8, weight: [5, 30] };
	if (row === 'rejected_complaint') return { presence: 0.4, weight: [2, 10] };
	if (row.startsWith('denied_')) return { presence: 0.12, weight: [1, 4] };
	if (row.startsWith('unable_')) return { presence: 0.3, weight: [1, 5] };
	if (row.startsWith('rejected_')) return { presence: 0.2, weight: [1, 5] };
	return { presence: 0.3, weight: [1, 5] }; // （六）其他处理, in either form
}

interface ColumnFlow {
	newReceived: number;
	carriedOver: number;
	carriedForward: number;
}

function columnFlow(rng: Rng, type: ApplicantType, volume: number): ColumnFlow {
	const { presence, share } = APPLICANT_PROFILE[type];
	const ceiling = Math.max(1, Math.round(volume * share));
	const newReceived = rng.chance(presence) ? rng.int(type === 'natural' ? 0 : 1, ceiling) : 0;
	const carriedOver = rng.chance(newReceived > 0 ? 0.35 : 0.05) ? rng.int(1, Math.max(1, Math.ceil(newReceived * 0.1))) : 0;
	const input = newReceived + carriedOver;
	const carriedForward = input > 0 && rng.chance(0.4) ? rng.int(0, Math.ceil(input * 0.15)) : 0;
	return { newReceived, carriedOver, carriedForward };
}

/** Spreads `count` requests over the outcome rows by the agency's weights. */
function distribute(rng: Rng, count: number, rows: readonly RequestRow[], weights: readonly number[]): Map<RequestRow, number> {
	const counts = new Map(rows.map((row) => [row, 0]));
	for (let i = 0; i < count; i++) {
		const row = rng.weighted(rows, weights);
		counts.set(row, (counts.get(row) ?? 0) + 1);
	}
	return counts;
}

function requestCells(values: Record<ApplicantType, number>): RequestCells<number> {
	const total = APPLICANT_TYPES.reduce((sum, type) => sum + values[type], 0);
	return Object.fromEntries(APPLICANT_COLUMNS.map((column) => [column, column === 'total' ? total : values[column]])) as RequestCells<number>;
}

function generateRequests(rng: Rng, template: Template): Record<RequestRow, RequestCells<number> | null> {
	const present = requestRowsFor(template);
	const outcomes = OUTCOME_ROWS.filter((row) => present.includes(row));
	const used = outcomes.filter((row) => rng.chance(outcomeProfile(row).presence));
	const weights = used.map((row) => rng.int(...outcomeProfile(row).weight));

	const volume = rng.skewed(500, 2.5);
	const perRow = new Map<RequestRow, Record<ApplicantType, number>>(
		present.map((row) => [row, Object.fromEntries(APPLICANT_TYPES.map((t) => [t, 0])) as Record<ApplicantType, number>])
	);
	const set = (row: RequestRow, type: ApplicantType, value: number): void => {
		const cells = perRow.get(row);
		if (cells) cells[type] = value;
	};
	for (const type of APPLICANT_TYPES) {
		const flow = columnFlow(rng, type, volume);
		const processed = flow.newReceived + flow.carriedOver - flow.carriedForward;
		set('new_received', type, flow.newReceived);
		set('carried_over', type, flow.carriedOver);
		set('total_processed', type, processed);
		set('carried_forward', type, flow.carriedForward);
		for (const [row, count] of distribute(rng, processed, used, weights)) set(row, type, count);
	}
	return Object.fromEntries(
		REQUEST_ROWS.map((row) => {
			const cells = perRow.get(row);
			return [row, cells ? requestCells(cells) : null];
		})
	) as Record<RequestRow, RequestCells<number> | null>;
}

// ---------------------------------------------------------------- table 四

const CASE_LIKELIHOOD: Record<CaseGroup, number> = { review: 0.4, litigation_direct: 0.25, litigation_after_review: 0.15 };

function generateCases(rng: Rng, group: CaseGroup): CaseCells<number> {
	const hasCases = rng.chance(CASE_LIKELIHOOD[group]);
	const parts = {
		maintained: hasCases ? rng.skewed(10, 1.5) : 0,
		corrected: hasCases && rng.chance(0.3) ? rng.int(1, 2) : 0,
		other: hasCases && rng.chance(0.2) ? rng.int(1, 3) : 0,
		pending: hasCases && rng.chance(0.4) ? rng.int(1, 4) : 0
	};
	const total = parts.maintained + parts.corrected + parts.other + parts.pending;
	return Object.fromEntries(CASE_FIELDS.map((field) => [field, field === 'total' ? total : parts[field]])) as CaseCells<number>;
}

// ---------------------------------------------------------------- table 二

type FieldValues = Record<string, number>;

/** Items carried over from last year and the signed change this year (本年增/减), never below zero items. */
function itemsWithChange(rng: Rng, maxItems: number): FieldValues {
	const previous = rng.chance(0.6) ? rng.skewed(maxItems, 1.5) : 0;
	const change = rng.chance(0.5) ? rng.int(-Math.min(previous, 20), 20) : 0;
	return { previous_items: previous, change };
}

function documentCounts(rng: Rng, maxNew: number, maxStock: number): { fresh: number; stock: number } {
	const fresh = rng.skewed(maxNew, 1.5);
	return { fresh, stock: fresh + rng.skewed(maxStock, 1.3) };
}

function activeRow2021(rng: Rng, row: string): FieldValues {
	switch (row) {
		case 'regulations':
		case 'normative_documents': {
			const rare = row === 'regulations';
			if (rng.chance(rare ? 0.8 : 0.25)) return { issued: 0, repealed: 0, in_force: rare ? 0 : rng.skewed(40, 2) };
			const { fresh, stock } = documentCounts(rng, rare ? 5 : 30, rare ? 60 : 200);
			return { issued: fresh, repealed: rng.skewed(rare ? 3 : 10, 2), in_force: stock };
		}
		case 'licensing':
			return { decisions: rng.chance(0.3) ? 0 : rng.skewed(1_000_000, 6) };
		case 'punishment':
			return { decisions: rng.chance(0.35) ? 0 : rng.skewed(100_000, 5) };
		case 'coercion':
			return { decisions: rng.chance(0.6) ? 0 : rng.skewed(10_000, 5) };
		case 'fees':
			// 万元 with at most two decimals: whole cents of 万元 divided by 100.
			return { amount_10k_yuan: rng.chance(0.45) ? 0 : rng.skewed(2_000_000, 4) / 100 };
		default:
			return {};
	}
}

function activeRow2019(rng: Rng, row: string): FieldValues {
	switch (row) {
		case 'regulations':
		case 'normative_documents': {
			const rare = row === 'regulations';
			if (rng.chance(rare ? 0.8 : 0.25)) return { made: 0, published: 0, total_public: rare ? 0 : rng.skewed(40, 2) };
			const { fresh, stock } = documentCounts(rng, rare ? 5 : 30, rare ? 60 : 200);
			return { made: fresh, published: rng.int(0, fresh), total_public: stock };
		}
		case 'licensing':
			return { ...itemsWithChange(rng, 300), decisions: rng.chance(0.3) ? 0 : rng.skewed(1_000_000, 6) };
		case 'other_services':
			return { ...itemsWithChange(rng, 100), decisions: rng.chance(0.5) ? 0 : rng.skewed(50_000, 5) };
		case 'punishment':
			return { ...itemsWithChange(rng, 500), decisions: rng.chance(0.35) ? 0 : rng.skewed(100_000, 5) };
		case 'coercion':
			return { ...itemsWithChange(rng, 60), decisions: rng.chance(0.6) ? 0 : rng.skewed(10_000, 5) };
		case 'fees':
			return itemsWithChange(rng, 40);
		case 'procurement': {
			const projects = rng.chance(0.5) ? 0 : rng.skewed(100, 2);
			return { projects, amount_yuan: projects === 0 ? 0 : rng.skewed(100_000_000, 3) };
		}
		default:
			return {};
	}
}

/** Table 二 with the template's keys and fields in ACTIVE_LAYOUT order. */
function generateActive(rng: Rng, template: Template): ActiveTable<number> {
	const layout: Record<string, readonly string[]> = ACTIVE_LAYOUT[template];
	const rowValues = template === '2021' ? activeRow2021 : activeRow2019;
	return Object.fromEntries(
		Object.entries(layout).map(([row, fields]) => {
			const values = rowValues(rng, row);
			return [row, Object.fromEntries(fields.map((field) => [field, fieldValue(values, row, field)]))];
		})
	);
}

function fieldValue(values: FieldValues, row: string, field: string): number {
	const value = values[field];
	if (value === undefined) throw new Error(`generator has no value for active.${row}.${field}`);
	return value;
}

// ---------------------------------------------------------------- record

export function generateRecord(seed: number, opts: GenerateRecordOptions = {}): CompleteRecord {
	if (opts.year !== undefined && !Number.isInteger(opts.year)) throw new RangeError(`year must be an integer, got ${opts.year}`);
	const rng = createRng(seed);
	const template = opts.template ?? templateFor(rng, opts.year);
	const year = opts.year ?? rng.int(...YEAR_RANGE[template]);
	const agency = agencyName(rng, opts.index);
	const active = generateActive(rng, template);
	const requests = generateRequests(rng, template);
	// Key order is part of the contract: build the object literally in schema order.
	return {
		schema: SCHEMA_VERSION,
		agency,
		year,
		template,
		active,
		requests,
		review: generateCases(rng, 'review'),
		litigation_direct: generateCases(rng, 'litigation_direct'),
		litigation_after_review: generateCases(rng, 'litigation_after_review')
	};
}
