import { building } from '$app/environment';
import type { Handle } from '@sveltejs/kit';
import { startAfterFirstPaint } from '$lib/server/first-paint';

/** Every page's app starts after its first paint (first-paint.ts); at build, a start script not recognised fails the build. */
export const handle: Handle = ({ event, resolve }) => resolve(event, { transformPageChunk: ({ html }) => startAfterFirstPaint(html, building) });
