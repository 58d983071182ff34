/**
 * A small seeded PRNG (mulberry32) for the synthetic report generator.
 * Same seed, same sequence, in Node and in the browser.
 */

export interface Rng {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max], both inclusive. */
	int(min: number, max: number): number;
	/** One element of a non-empty list. */
	pick<T>(items: readonly T[]): T;
	/** true with probability p (p ≤ 0 never, p ≥ 1 always). */
	chance(p: number): boolean;
	/** An integer in [0, max] skewed towards 0: max · u^power, u uniform. */
	skewed(max: number, power: number): number;
	/** One element of a list, chosen with the given non-negative weights. */
	weighted<T>(items: readonly T[], weights: readonly number[]): T;
}

function assertSeed(seed: number): void {
	if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
}

/** Folds a safe integer (which may exceed 32 bits or be negative) into a 32-bit state. */
function seedState(seed: number): number {
	const low = seed >>> 0;
	const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
	return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

function mulberry32(state: number): () => number {
	let a = state;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
	};
}

export function createRng(seed: number): Rng {
	assertSeed(seed);
	const next = mulberry32(seedState(seed));
	const int = (min: number, max: number): number => {
		if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
			throw new RangeError(`int(${min}, ${max}): bounds must be integers with min ≤ max`);
		}
		return min + Math.floor(next() * (max - min + 1));
	};
	return {
		next,
		int,
		pick<T>(items: readonly T[]): T {
			if (items.length === 0) throw new RangeError('pick() from an empty list');
			return items[int(0, items.length - 1)];
		},
		chance: (p) => next() < p,
		skewed(max, power) {
			return Math.min(max, Math.floor((max + 1) * next() ** power));
		},
		weighted<T>(items: readonly T[], weights: readonly number[]): T {
			const total = weights.reduce((sum, w) => sum + w, 0);
			if (items.length === 0 || items.length !== weights.length || !(total > 0)) {
				throw new RangeError('weighted() needs as many positive weights as items');
			}
			let target = next() * total;
			for (let i = 0; i < items.length; i++) {
				target -= weights[i];
				if (target < 0) return items[i];
			}
			return items[items.length - 1];
		}
	};
}

/**
 * An independent seed for sub-stream `stream` of `seed` (a document in a batch,
 * the renderer of a document), so that adding a stream never shifts another.
 */
export function deriveSeed(seed: number, stream: number): number {
	assertSeed(seed);
	assertSeed(stream);
	let h = seedState(seed) ^ Math.imul(seedState(stream) + 0x7f4a7c15, 0x85ebca6b);
	h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
	h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
	return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A stream of a record's own (from its agency and year), for choices that
 * must leave the document's other random draws as they were.
 */
export function recordRng(record: { agency: string; year: number }, stream: number): Rng {
	let h = record.year;
	for (const ch of record.agency) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
	return createRng(deriveSeed(Math.abs(h), stream));
}
