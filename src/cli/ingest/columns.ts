/**
 * Compact per-file and per-report state for ingest's main thread: at a
 * million files, one JavaScript object (or hex string) per file costs
 * hundreds of bytes each, so the state lives in typed arrays that grow by
 * doubling, and repeated strings (agency names) in one string table.
 */

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** `a` with room for at least `n` items (the same array when it has it). */
export function ensure<T extends Typed>(a: T, n: number): T {
	if (n <= a.length) return a;
	let size = Math.max(16, a.length);
	while (size < n) size *= 2;
	const b = new (a.constructor as new (n: number) => T)(size);
	b.set(a);
	return b;
}

/** Each distinct string once, numbered in order of first sight. */
export class StringTable {
	private readonly index = new Map<string, number>();
	private readonly strings: string[] = [];

	get size(): number {
		return this.strings.length;
	}

	id(s: string): number {
		let i = this.index.get(s);
		if (i === undefined) {
			i = this.strings.length;
			this.index.set(s, i);
			this.strings.push(s);
		}
		return i;
	}

	at(i: number): string {
		return this.strings[i];
	}
}

export const DIGEST_BYTES = 32;

/**
 * SHA-256 digests → slot numbers 0, 1, 2… in order of first sight: an open
 * addressing table over the raw 32 bytes (40 bytes a digest, where a Map of
 * hex strings took over 100).
 */
export class DigestTable {
	private bytes = new Uint8Array(DIGEST_BYTES * 1024);
	private table = new Int32Array(2048).fill(-1);
	size = 0;

	/** The digest's slot, or -1. */
	find(d: Uint8Array): number {
		const mask = this.table.length - 1;
		// A digest's first bytes are already uniform: they are the hash.
		for (let h = ((d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24)) >>> 0) & mask; ; h = (h + 1) & mask) {
			const slot = this.table[h];
			if (slot < 0) return -1;
			if (this.equals(slot, d)) return slot;
		}
	}

	/** The digest's slot, added when new. */
	add(d: Uint8Array): number {
		const found = this.find(d);
		if (found >= 0) return found;
		if ((this.size + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
		const slot = this.size++;
		this.bytes = ensure(this.bytes, this.size * DIGEST_BYTES);
		this.bytes.set(d.subarray(0, DIGEST_BYTES), slot * DIGEST_BYTES);
		this.place(slot);
		return slot;
	}

	digest(slot: number): Uint8Array {
		return this.bytes.subarray(slot * DIGEST_BYTES, (slot + 1) * DIGEST_BYTES);
	}

	hex(slot: number): string {
		return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + slot * DIGEST_BYTES, DIGEST_BYTES).toString('hex');
	}

	private equals(slot: number, d: Uint8Array): boolean {
		const at = slot * DIGEST_BYTES;
		for (let k = 0; k < DIGEST_BYTES; k++) if (this.bytes[at + k] !== d[k]) return false;
		return true;
	}

	private place(slot: number): void {
		const mask = this.table.length - 1;
		const at = slot * DIGEST_BYTES;
		const b = this.bytes;
		let h = ((b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0) & mask;
		while (this.table[h] >= 0) h = (h + 1) & mask;
		this.table[h] = slot;
	}

	private rehash(size: number): void {
		this.table = new Int32Array(size).fill(-1);
		for (let s = 0; s < this.size; s++) this.place(s);
	}
}
