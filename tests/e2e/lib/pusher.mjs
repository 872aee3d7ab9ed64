// pusher-js clients and the pusher server SDK, pointed at a test server, plus waits with timeouts.
import assert from 'node:assert/strict';
import Pusher from 'pusher-js';
import PusherServer from 'pusher';
import WebSocket from 'ws';
import { APP } from './server.mjs';

const WAIT_MS = 5_000;

/** How long to listen before concluding that something did not arrive. */
const SILENCE_MS = 300;

const clients = new Set();

/** The official server SDK for the default app on `server` (override e.g. secret or appId). */
export function serverSdk(server, overrides = {}) {
  return new PusherServer({
    appId: APP.id,
    key: APP.key,
    secret: APP.secret,
    host: '127.0.0.1',
    port: String(server.port),
    useTLS: false,
    ...overrides,
  });
}

/** A read of the HTTP API through the SDK, e.g. `{ path: '/channels' }`: resolves with `{ status, body }`. */
export async function apiGet(server, request) {
  const response = await serverSdk(server).get(request);
  return { status: response.status, body: await response.json() };
}

/**
 * Waits until the HTTP API of `server` counts `count` subscriptions on `channelName`: a gateway
 * reports further sockets on a channel it already serves after their subscription_succeeded.
 */
export function subscriptionCountIs(server, channelName, count) {
  return eventually(`${channelName} has ${count} subscriptions`,
    async () => (await apiGet(server, { path: `/channels/${channelName}` })).body.subscription_count === count);
}

/**
 * A pusher-js client on `server`; private and presence channels are authorized in-process by
 * `authSdk.authorizeChannel` (with `presenceData` for presence channels), and `signin()` by
 * `authSdk.authenticateUser` with `userData` (e.g. `{ id: '1', watchlist: ['2'] }`), unless
 * pusher-js's own `channelAuthorization` / `userAuthentication` options are given (e.g. an endpoint).
 */
export function createClient(server, {
  key = APP.key, authSdk = serverSdk(server), presenceData, userData, channelAuthorization, userAuthentication,
} = {}) {
  const client = new Pusher(key, {
    wsHost: '127.0.0.1',
    wsPort: server.port,
    forceTLS: false,
    enabledTransports: ['ws'],
    cluster: 'mt1',
    channelAuthorization: channelAuthorization ?? {
      customHandler: ({ socketId, channelName }, callback) => {
        try {
          callback(null, authSdk.authorizeChannel(socketId, channelName, presenceData));
        } catch (error) {
          callback(error, null);
        }
      },
    },
    userAuthentication: userAuthentication ?? {
      customHandler: ({ socketId }, callback) => {
        try {
          callback(null, authSdk.authenticateUser(socketId, userData));
        } catch (error) {
          callback(error, null);
        }
      },
    },
  });
  clients.add(client);
  return client;
}

/** A connected pusher-js client (see createClient). */
export async function connect(server, options) {
  const client = createClient(server, options);
  await waitForState(client, 'connected');
  return client;
}

/** A new connected client subscribed to `channelName`: resolves with the channel. */
export async function connectAndSubscribe(server, channelName, options) {
  return subscribe(await connect(server, options), channelName);
}

/**
 * A bare WebSocket speaking the protocol by hand, to see frames as the server wrote them.
 * Resolves once pusher:connection_established arrived.
 */
export async function connectRaw(server) {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/app/${APP.key}?protocol=7&client=js&version=8.4.0`);
  const raw = {
    send: message => socket.send(JSON.stringify(message)),
    disconnect: () => socket.close(),
    /** The next frame (as text) whose parsed form satisfies `matches`. */
    nextFrame: matches => until('a matching frame on the raw socket', resolve => {
      const handler = data => {
        const text = data.toString('utf8');
        if (matches(JSON.parse(text))) {
          resolve(text);
        }
      };
      socket.on('message', handler);
      return () => socket.off('message', handler);
    }),
  };
  clients.add(raw);
  const established = JSON.parse(await raw.nextFrame(frame => frame.event === 'pusher:connection_established'));
  raw.socketId = JSON.parse(established.data).socket_id;
  return raw;
}

/**
 * A connected client signed in as `userData`: resolves once pusher-js has accepted
 * pusher:signin_success (it then subscribes to its #server-to-user- channel by itself).
 */
export async function signIn(server, userData, options) {
  const client = await connect(server, { ...options, userData });
  client.signin();
  await client.user.signinDonePromise;
  assert.equal(client.user.user_data?.id, userData.id, 'pusher-js accepted the sign-in');
  return client;
}

/** Disconnects every client created so far. */
export function disconnectAll() {
  for (const client of clients) {
    client.disconnect();
  }
  clients.clear();
}

/** Subscribes and resolves with the channel on pusher:subscription_succeeded; rejects on pusher:subscription_error. */
export function subscribe(client, channelName) {
  const channel = client.subscribe(channelName);
  return until(`subscription to ${channelName}`, (resolve, reject) => {
    const succeeded = () => resolve(channel);
    const failed = error => reject(new Error(`Subscribing to ${channelName} failed: ${JSON.stringify(error)}`));
    channel.bind('pusher:subscription_succeeded', succeeded);
    channel.bind('pusher:subscription_error', failed);
    return () => {
      channel.unbind('pusher:subscription_succeeded', succeeded);
      channel.unbind('pusher:subscription_error', failed);
    };
  });
}

export function waitForState(client, state) {
  return until(`connection state ${state} (now ${client.connection.state})`, resolve => {
    const changed = ({ current }) => current === state && resolve();
    client.connection.bind('state_change', changed);
    if (client.connection.state === state) {
      resolve();
    }
    return () => client.connection.unbind('state_change', changed);
  });
}

/** The data of the next `eventName` on a channel or connection. */
export function nextEvent(bindable, eventName) {
  return until(`${eventName} on ${bindable.name ?? 'the connection'}`, resolve => {
    const handler = data => resolve(data);
    bindable.bind(eventName, handler);
    return () => bindable.unbind(eventName, handler);
  });
}

/** Records every `eventName` on a channel or connection from now on. */
export function record(bindable, eventName) {
  const recorded = recorder(`${eventName} on ${bindable.name ?? 'the connection'}`);
  bindable.bind(eventName, recorded.callback);
  return recorded;
}

/** Records every call of `callback` (hand it to whatever calls back, e.g. a laravel-echo listener). */
export function recorder(description) {
  const events = [];
  let changed = () => {};
  return {
    events,
    callback: data => {
      events.push(data);
      changed();
    },
    /** Resolves once at least `count` calls were recorded. */
    atLeast(count) {
      return until(`${count} × ${description} (have ${events.length})`, resolve => {
        changed = () => events.length >= count && resolve(events);
        changed();
        return () => { changed = () => {}; };
      });
    },
  };
}

/** Polls `check` (async, truthy when done) until it holds, for up to `timeoutMs`. */
export async function eventually(description, check, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${description}`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** The only fixed wait: a short window in which something must NOT arrive. */
export function silence() {
  return new Promise(resolve => setTimeout(resolve, SILENCE_MS));
}

function until(description, register) {
  let cleanup = () => {};
  let timer;
  return new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${WAIT_MS} ms waiting for ${description}`)), WAIT_MS);
    cleanup = register(resolve, reject);
  }).finally(() => {
    clearTimeout(timer);
    cleanup();
  });
}
