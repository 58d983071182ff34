import { claimHolds, claimsOn, type ProseClaim } from '../prose';
import { cellNumber } from './split';

/**
 * The prose as a witness between readings (issue 12): the claims that bear on
 * a set of cells, as a test of a reading of those cells. A reading contradicts
 * the witness when a claim whose cells it all gives sums to another number;
 * a partial reading (the split search's prefix) is judged only on the claims
 * it completes, so the test can prune the search as it goes.
 */

export interface Witness {
	/** false: the cells contradict a claim of the prose. */
	holds(cells: readonly string[]): boolean;
	/** The sentences that bear on these cells, for the provenance of the cells they decide. */
	reason: string;
}

/** 正文：“…”；“…” */
export function reasonOf(claims: readonly ProseClaim[]): string {
	return `正文：${[...new Set(claims.map((c) => `“${c.sentence}”`))].join('；')}`;
}

/** A witness over one run of cells; `paths[i]` is cell i's path. Undefined when no claim bears on these cells alone. */
export function runWitness(claims: readonly ProseClaim[] | undefined, paths: readonly string[]): Witness | undefined {
	if (!claims || claims.length === 0) return undefined;
	const at = new Map(paths.map((p, i) => [p, i]));
	const bearing = claimsOn(claims, (p) => at.has(p));
	if (bearing.length === 0) return undefined;
	return {
		holds(cells) {
			const get = (path: string) => {
				const i = at.get(path);
				return i !== undefined && i < cells.length ? cellNumber(cells[i]) : undefined;
			};
			return bearing.every((c) => claimHolds(c, get) !== false);
		},
		reason: reasonOf(bearing)
	};
}
