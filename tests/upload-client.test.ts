import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReportParser } from '../src/lib/upload/client';
import type { ParseRequest, ParseResponse } from '../src/lib/upload/protocol';

/**
 * The browser's parse worker, stood in for by a fake that answers, hangs or
 * crashes by file name: the page must get one answer per file and go on.
 */
class FakeWorker {
	static made = 0;
	static terminated = 0;
	onmessage: ((e: MessageEvent<ParseResponse>) => void) | null = null;
	onerror: ((e: ErrorEvent) => void) | null = null;
	constructor() {
		FakeWorker.made++;
	}
	postMessage(msg: { type: 'config' } | ParseRequest) {
		if (msg.type !== 'parse') return;
		if (msg.name.includes('hang')) return;
		if (msg.name.includes('crash')) {
			setTimeout(() => this.onerror?.({ message: 'out of memory' } as ErrorEvent), 1);
			return;
		}
		setTimeout(
			() => this.onmessage?.({ data: { id: msg.id, ok: false, name: msg.name, code: 'not_report', error: 'fake', ms: 1 } } as MessageEvent<ParseResponse>),
			1
		);
	}
	terminate() {
		FakeWorker.terminated++;
	}
}

describe('the upload parser', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('answers a file that hangs or kills the worker with its reason, then parses the next file in a fresh worker', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const parser = new ReportParser('http://localhost/', { fileMs: 200, bytes: 1000 });
		const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);

		const hung = await parser.parse(file('hang.html'));
		expect(hung).toMatchObject({ ok: false, code: 'timeout', name: 'hang.html' });
		if (!hung.ok) expect(hung.error).toContain('时间限制');
		expect(await parser.parse(file('a.html'))).toMatchObject({ ok: false, code: 'not_report', name: 'a.html' });

		const crashed = await parser.parse(file('crash.docx'));
		expect(crashed).toMatchObject({ ok: false, code: 'internal' });
		if (!crashed.ok) expect(crashed.error).toContain('crash.docx');
		expect(await parser.parse(file('c.html'))).toMatchObject({ code: 'not_report', name: 'c.html' });

		const big = await parser.parse(file('huge.pdf', 5000));
		expect(big).toMatchObject({ ok: false, code: 'too_large' });
		// one worker at start, one after the hang, one after the crash
		expect(FakeWorker.made).toBe(3);
		expect(FakeWorker.terminated).toBe(2);
	});
});
