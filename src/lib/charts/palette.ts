/**
 * Colours of every chart: Okabe–Ito, distinguishable with the common forms of
 * colour blindness. Yellow comes last (weak on white). Past eight series the
 * colours repeat with a dash pattern and another symbol.
 */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'] as const;
export const GREY = '#8C8C8C';

export const DASHES = ['none', '6 3', '2 3'] as const;
export const SYMBOLS = ['circle', 'square', 'triangle'] as const;

export interface SeriesStyle {
	color: string;
	dash: string;
	symbol: (typeof SYMBOLS)[number];
}

export function seriesStyle(i: number): SeriesStyle {
	const group = Math.floor(i / OKABE_ITO.length) % DASHES.length;
	return { color: OKABE_ITO[i % OKABE_ITO.length], dash: DASHES[group], symbol: SYMBOLS[group] };
}

/**
 * Colours of the parts of a whole, by metric id (the catalog's parent/part):
 * table 三's outcome groups, the applicant types, table 四's results (the same
 * colour for a result of reviews and of lawsuits). Other parts (the reasons of
 * one outcome) take the series colours in order: see partColor.
 */
const PART_COLORS: Record<string, string> = {
	outcome_granted: '#009E73',
	outcome_partial: '#56B4E9',
	outcome_denied: '#D55E00',
	outcome_unable: '#E69F00',
	outcome_not_processed: '#CC79A7',
	outcome_other: GREY,
	applicants_natural: '#0072B2',
	applicants_commercial: '#E69F00',
	applicants_research: '#009E73',
	applicants_ngo: '#CC79A7',
	applicants_legal_service: '#D55E00',
	applicants_other: GREY,
	review_maintained: '#0072B2',
	review_corrected: '#D55E00',
	review_other: GREY,
	review_pending: '#E69F00',
	litigation_maintained: '#0072B2',
	litigation_corrected: '#D55E00',
	litigation_other: GREY,
	litigation_pending: '#E69F00'
};

/** The colour of part `i` of a whole, given its metric id. */
export function partColor(id: string, i: number): string {
	return PART_COLORS[id] ?? OKABE_ITO[i % OKABE_ITO.length];
}

/** Reports that break a consistency rule are drawn with this mark. */
export const FLAG_SYMBOL = 'triangle';
export const FLAG_STROKE = '#000000';
