import type { ParseRequest, ParseResponse } from './protocol';

/**
 * The page's side of the parse worker: one worker, files queued in order,
 * each answered with its record or its error (the CLI's messages).
 */
export class ReportParser {
	private worker: Worker;
	private next = 1;
	private pending = new Map<number, (r: ParseResponse) => void>();

	/** `assetBase`: URL of the folder that holds pdfjs/cmaps/ and pdfjs/standard_fonts/. */
	constructor(assetBase: string) {
		this.worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module' });
		this.worker.onmessage = (e: MessageEvent<ParseResponse>) => {
			this.pending.get(e.data.id)?.(e.data);
			this.pending.delete(e.data.id);
		};
		this.worker.onerror = (e) => {
			for (const [id, done] of this.pending) done({ id, ok: false, name: '', code: 'internal', error: `解析线程出错：${e.message}`, ms: 0 });
			this.pending.clear();
		};
		this.worker.postMessage({
			type: 'config',
			cMapUrl: new URL('pdfjs/cmaps/', assetBase).href,
			standardFontDataUrl: new URL('pdfjs/standard_fonts/', assetBase).href
		});
	}

	async parse(file: File): Promise<ParseResponse> {
		const id = this.next++;
		const bytes = await file.arrayBuffer();
		return new Promise((resolve) => {
			this.pending.set(id, resolve);
			const msg: ParseRequest = { type: 'parse', id, name: file.name, bytes };
			this.worker.postMessage(msg, [bytes]);
		});
	}

	terminate(): void {
		this.worker.terminate();
	}
}
