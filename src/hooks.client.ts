import type { ClientInit } from '@sveltejs/kit';

/** Marked as hydration starts (e2e: it comes after the first paint). */
export const HYDRATE_MARK = 'nianbao:hydrate';
/** A frame that has not come by then (a browser that throttles a page it deems unseen) is not waited for. */
const FIRST_PAINT_WAIT_MS = 3000;

/**
 * Hydration waits for the browser's first paint of the prerendered page. The scripts are preloaded, so
 * they are often ready as the HTML parser ends, and hydrating then held the first frame back, and with
 * it the prerendered charts (BENCHMARKS.md, first chart). A hidden tab paints no frame: it hydrates at once.
 */
export const init: ClientInit = async () => {
	if (document.visibilityState !== 'hidden')
		await new Promise<void>((resolve) => {
			setTimeout(resolve, FIRST_PAINT_WAIT_MS);
			document.addEventListener('visibilitychange', () => resolve(), { once: true });
			// rAF runs just before a frame is painted; the task queued from it runs once that frame is out.
			requestAnimationFrame(() => setTimeout(resolve));
		});
	performance.mark(HYDRATE_MARK);
};
