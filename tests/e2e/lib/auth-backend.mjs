// An app's own backend serving Pusher's auth routes over HTTP, as Laravel (Broadcast::routes) or an
// Express app does: it knows the user from the request's bearer token and signs with the `pusher`
// SDK. pusher-js calls it itself (its `ajax` transport), as it does in a browser.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { serverSdk } from './pusher.mjs';

/** Channel authorization and user authentication, under pusher-js's and Laravel's default paths. */
const CHANNEL_AUTH = new Set(['/pusher/auth', '/broadcasting/auth']);
const USER_AUTH = new Set(['/pusher/user-auth', '/broadcasting/user-auth']);

/**
 * Starts the backend on a free loopback port.
 * @param server the Pusher server whose app the backend signs for
 * @param {Record<string, { id: string, info: object }>} users bearer token → user
 * @returns `{ url, requests, close }`; `requests` lists each request as
 *   `{ method, path, contentType, form, userId }`, `form` being its url-encoded body
 */
export async function startAuthBackend(server, users) {
  const sdk = serverSdk(server);
  const requests = [];
  const backend = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) {
      body += chunk;
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    const user = users[(request.headers.authorization ?? '').replace(/^Bearer /, '')];
    requests.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], form, userId: user?.id });

    if (request.method !== 'POST' || !(CHANNEL_AUTH.has(request.url) || USER_AUTH.has(request.url))) {
      response.writeHead(404).end();
    } else if (!user) {
      response.writeHead(403).end();
    } else {
      const answer = CHANNEL_AUTH.has(request.url)
        ? sdk.authorizeChannel(form.socket_id, form.channel_name,
          form.channel_name.startsWith('presence-') ? { user_id: user.id, user_info: user.info } : undefined)
        : sdk.authenticateUser(form.socket_id, { id: user.id, user_info: user.info });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    }
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  return {
    url: `http://127.0.0.1:${backend.address().port}`,
    requests,
    close() {
      backend.closeAllConnections();
      backend.close();
    },
  };
}
