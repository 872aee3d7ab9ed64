// Webhooks from one server, received and checked as an app's backend would: with the pusher SDK.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, connectAndSubscribe, nextEvent, subscribe } from './lib/pusher.mjs';
import { assertWebhookEvents, startWebhookReceiver, webhookSdk } from './lib/webhooks.mjs';

const receiver = await startWebhookReceiver();
const fixture = useServer({ env: { ...receiver.env(), SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' } });
// Registered after the fixture's hook, so the server has stopped before its receiver goes.
after(() => receiver.close());

test('a public channel: occupied on subscribe, vacated on unsubscribe, signed and timed', async () => {
  const startedAt = Date.now();
  const client = await connect(fixture.server);
  await subscribe(client, 'wh-public');

  client.unsubscribe('wh-public');

  await assertWebhookEvents(receiver, 'wh-public', [
    { name: 'channel_occupied', channel: 'wh-public' },
    { name: 'channel_vacated', channel: 'wh-public' },
  ]);
  for (const request of receiver.requests.filter(r => r.rawBody.includes('wh-public'))) {
    assert.ok(request.time >= new Date(startedAt - 1_000) && request.time <= new Date(), `time_ms ${request.time.toISOString()}`);
  }
});

test('a private channel: one client_event without user_id, from the sender only', async () => {
  const sender = await connect(fixture.server);
  const senderChannel = await subscribe(sender, 'private-wh-chat');
  const listener = await connect(fixture.server);
  const received = nextEvent(await subscribe(listener, 'private-wh-chat'), 'client-typing');

  senderChannel.trigger('client-typing', { typing: true });
  assert.deepEqual(await received, { typing: true });
  sender.disconnect();
  listener.disconnect();

  await assertWebhookEvents(receiver, 'private-wh-chat', [
    { name: 'channel_occupied', channel: 'private-wh-chat' },
    { name: 'client_event', channel: 'private-wh-chat', event: 'client-typing', data: { typing: true }, socket_id: sender.connection.socket_id },
    { name: 'channel_vacated', channel: 'private-wh-chat' },
  ]);
});

test('a presence channel: member_added and member_removed carry the user id as a string', async () => {
  const client = await connect(fixture.server, { presenceData: { user_id: 42, user_info: { name: 'Ada' } } });
  await subscribe(client, 'presence-wh-room');

  client.unsubscribe('presence-wh-room');

  await assertWebhookEvents(receiver, 'presence-wh-room', [
    { name: 'channel_occupied', channel: 'presence-wh-room' },
    { name: 'member_added', channel: 'presence-wh-room', user_id: '42' },
    { name: 'member_removed', channel: 'presence-wh-room', user_id: '42' },
    { name: 'channel_vacated', channel: 'presence-wh-room' },
  ]);
});

test('a cache channel with nothing cached: cache_miss once', async () => {
  const client = await connect(fixture.server);
  const missed = nextEvent(client.subscribe('cache-wh-scores'), 'pusher:cache_miss');
  await missed;

  await assertWebhookEvents(receiver, 'cache-wh-scores', [
    { name: 'channel_occupied', channel: 'cache-wh-scores' },
    { name: 'cache_miss', channel: 'cache-wh-scores' },
  ]);
});

test('the signature check is real: another secret, or a changed body, fails isValid()', async () => {
  await connectAndSubscribe(fixture.server, 'wh-signed');
  await assertWebhookEvents(receiver, 'wh-signed', [{ name: 'channel_occupied', channel: 'wh-signed' }]);
  const { headers, rawBody } = receiver.requests.find(r => r.rawBody.includes('wh-signed'));

  assert.equal(webhookSdk().webhook({ headers, rawBody }).isValid(), true);
  assert.equal(webhookSdk('another-secret').webhook({ headers, rawBody }).isValid(), false);
  assert.equal(webhookSdk().webhook({ headers, rawBody: rawBody.replace('wh-signed', 'wh-forged') }).isValid(), false);
});
