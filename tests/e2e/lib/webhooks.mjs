// A webhook receiver on loopback that checks every request with the pusher SDK, as an app would.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import PusherServer from 'pusher';
import { eventually, silence } from './pusher.mjs';
import { APP } from './server.mjs';

/** Every kind but subscription_count, which would add one event per subscribe to each channel. */
export const EVENT_TYPES = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed', 'client_event', 'cache_miss'];

/** The pusher SDK as the app's backend holds it; webhook checks need no host. */
export function webhookSdk(secret = APP.secret) {
  return new PusherServer({ appId: APP.id, key: APP.key, secret });
}

/**
 * Listens on a port the OS picks (known before the server starts, which needs it in its env) and
 * answers 200. Each request is kept as `{ headers, rawBody, valid, time, events }`.
 */
export async function startWebhookReceiver() {
  const sdk = webhookSdk();
  const requests = [];
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) {
      chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const webhook = sdk.webhook({ headers: req.headers, rawBody });
    const valid = webhook.isValid();
    requests.push({ headers: req.headers, rawBody, valid, time: valid ? webhook.getTime() : null, events: valid ? webhook.getEvents() : [] });
    res.writeHead(200).end();
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address();

  return {
    requests,
    url: `http://127.0.0.1:${port}/hook`,
    /** The server's env: the default app sends `eventTypes` here. */
    env(eventTypes = EVENT_TYPES) {
      return { SOKETI_DEFAULT_APP_WEBHOOKS: JSON.stringify([{ url: this.url, event_types: eventTypes }]) };
    },
    /** Events for `channel` from valid requests, in arrival order. */
    eventsFor(channel) {
      return requests.flatMap(r => r.events).filter(e => e.channel === channel);
    },
    async close() {
      // The server keeps its connection alive; close() alone would wait for it.
      http.closeAllConnections();
      http.close();
      await once(http, 'close');
    },
  };
}

/**
 * Waits for as many events on `channel` as expected, listens a little longer for extra ones, then
 * asserts that exactly `expected` arrived (in any order: member events and occupied/vacated come
 * from two grains) and that every request so far passed the SDK's signature check.
 */
export async function assertWebhookEvents(receiver, channel, expected) {
  await eventually(`${expected.length} webhook events for ${channel}`, () => receiver.eventsFor(channel).length >= expected.length);
  await silence();
  const sorted = events => events.map(e => JSON.stringify(e)).sort();
  assert.deepEqual(sorted(receiver.eventsFor(channel)), sorted(expected));
  assert.deepEqual(receiver.requests.filter(r => !r.valid), [], 'every webhook passes pusher.webhook(…).isValid()');
}
