import type { ClientInit } from '@sveltejs/kit';

/** Marked as hydration starts (e2e: it comes after the first paint). */
export const HYDRATE_MARK = 'nianbao:hydrate';
/** Marked as the app's code is first evaluated (e2e: after the first paint too; hooks.server.ts holds it back). */
export const EVALUATED_MARK = 'nianbao:evaluated';

performance.mark(EVALUATED_MARK);

/**
 * Hydration comes after the browser's first contentful paint of the prerendered page (app.html's nianbaoFirstPaint,
 * which SvelteKit's start already waited for where hooks.server.ts rewrote it; here for any page it did not).
 */
export const init: ClientInit = async () => {
	await window.nianbaoFirstPaint;
	performance.mark(HYDRATE_MARK);
};
