import { describe, expect, it } from 'vitest';
import { startAfterFirstPaint } from './first-paint';

// SvelteKit's start script as it writes it into a prerendered page (@sveltejs/kit runtime/server/page/render.js).
const page = `<script>
	{
		__sveltekit_abc = { base: new URL(".", location).pathname.slice(0, -1) };
		const element = document.currentScript.parentElement;
		Promise.all([
			import("./_app/immutable/entry/start.X1.js"),
			import("./_app/immutable/entry/app.Y2.js")
		]).then(([kit, app]) => {
			kit.start(app, element, { node_ids: [0, 2] });
		});
	}
</script>`;

describe('startAfterFirstPaint', () => {
	it("waits for the page's first paint before importing the app's entry modules", () => {
		const out = startAfterFirstPaint(page, true);
		expect(out).toContain(
			'window.nianbaoFirstPaint.then(() => Promise.all([\n\t\t\timport("./_app/immutable/entry/start.X1.js"),\n\t\t\timport("./_app/immutable/entry/app.Y2.js")\n\t\t])).then(([kit, app]) => {'
		);
		// nothing else changes
		expect(out.replace('window.nianbaoFirstPaint.then(() => ', '').replace('])).then', ']).then')).toBe(page);
		// once only: the imports are no longer at the start of a Promise.all
		expect(out.match(/nianbaoFirstPaint/g)).toHaveLength(1);
	});

	it('leaves a page without the app alone', () => {
		const html = '<!doctype html><p>no scripts</p>';
		expect(startAfterFirstPaint(html, true)).toBe(html);
	});

	it('fails at build where the start script is not recognised, and leaves it alone otherwise', () => {
		const changed = page.replace('Promise.all([', 'Promise.allSettled([');
		expect(() => startAfterFirstPaint(changed, true)).toThrow(/start script has changed shape/);
		expect(startAfterFirstPaint(changed, false)).toBe(changed);
	});
});
