/**
 * The console's SQL in a share link, compact: UTF-8, deflate-raw
 * (CompressionStream, built into browsers and Node), base64url. A 2,000
 * character query with a Chinese comment becomes a few hundred characters
 * instead of the 17,931 of percent-encoding. Links of earlier releases carry
 * the text itself in `sql=` and still open (url.ts).
 */

/** The parameter holding the packed SQL. */
export const PACKED_SQL_PARAM = 'z';
/** A packed query longer than this is not read (about 20 KB of SQL compresses below it). */
export const MAX_PACKED = 4000;

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
	const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.length;
		// A tiny packed text can inflate to gigabytes: stop reading past the limit.
		if (size > limit) {
			await reader.cancel();
			throw new Error('too long');
		}
		chunks.push(value);
	}
	const out = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}

function toBase64Url(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
	if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
	const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** SQL → its packed form for a link. */
export async function packSql(sql: string): Promise<string> {
	return toBase64Url(await through(new TextEncoder().encode(sql), new CompressionStream('deflate-raw'), Infinity));
}

/**
 * A packed form → the SQL, or null when it cannot be read (damaged, cut, or
 * more than `maxChars` characters once unpacked).
 */
export async function unpackSql(packed: string, maxChars: number): Promise<string | null> {
	try {
		// UTF-8 takes at most 3 bytes for a character of the Basic Multilingual Plane, 4 beyond.
		const bytes = await through(fromBase64Url(packed), new DecompressionStream('deflate-raw'), maxChars * 4);
		const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return text.length <= maxChars ? text : null;
	} catch {
		return null;
	}
}
