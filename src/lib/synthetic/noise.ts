/**
 * Meaning-preserving noise seen in real reports (report-format.md §9): blank
 * zeros, label typos and spaces, full-width digits, thousands separators, units
 * in cells, half-width parentheses, and in HTML &nbsp; padding and numbers split
 * across spans. No kind of noise ever changes the value a cell stands for.
 */
import type { ValueKind } from './layout';
import type { Rng } from './random';

export const NOISE_KINDS = [
	'blankZeros', // a 0 cell left empty (blank means 0, schema.md)
	'labelTypos', // 本年度止件数 for 本年废止件数, 其他法律行政止公开 …
	'labelSpaces', // a space inside a label or the title ("4.无正当理由大量反复 申请")
	'fullWidthDigits', // １２３
	'thousandsSeparators', // 1,234
	'units', // 12件, 12.5万元, 251000元
	'halfWidthParens', // (一) for （一）
	'nbspPadding', // HTML: &nbsp; around a cell's text
	'splitNumbers' // Word-style HTML: <span>12</span><span>3</span> for 123
] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** The probability of each kind of noise, per cell (per label, per document for the title). */
export type NoiseOptions = Record<NoiseKind, number>;

/** A single level applies to every kind; an object sets kinds one by one (missing kinds are 0). */
export type NoiseInput = number | Partial<NoiseOptions>;

const clamp01 = (p: number): number => (Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0);

export function resolveNoise(input: NoiseInput = 0): NoiseOptions {
	return Object.fromEntries(NOISE_KINDS.map((kind) => [kind, clamp01(typeof input === 'number' ? input : (input[kind] ?? 0))])) as NoiseOptions;
}

/** Misspellings seen in real tables: [the template's wording, the typo]. */
export const LABEL_TYPOS: readonly (readonly [string, string])[] = [
	['本年废止件数', '本年度止件数'],
	['其他法律行政法规禁止公开', '其他法律行政止公开']
];

const isCjk = (char: string | undefined): boolean => char !== undefined && /\p{Script=Han}/u.test(char);

/** Positions where a stray space can fall: between two Han characters, or after "1.". */
function spacePositions(label: string): number[] {
	const chars = [...label];
	const positions: number[] = [];
	for (let i = 1; i < chars.length; i++) {
		if (isCjk(chars[i]) && (isCjk(chars[i - 1]) || chars[i - 1] === '.')) positions.push(i);
	}
	return positions;
}

export function insertSpace(label: string, rng: Rng): string {
	const positions = spacePositions(label);
	if (positions.length === 0) return label;
	const at = rng.pick(positions);
	const chars = [...label];
	return [...chars.slice(0, at), rng.pick([' ', '\u3000']), ...chars.slice(at)].join('');
}

export const toHalfWidthParens = (label: string): string => label.replace(/（/g, '(').replace(/）/g, ')');

/** A table label as a careless copy might print it. */
export function noisyLabel(label: string, noise: NoiseOptions, rng: Rng): string {
	let out = label;
	for (const [from, to] of LABEL_TYPOS) {
		if (out.includes(from) && rng.chance(noise.labelTypos)) out = out.replace(from, to);
	}
	if (rng.chance(noise.halfWidthParens)) out = toHalfWidthParens(out);
	if (rng.chance(noise.labelSpaces)) out = insertSpace(out, rng);
	return out;
}

const UNITS: Record<ValueKind, string> = {
	count: '件',
	items: '项',
	signed_items: '项',
	amount_10k_yuan: '万元',
	amount_yuan: '元'
};

export const toFullWidthDigits = (digits: string): string => digits.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

export function withThousandsSeparators(digits: string): string {
	const [whole, fraction] = digits.split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
	return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export interface ValueStyle {
	/** Write positive 本年增/减 values as "+2" (a layout choice of the whole document, not noise). */
	plusSign: boolean;
}

/**
 * A number as a cell shows it; '' is a blank cell (which means 0). Money keeps
 * at most two decimals as generated; the sign stays half-width.
 */
export function formatValue(value: number, kind: ValueKind, noise: NoiseOptions, rng: Rng, style: ValueStyle): string {
	if (value === 0 && rng.chance(noise.blankZeros)) return '';
	let digits = String(Math.abs(value));
	if (Math.abs(value) >= 1000 && rng.chance(noise.thousandsSeparators)) digits = withThousandsSeparators(digits);
	if (rng.chance(noise.fullWidthDigits)) digits = toFullWidthDigits(digits);
	const sign = value < 0 ? '-' : kind === 'signed_items' && value > 0 && style.plusSign ? '+' : '';
	const unit = rng.chance(noise.units) ? UNITS[kind] : '';
	return sign + digits + unit;
}
