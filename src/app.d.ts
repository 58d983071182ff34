// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {}
	interface Window {
		/** Resolved once the prerendered page has painted (app.html): the app starts after it. */
		nianbaoFirstPaint: Promise<void>;
	}
}
export {};
