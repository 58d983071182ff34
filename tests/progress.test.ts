/** The CLI's status line (ingest and fetch): redrawn in place on a terminal, plain lines elsewhere. */
import { describe, expect, it } from 'vitest';
import { FileProgress, StatusLine } from '../src/cli/progress';

function stream(isTTY: boolean, columns = 80) {
	const out: string[] = [];
	const s = { isTTY, columns, write: (chunk: string) => out.push(chunk) > 0 };
	return { out, s: s as unknown as NodeJS.WriteStream };
}

describe('StatusLine', () => {
	it('on a terminal: log lines above the status, which is cut to the width (less the cursor column), then cleared', () => {
		const { out, s } = stream(true, 13);
		const line = new StatusLine(s, false, () => '列表页 pages 12');
		line.log('✓ a.html');
		line.done();
		expect(out).toEqual(['\r\x1b[K✓ a.html\n', '\r列表页 pages\x1b[K', '\r\x1b[K']);
	});

	it('off a terminal: only log lines, no status and no control codes', () => {
		const { out, s } = stream(false);
		const line = new StatusLine(s, false, () => 'status');
		line.update(true);
		line.log('✗ b.html: 404');
		line.done();
		expect(out).toEqual(['✗ b.html: 404\n']);
	});

	it('quiet: nothing at all', () => {
		const { out, s } = stream(true);
		const line = new StatusLine(s, true, () => 'status');
		line.log('x');
		line.update(true);
		line.done();
		expect(out).toEqual([]);
	});
});

describe('FileProgress', () => {
	it('off a terminal: the first and the final count as plain lines (between them one every 2 s), without the bar', () => {
		const { out, s } = stream(false);
		const p = new FileProgress(3, s);
		for (let i = 0; i < 3; i++) p.tick(i !== 1);
		p.done();
		expect(out.every((l) => !l.includes('\r') && !l.includes('[#'))).toBe(true);
		expect(out[0]).toMatch(/^1\/3 个文件 files，失败 failed 0，/);
		expect(out.at(-1)).toMatch(/^3\/3 个文件 files，失败 failed 1，.*剩余 ETA 0:00\n$/);
	});

	it('on a terminal: a bar, full at the end, kept on screen', () => {
		const { out, s } = stream(true, 200);
		const p = new FileProgress(2, s);
		p.tick(true);
		p.tick(true);
		p.done();
		expect(out.at(-2)).toMatch(/^\r\[#{24}\] 2\/2 个文件 files/);
		expect(out.at(-1)).toBe('\n');
	});
});
