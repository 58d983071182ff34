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

/** 办理结果 groups, in table 三's order. */
export const OUTCOME_COLORS: Record<string, string> = {
	outcome_granted: '#009E73',
	outcome_partial: '#56B4E9',
	outcome_denied: '#D55E00',
	outcome_unable: '#E69F00',
	outcome_not_processed: '#CC79A7',
	outcome_other: GREY
};

/** 申请人 columns of table 三. */
export const APPLICANT_COLORS: Record<string, string> = {
	natural: '#0072B2',
	commercial: '#E69F00',
	research: '#009E73',
	ngo: '#CC79A7',
	legal_service: '#D55E00',
	other: GREY
};

/** 表四 results. */
export const CASE_COLORS: Record<string, string> = {
	maintained: '#0072B2',
	corrected: '#D55E00',
	other: GREY,
	pending: '#E69F00'
};

/** Reports that break a consistency rule are drawn with this mark. */
export const FLAG_SYMBOL = 'triangle';
export const FLAG_STROKE = '#000000';
