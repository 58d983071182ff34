/**
 * Text → bytes in UTF-8 (optionally with a BOM) or GBK, without a dependency.
 * The GBK table is the inverse of the platform's own `TextDecoder('gbk')`, so
 * whatever we encode decodes back to the same text.
 */

export type DocumentEncoding = 'utf-8' | 'gbk';

export interface EncodeOptions {
	/** Prefix a UTF-8 byte-order mark (EF BB BF). Only valid for UTF-8. */
	bom?: boolean;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

let gbkTable: Map<number, number> | undefined;

/**
 * Code point → two-byte GBK value (lead · 256 + trail), built once by decoding
 * every lead 0x81–0xFE / trail 0x40–0xFE (not 0x7F) pair in a single call.
 * A newline after each pair keeps the pairs apart even where one is invalid.
 */
function buildGbkTable(): Map<number, number> {
	const bytes: number[] = [];
	const codes: number[] = [];
	for (let lead = 0x81; lead <= 0xfe; lead++) {
		for (let trail = 0x40; trail <= 0xfe; trail++) {
			if (trail === 0x7f) continue;
			bytes.push(lead, trail, 0x0a);
			codes.push((lead << 8) | trail);
		}
	}
	const pieces = new TextDecoder('gbk').decode(new Uint8Array(bytes)).split('\n');
	const table = new Map<number, number>();
	codes.forEach((code, i) => {
		const piece = pieces[i];
		const codePoint = piece.codePointAt(0);
		const single = codePoint !== undefined && String.fromCodePoint(codePoint) === piece;
		if (single && codePoint !== 0xfffd && !table.has(codePoint)) table.set(codePoint, code);
	});
	return table;
}

function encodeGbk(text: string): Uint8Array {
	gbkTable ??= buildGbkTable();
	const out: number[] = [];
	for (const char of text) {
		const codePoint = char.codePointAt(0) ?? 0;
		if (codePoint < 0x80) {
			out.push(codePoint);
			continue;
		}
		const code = gbkTable.get(codePoint);
		if (code === undefined) {
			const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
			throw new RangeError(`U+${hex} (${char}) has no GBK encoding`);
		}
		out.push(code >> 8, code & 0xff);
	}
	return Uint8Array.from(out);
}

export function encodeDocument(text: string, encoding: DocumentEncoding, opts: EncodeOptions = {}): Uint8Array {
	if (encoding === 'gbk') {
		if (opts.bom) throw new RangeError('a byte-order mark exists only for UTF-8');
		return encodeGbk(text);
	}
	const body = new TextEncoder().encode(text);
	if (!opts.bom) return body;
	const bytes = new Uint8Array(UTF8_BOM.length + body.length);
	bytes.set(UTF8_BOM);
	bytes.set(body, UTF8_BOM.length);
	return bytes;
}
