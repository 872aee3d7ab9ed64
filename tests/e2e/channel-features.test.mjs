import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, connectAndSubscribe, connectRaw, nextEvent, record, serverSdk, silence, subscribe } from './lib/pusher.mjs';

const fixture = useServer({ env: { SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' } });

// 32 bytes, base64: what the pusher SDK and the app's auth endpoint share for encrypted channels.
const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

test('a client event on a private channel reaches the other subscriber and is not echoed', async () => {
  const sender = await connectAndSubscribe(fixture.server, 'private-whisper');
  const receiver = await connectAndSubscribe(fixture.server, 'private-whisper');
  const received = nextEvent(receiver, 'client-typing');
  const echoed = record(sender, 'client-typing');

  assert.equal(sender.trigger('client-typing', { who: 'sender' }), true);

  assert.deepEqual(await received, { who: 'sender' });
  await silence();
  assert.deepEqual(echoed.events, []);
});

test('a presence client event arrives with the sender\'s user_id as metadata (Laravel Echo whispers)', async () => {
  const ann = await connectAndSubscribe(fixture.server, 'presence-whisper', { presenceData: { user_id: 7, user_info: {} } });
  const bob = await connectAndSubscribe(fixture.server, 'presence-whisper', { presenceData: { user_id: 8, user_info: {} } });
  const received = new Promise(resolve => bob.bind('client-typing', (data, metadata) => resolve({ data, metadata })));

  ann.trigger('client-typing', { typing: true });

  assert.deepEqual(await received, { data: { typing: true }, metadata: { user_id: '7' } });
});

test('a client event on a public channel is refused with pusher:error 4301 on the connection', async () => {
  const client = await connect(fixture.server);
  const channel = await subscribe(client, 'public-whisper');
  const error = nextEvent(client.connection, 'error');

  channel.trigger('client-typing', {});

  assert.deepEqual(await error, {
    type: 'PusherError',
    data: { code: 4301, message: 'Client events are only supported on private and presence channels.' },
  });
  assert.equal(client.connection.state, 'connected');
});

test('pusher-js decrypts what the pusher SDK encrypted on a private-encrypted channel; the server passes it untouched', async () => {
  const sdk = serverSdk(fixture.server, { encryptionMasterKeyBase64: MASTER_KEY });
  const client = await connect(fixture.server, { authSdk: sdk });
  const channel = await subscribe(client, 'private-encrypted-vault');
  const raw = await connectRaw(fixture.server);
  raw.send({ event: 'pusher:subscribe', data: { channel: 'private-encrypted-vault', ...sdk.authorizeChannel(raw.socketId, 'private-encrypted-vault') } });
  await raw.nextFrame(frame => frame.event === 'pusher_internal:subscription_succeeded');
  const onWire = raw.nextFrame(frame => frame.event === 'secret');
  const decrypted = nextEvent(channel, 'secret');

  await sdk.trigger('private-encrypted-vault', 'secret', { pin: 1234 });

  assert.deepEqual(await decrypted, { pin: 1234 });
  const cipher = JSON.parse(JSON.parse(await onWire).data);
  assert.deepEqual(Object.keys(cipher).sort(), ['ciphertext', 'nonce']);
  assert.equal(JSON.stringify(cipher).includes('1234'), false);
});

test('a cache channel gives pusher:cache_miss first, then later subscribers get the last event', async () => {
  const first = await connect(fixture.server);
  const firstChannel = first.subscribe('cache-scores');
  await nextEvent(firstChannel, 'pusher:cache_miss');

  await serverSdk(fixture.server).trigger('cache-scores', 'score', { home: 1, away: 0 });
  await serverSdk(fixture.server).trigger('cache-scores', 'score', { home: 2, away: 0 });

  const late = await connect(fixture.server);
  const lateChannel = late.subscribe('cache-scores');
  const misses = record(lateChannel, 'pusher:cache_miss');
  assert.deepEqual(await nextEvent(lateChannel, 'score'), { home: 2, away: 0 });
  assert.deepEqual(misses.events, []);
});

test('a client event on a private cache channel is what a later subscriber gets', async () => {
  const sender = await connect(fixture.server);
  const senderChannel = sender.subscribe('private-cache-cursor');
  await nextEvent(senderChannel, 'pusher:cache_miss');
  senderChannel.trigger('client-moved', { x: 3, y: 4 });
  await waitUntilCached('private-cache-cursor', 'client-moved');

  const late = await connect(fixture.server);
  assert.deepEqual(await nextEvent(late.subscribe('private-cache-cursor'), 'client-moved'), { x: 3, y: 4 });
});

/** Polls with fresh raw sockets until the channel's replay is `eventName` (client events are fire-and-forget). */
async function waitUntilCached(channelName, eventName) {
  const sdk = serverSdk(fixture.server);
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    const raw = await connectRaw(fixture.server);
    raw.send({ event: 'pusher:subscribe', data: { channel: channelName, ...sdk.authorizeChannel(raw.socketId, channelName) } });
    const replay = JSON.parse(await raw.nextFrame(frame => frame.channel === channelName && frame.event !== 'pusher_internal:subscription_succeeded'));
    raw.disconnect();
    if (replay.event === eventName) {
      return;
    }
  }
  throw new Error(`${channelName} never replayed ${eventName}`);
}
