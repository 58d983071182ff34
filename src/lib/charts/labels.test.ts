import { describe, expect, it } from 'vitest';
import { shortLabels, textWidth } from './labels';

describe('shortLabels', () => {
	const pingtan = ['平潭综合实验区综合执法与应急管理局', '平潭综合实验区自然资源与生态环境局', '平潭综合实验区', '上海市人民政府办公厅'];

	it('keeps names that fit', () => {
		expect(shortLabels(pingtan, 400)).toEqual(pingtan);
	});

	it('drops the prefix names share, not the end that tells them apart', () => {
		const out = shortLabels(pingtan, 12 * 12);
		expect(out[0]).toBe('…综合执法与应急管理局');
		expect(out[1]).toBe('…自然资源与生态环境局');
		// the name that is itself the prefix, and a name sharing nothing, keep their start
		expect(out[2]).toBe('平潭综合实验区');
		expect(out[3]).toBe('上海市人民政府办公厅');
	});

	it('cuts the end only when the distinct part is still too long, within the width', () => {
		const out = shortLabels(pingtan, 6 * 12);
		expect(out[0]).toBe('…综合执法…');
		expect(out[3]).toBe('上海市人民…');
		for (const s of out) expect(textWidth(s, 12)).toBeLessThanOrEqual(6 * 12);
	});

	it('keeps enough of a long shared prefix that the names stay apart', () => {
		const out = shortLabels(['沭阳县发展和改革局', '沭阳县发展和改革委员会'], 9 * 12);
		expect(out[0]).toBe('沭阳县发展和改革局');
		expect(out[1]).toBe('…发展和改革委员会');
		// a shared word is no place to cut: the place before it goes
		expect(shortLabels(['沭阳县发展和改革局', '沭阳县发展和改革委员会'], 8 * 12)).toEqual(['…发展和改革局', '…发展和改革委员会'.slice(0, 7) + '…']);
	});
});
