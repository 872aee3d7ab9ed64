import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, connectRaw, nextEvent, record, serverSdk, silence, subscribe } from './lib/pusher.mjs';

const fixture = useServer();

test('a private channel authorized by the server SDK receives events', async () => {
  const client = await connect(fixture.server);
  const channel = await subscribe(client, 'private-inbox');
  const received = nextEvent(channel, 'mail');

  await serverSdk(fixture.server).trigger('private-inbox', 'mail', { from: 'ana', subject: 'lunch?' });

  assert.deepEqual(await received, { from: 'ana', subject: 'lunch?' });
});

test('Laravel-style event and channel names pass through byte for byte', async () => {
  const client = await connect(fixture.server);
  const channel = await subscribe(client, 'private-App.Models.User.7');
  const received = nextEvent(channel, 'App\\Events\\OrderShipped');
  const data = { order: { id: 7, total: '19.99', note: 'ünïcödé ✓ "quoted" \\ slash' } };

  await serverSdk(fixture.server).trigger('private-App.Models.User.7', 'App\\Events\\OrderShipped', data);

  assert.deepEqual(await received, data);
});

test('on the wire, the Laravel names and the data string the SDK sent arrive unchanged', async () => {
  const raw = await connectRaw(fixture.server);
  const sdk = serverSdk(fixture.server);
  const channel = 'private-App.Models.User.7';
  raw.send({ event: 'pusher:subscribe', data: { channel, ...sdk.authorizeChannel(raw.socketId, channel) } });
  await raw.nextFrame(frame => frame.event === 'pusher_internal:subscription_succeeded' && frame.channel === channel);
  const received = raw.nextFrame(frame => frame.channel === channel && frame.event !== 'pusher_internal:subscription_succeeded');
  const data = { order: { id: 7, note: 'ünïcödé ✓ </script> "quoted" \\ slash' } };

  await sdk.trigger(channel, 'App\\Events\\OrderShipped', data);

  assert.deepEqual(JSON.parse(await received), { event: 'App\\Events\\OrderShipped', channel, data: JSON.stringify(data) });
});

test('a wrong signature fires pusher:subscription_error and the channel gets no events', async () => {
  const authorized = await connect(fixture.server);
  const authorizedReceived = nextEvent(await subscribe(authorized, 'private-vault'), 'secret');
  const intruder = await connect(fixture.server, { authSdk: serverSdk(fixture.server, { secret: 'wrong-secret' }) });
  const channel = intruder.subscribe('private-vault');
  const intruderEvents = record(channel, 'secret');

  const error = await nextEvent(channel, 'pusher:subscription_error');

  assert.deepEqual(error, { type: 'AuthError', error: 'The connection is unauthorized.', status: 401 });
  assert.equal(channel.subscribed, false);
  await serverSdk(fixture.server).trigger('private-vault', 'secret', { code: 1234 });
  assert.deepEqual(await authorizedReceived, { code: 1234 });
  await silence();
  assert.deepEqual(intruderEvents.events, []);
});
