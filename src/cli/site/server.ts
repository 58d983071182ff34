import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import sirv from 'sirv';

/**
 * The dashboard's static server (`npm run dashboard`, the e2e tests and the
 * benchmark): the built site with its precompressed copies (precompress.ts)
 * sent with their Content-Encoding, hashed assets cached for good, and a page
 * of its own when a link is too long for the server to read.
 */

/** Files under this path have their content hash in their name: they never change. */
const IMMUTABLE = '/_app/immutable/';
export const CACHE_IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages and data keep their name across builds: the browser asks again each time (a 304 when unchanged). */
export const CACHE_REVALIDATE = 'no-cache';

/**
 * Node refuses request heads over 16 KB; the dashboard's own links stay under
 * 2,000 characters, so only a hand-made or foreign link gets here.
 */
export const TOO_LONG_PAGE = `<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>链接太长 · Link too long</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1 data-error="431">链接太长，服务器无法读取</h1>
<p>这个链接的地址超过了服务器能接受的长度（HTTP 431），因此无法打开。看板自己生成的链接不会这么长：请发送者在看板中重新点击“复制链接”，或打开 <a href="/">看板首页</a>。</p>
<h2 lang="en">Link too long for the server</h2>
<p lang="en">The address of this link is longer than the server accepts (HTTP 431), so it cannot be opened. Links the dashboard makes are never this long: ask the sender to use “Copy link” again, or open the <a href="/">dashboard</a>.</p>
</body></html>
`;

/** A request handler for a built site. */
export function siteHandler(dir: string): RequestListener {
	const files = sirv(dir, {
		dev: false,
		etag: true,
		extensions: ['html'],
		brotli: true,
		gzip: true,
		setHeaders: (res, pathname) => res.setHeader('Cache-Control', pathname.startsWith(IMMUTABLE) ? CACHE_IMMUTABLE : CACHE_REVALIDATE)
	});
	return (req, res) => {
		// A range names bytes of the file itself, never of a compressed copy.
		if (req.headers.range) delete req.headers['accept-encoding'];
		files(req, res, () => {
			res.statusCode = 404;
			res.setHeader('Content-Type', 'text/plain; charset=utf-8');
			res.end('not found');
		});
	};
}

/** What the server answers when it cannot parse a request's head: the page above for one too large. */
function onClientError(err: Error & { code?: string }, socket: Socket): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	if (err.code === 'HPE_HEADER_OVERFLOW') {
		const body = Buffer.from(TOO_LONG_PAGE);
		socket.end(
			`HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n` +
				body.toString('latin1'),
			'latin1'
		);
	} else socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
}

/** An HTTP server for `handler` with the 431 page; `listen` is the caller's. */
export function siteServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
	const server = createServer(handler);
	server.on('clientError', onClientError);
	return server;
}
