/**
 * Bytes a compressed stream inflates to, counted chunk by chunk and never
 * beyond `limit` (+ one chunk): what a .docx part or a PDF stream would cost
 * to decode, learnt without holding it. Corrupt data ends the count; the
 * format's own reader reports it.
 */
export async function inflatedSize(data: Uint8Array, format: 'deflate' | 'deflate-raw', limit: number): Promise<number> {
	const stream = new DecompressionStream(format);
	const writer = stream.writable.getWriter();
	writer.write(data as Uint8Array<ArrayBuffer>).catch(() => {});
	writer.close().catch(() => {});
	const reader = stream.readable.getReader();
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await reader.cancel().catch(() => {});
				break;
			}
		}
	} catch {
		// corrupt data: counted up to the break
	}
	return size;
}

/** Raw-deflate data inflated whole (callers bound its size first: checkZipBounds); undefined where the data is corrupt. */
export async function inflated(data: Uint8Array): Promise<Uint8Array | undefined> {
	try {
		const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
		return new Uint8Array(await new Response(stream).arrayBuffer());
	} catch {
		return undefined;
	}
}
