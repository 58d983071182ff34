import { describe, expect, it } from 'vitest';
import { lineChart, stackedBars } from './plots';
import { markupOf, svgDocument } from './svg-document';

const style = { color: '#0072B2', dash: 'none', symbol: 'circle' } as const;

/** Elements of a markup string with their attributes: enough of a parser for what markupOf writes. */
function elements(markup: string): { tag: string; attrs: Record<string, string> }[] {
	return [...markup.matchAll(/<([a-z]+)((?:\s[^\s=]+="[^"]*")*)\s*\/?>/g)].map((m) => ({
		tag: m[1],
		attrs: Object.fromEntries([...m[2].matchAll(/\s([^\s=]+)="([^"]*)"/g)].map((a) => [a[1], a[2]]))
	}));
}

describe('svgDocument: Plot draws where there is no browser', () => {
	const chart = () =>
		lineChart({
			document: svgDocument(),
			width: 542,
			lang: 'zh',
			unit: 'count',
			ariaLabel: '申请数量',
			series: [{ key: 'a', label: 'A', style }],
			points: [
				{ key: 'a', year: 2019, value: 5, flagged: false, tip: '2019 A：5 <&">' },
				{ key: 'a', year: 2020, value: 50, flagged: true, tip: '2020 A：50' },
				{ key: 'a', year: 2021, value: null, flagged: false, tip: '2021 A：无' }
			],
			years: [2019, 2020, 2021],
			mixed: [{ from: 2020, to: 2021, label: '格式混合', tip: '2020 年 …' }]
		});

	it('writes the svg with its size, inline style and class as Plot sets them', () => {
		const svg = elements(markupOf(chart()))[0];
		expect(svg.tag).toBe('svg');
		expect(svg.attrs).toMatchObject({ width: '542', height: '298', viewBox: '0 0 542 298', 'aria-label': '申请数量', class: 'plot-d6a7b5' });
		expect(svg.attrs.style).toBe('font-size: 12px; font-family: inherit; overflow: visible;');
	});

	it("leaves Plot's <style> out when asked, and only it: a page needs one copy of its rules, not one per drawing", () => {
		const node = chart();
		const full = markupOf(node);
		const bare = markupOf(node, { style: false });
		expect(full.match(/<style>/g)).toHaveLength(1);
		expect(full).toMatch(/<style>:where\(\.plot-d6a7b5\)/);
		expect(bare).not.toContain('<style');
		expect(bare).toBe(full.replace(/<style>.*?<\/style>/s, ''));
		// the drawing itself is left as it was
		expect(markupOf(node)).toBe(full);
	});

	it('draws every point with its numbers, the ▲ of a flagged one and the band of mixed years', () => {
		const markup = markupOf(chart());
		const labelled = elements(markup).filter((e) => e.attrs['aria-label']?.includes(' A：'));
		// the year without a value draws no point
		expect(labelled.map((e) => e.attrs['aria-label'])).toEqual(['2019 A：5 <&amp;&quot;>', '2020 A：50']);
		expect(markup).toMatch(/<g aria-label="dot" class="flag-mark"[^>]*><path [^>]*aria-label="2020 A：50"/);
		expect(markup).toContain('data-mixed="2020-2021"');
		expect(markup).toContain('>格式混合</text>');
	});

	it('escapes text and attributes as HTML reads them inside an svg', () => {
		const markup = markupOf(
			lineChart({
				document: svgDocument(),
				width: 300,
				lang: 'zh',
				unit: 'count',
				ariaLabel: 'a "b"',
				series: [{ key: 'a', label: 'A', style }],
				points: [{ key: 'a', year: 2020, value: 1, flagged: false, tip: 't' }],
				years: [2020],
				mixed: [{ from: 2020, to: 2020, label: '<混合&>', tip: 'x' }]
			})
		);
		expect(markup).toContain('>&lt;混合&amp;&gt;</text>');
		expect(markup).toContain('aria-label="a &quot;b&quot;"');
	});

	it('writes positions to a hundredth of a pixel', () => {
		const numbers = [...markupOf(chart()).matchAll(/\s(?:d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g)].flatMap((m) => m[1].match(/\d+\.\d+/g) ?? []);
		expect(numbers.length).toBeGreaterThan(0);
		for (const n of numbers) expect(n.split('.')[1].length).toBeLessThanOrEqual(2);
	});

	it('draws the template rule of stacked bars with its label', () => {
		const markup = markupOf(
			stackedBars({
				document: svgDocument(),
				width: 337,
				lang: 'en',
				unit: 'count',
				ariaLabel: 'outcomes',
				rows: [{ key: 'granted', year: 2020, value: 3, color: '#E69F00', tip: '2020 granted: 3' }],
				keys: ['granted'],
				years: [2020, 2021],
				breaks: [{ before: 2020, after: 2021, label: '→2021', tip: 'switched' }]
			})
		);
		expect(markup).toContain('data-break="2020-2021"');
		expect(markup).toContain('>→2021</text>');
		expect(elements(markup).find((e) => e.tag === 'rect' && e.attrs['aria-label'] === '2020 granted: 3')?.attrs.fill).toBe('#E69F00');
	});

	it('refuses a node drawn on the page document', () => {
		expect(() => markupOf({} as Element)).toThrow(/not drawn on an svgDocument/);
	});
});
