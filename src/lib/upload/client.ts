import type { ParseRequest, ParseResponse } from './protocol';

/** Real reports are at most a few MB and parse in about a second; these bounds leave wide room. */
export const UPLOAD_LIMITS = { fileMs: 60_000, bytes: 50 * 1024 * 1024 };

/**
 * The page's side of the parse worker: one worker, files queued in order,
 * each answered with its record or its error (the CLI's messages). A file
 * that runs past its time budget or kills the worker is answered with that
 * reason; the worker is replaced and the next file goes on.
 */
export class ReportParser {
	private worker!: Worker;
	private next = 1;
	private pending = new Map<number, { name: string; done: (r: ParseResponse) => void; timer: ReturnType<typeof setTimeout> }>();

	/** `assetBase`: URL of the folder that holds pdfjs/cmaps/ and pdfjs/standard_fonts/. */
	constructor(
		private readonly assetBase: string,
		private readonly limits = UPLOAD_LIMITS
	) {
		this.spawn();
	}

	private spawn(): void {
		this.worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module' });
		this.worker.onmessage = (e: MessageEvent<ParseResponse>) => this.settle(e.data.id, e.data);
		this.worker.onerror = (e) => this.restart((name) => `解析线程出错：${e.message || '未知错误'}（${name}）`, 'internal');
		this.worker.postMessage({
			type: 'config',
			cMapUrl: new URL('pdfjs/cmaps/', this.assetBase).href,
			standardFontDataUrl: new URL('pdfjs/standard_fonts/', this.assetBase).href
		});
	}

	private settle(id: number, reply: ParseResponse): void {
		const p = this.pending.get(id);
		if (!p) return;
		clearTimeout(p.timer);
		this.pending.delete(id);
		p.done(reply);
	}

	/** Every file in the worker fails with `reason`; a fresh worker takes the files that come after. */
	private restart(reason: (name: string) => string, code: string): void {
		this.worker.terminate();
		for (const [id, p] of [...this.pending]) this.settle(id, { id, ok: false, name: p.name, code, error: reason(p.name), ms: 0 });
		this.spawn();
	}

	async parse(file: File): Promise<ParseResponse> {
		const id = this.next++;
		if (file.size > this.limits.bytes)
			return {
				id,
				ok: false,
				name: file.name,
				code: 'too_large',
				error: `文件 ${(file.size / 1024 / 1024).toFixed(1)} MB，超过 ${this.limits.bytes / 1024 / 1024} MB 的上限，未读取`,
				ms: 0
			};
		const bytes = await file.arrayBuffer();
		return new Promise((resolve) => {
			const timer = setTimeout(
				() => this.restart((name) => `${name} 超过每个文件的时间限制 ${this.limits.fileMs / 1000} 秒，已放弃`, 'timeout'),
				this.limits.fileMs
			);
			this.pending.set(id, { name: file.name, done: resolve, timer });
			const msg: ParseRequest = { type: 'parse', id, name: file.name, bytes };
			this.worker.postMessage(msg, [bytes]);
		});
	}

	terminate(): void {
		this.worker.terminate();
	}
}
