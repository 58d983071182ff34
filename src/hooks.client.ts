import type { ClientInit } from '@sveltejs/kit';

/** Marked as hydration starts (e2e: it comes after the first paint). */
export const HYDRATE_MARK = 'nianbao:hydrate';
/** A frame that has not come by then (a browser that throttles a page it deems unseen) is not waited for. */
const FIRST_PAINT_WAIT_MS = 3000;

/**
 * Hydration waits for the browser's first contentful paint of the prerendered page. The scripts are preloaded, so
 * they are often ready as the HTML parser ends, and hydrating then held the first frame back, and with
 * it the prerendered charts (BENCHMARKS.md, first chart). A hidden tab paints no frame: it hydrates at once.
 */
export const init: ClientInit = async () => {
	if (document.visibilityState !== 'hidden')
		await new Promise<void>((resolve) => {
			setTimeout(resolve, FIRST_PAINT_WAIT_MS);
			document.addEventListener('visibilitychange', () => resolve(), { once: true });
			// The first contentful paint's own entry: it is reported once the frame is presented, which can be after the task that
			// follows the frame's rAF (the paint's time then lay after hydration began). Without paint timing: the task after the first rAF.
			if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
				const seen = new PerformanceObserver((list) => {
					if (list.getEntriesByName('first-contentful-paint').length === 0) return;
					seen.disconnect();
					resolve();
				});
				seen.observe({ type: 'paint', buffered: true });
			} else requestAnimationFrame(() => setTimeout(resolve));
		});
	performance.mark(HYDRATE_MARK);
};
