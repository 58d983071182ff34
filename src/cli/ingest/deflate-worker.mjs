// The CSV zip's parts deflated on a thread of their own (zip-parts.ts Deflater): plain JavaScript, nothing to load but zlib.
import { parentPort } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

parentPort.on('message', ({ id, bytes, options }) => {
	let out;
	try {
		out = deflateRawSync(bytes, options);
	} catch (e) {
		parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
		return;
	}
	// A buffer of its own, so moving it detaches nothing else.
	const owned = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
	parentPort.postMessage({ id, bytes: owned }, [owned.buffer]);
});
