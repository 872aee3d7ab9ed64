import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, nextEvent, record, serverSdk, silence, subscribe } from './lib/pusher.mjs';

const fixture = useServer();

test('a triggered event reaches the subscriber with the same data object; the API answers {"ok":true}', async () => {
  const client = await connect(fixture.server);
  const channel = await subscribe(client, 'orders');
  const received = nextEvent(channel, 'order-placed');

  const response = await serverSdk(fixture.server).trigger('orders', 'order-placed', { id: 42, items: ['tea', 'cake'], paid: true });

  assert.equal(response.status, 200);
  assert.equal(await response.text(), '{"ok":true}');
  assert.deepEqual(await received, { id: 42, items: ['tea', 'cake'], paid: true });
});

test('an event triggered on two channels reaches both', async () => {
  const client = await connect(fixture.server);
  const first = await subscribe(client, 'news-1');
  const second = await subscribe(client, 'news-2');
  const onFirst = nextEvent(first, 'headline');
  const onSecond = nextEvent(second, 'headline');

  const response = await serverSdk(fixture.server).trigger(['news-1', 'news-2'], 'headline', { title: 'Both' });

  assert.equal(response.status, 200);
  assert.deepEqual(await Promise.all([onFirst, onSecond]), [{ title: 'Both' }, { title: 'Both' }]);
});

test('socket_id excludes that socket and still reaches the others', async () => {
  const sender = await connect(fixture.server);
  const other = await connect(fixture.server);
  const senderEvents = record(await subscribe(sender, 'chat'), 'message');
  const otherReceived = nextEvent(await subscribe(other, 'chat'), 'message');

  await serverSdk(fixture.server).trigger('chat', 'message', { text: 'hi' }, { socket_id: sender.connection.socket_id });

  assert.deepEqual(await otherReceived, { text: 'hi' });
  await silence();
  assert.deepEqual(senderEvents.events, []);
});

test('triggerBatch delivers each event', async () => {
  const client = await connect(fixture.server);
  const alpha = await subscribe(client, 'batch-alpha');
  const beta = await subscribe(client, 'batch-beta');
  const created = nextEvent(alpha, 'created');
  const updated = nextEvent(alpha, 'updated');
  const deleted = nextEvent(beta, 'deleted');

  const response = await serverSdk(fixture.server).triggerBatch([
    { channel: 'batch-alpha', name: 'created', data: { n: 1 } },
    { channel: 'batch-alpha', name: 'updated', data: { n: 2 } },
    { channel: 'batch-beta', name: 'deleted', data: { n: 3 } },
  ]);

  assert.equal(response.status, 200);
  assert.equal(await response.text(), '{"ok":true}');
  assert.deepEqual(await Promise.all([created, updated, deleted]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
});
