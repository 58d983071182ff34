/**
 * Names that fit beside a chart. Agencies of one place share a long prefix
 * (平潭综合实验区…); what tells them apart is the end of the name, so a name
 * too long for its room loses the prefix it shares with another name shown,
 * and only then its end.
 */

/** Rough text width at a font size: CJK and full-width characters count whole, others a little over half. */
export function textWidth(s: string, size: number): number {
	let w = 0;
	for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 1 : 0.58;
	return w * size;
}

/** The first `max` pixels' worth of a text. */
function fit(s: string, size: number, max: number): string {
	let out = '';
	for (const ch of s) {
		if (textWidth(out + ch, size) > max) break;
		out += ch;
	}
	return out;
}

function commonPrefix(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	let i = 0;
	while (i < x.length && i < y.length && x[i] === y[i]) i++;
	return i;
}

const ELLIPSIS = '…';
/** Characters that end a place name: a prefix up to one of them is where the agency is, not what it is. */
const PLACE_END = ['省', '市', '县', '区', '州', '盟', '旗', '镇', '乡'];
/** A shared prefix shorter than this is part of the name (市, 县…), not a place to drop. */
const MIN_PREFIX = 3;
/** A rest this long names the body on its own (…公安局); a shorter one (…局) keeps what of the prefix fits. */
const MIN_REST = 3;

/**
 * Each label shortened to `maxWidth` pixels at `size` px (one width for all,
 * or one per label): unchanged when it fits; else without the longest prefix
 * it shares with another label ("…综合执法与应急管理局"); else, or if still
 * too long, cut at the end.
 */
export function shortLabels(labels: readonly string[], width: number | readonly number[], size = 12): string[] {
	return labels.map((label, i) => {
		const maxWidth = typeof width === 'number' ? width : width[i];
		if (textWidth(label, size) <= maxWidth) return label;
		const chars = [...label];
		let shared = 0;
		labels.forEach((other, j) => {
			if (j !== i) shared = Math.max(shared, commonPrefix(label, other));
		});
		let rest = label;
		if (shared >= MIN_PREFIX) {
			const from = (k: number) => ELLIPSIS + chars.slice(k).join('');
			// Drop the place the names share (沭阳县, 平潭综合实验区), not a word they share (发展和改革…).
			const place = chars.slice(0, shared).findLastIndex((c) => PLACE_END.includes(c)) + 1;
			let k = place >= MIN_PREFIX ? place : shared;
			if (place < MIN_PREFIX && chars.length - shared < MIN_REST) {
				k = MIN_PREFIX;
				while (k < shared && textWidth(from(k), size) > maxWidth) k++;
			}
			if (k < chars.length) rest = from(k);
		}
		if (textWidth(rest, size) <= maxWidth) return rest;
		return fit(rest, size, maxWidth - textWidth(ELLIPSIS, size)) + ELLIPSIS;
	});
}
