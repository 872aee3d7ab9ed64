// Every public method of the `pusher` server SDK against the server, with the status and body
// each call resolves to (the SDK hands back the fetch Response; apps read its JSON).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { APP } from './lib/server.mjs';
import {
  connect, connectAndSubscribe, nextEvent, record, serverSdk, signIn, silence, subscribe, waitForState,
} from './lib/pusher.mjs';

const fixture = useServer();

// 32 bytes, base64: what the SDK and the app's auth endpoint share for encrypted channels.
const MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

function sdk(overrides) {
  return serverSdk(fixture.server, overrides);
}

async function read(response) {
  return { status: response.status, body: await response.json() };
}

test('trigger to one channel resolves to 200 {"ok":true} and reaches the subscriber', async () => {
  const channel = await connectAndSubscribe(fixture.server, 'sdk-one');
  const received = nextEvent(channel, 'hello');

  assert.deepEqual(await read(await sdk().trigger('sdk-one', 'hello', { n: 1 })), { status: 200, body: { ok: true } });

  assert.deepEqual(await received, { n: 1 });
});

test('trigger to many channels with socket_id reaches everyone but that socket', async () => {
  const sender = await connect(fixture.server);
  const other = await connect(fixture.server);
  const senderChannels = [await subscribe(sender, 'sdk-many-a'), await subscribe(sender, 'sdk-many-b')];
  const otherChannels = [await subscribe(other, 'sdk-many-a'), await subscribe(other, 'sdk-many-b')];
  const echoed = senderChannels.map(channel => record(channel, 'moved'));
  const received = otherChannels.map(channel => nextEvent(channel, 'moved'));

  const response = await sdk().trigger(['sdk-many-a', 'sdk-many-b'], 'moved', 'x', { socket_id: sender.connection.socket_id });

  assert.deepEqual(await read(response), { status: 200, body: { ok: true } });
  assert.deepEqual(await Promise.all(received), ['x', 'x']);
  await silence();
  assert.deepEqual(echoed.map(r => r.events), [[], []]);
});

test('trigger with info resolves to each channel\'s counts after the publish', async () => {
  await connectAndSubscribe(fixture.server, 'sdk-info');
  await connectAndSubscribe(fixture.server, 'sdk-info');
  await connectAndSubscribe(fixture.server, 'presence-sdk-info', { presenceData: { user_id: 'u1' } });

  const response = await sdk().trigger(['sdk-info', 'presence-sdk-info'], 'counted', {}, { info: 'subscription_count,user_count' });

  assert.deepEqual(await read(response), {
    status: 200,
    body: {
      channels: {
        'sdk-info': { subscription_count: 2 },
        'presence-sdk-info': { subscription_count: 1, user_count: 1 },
      },
    },
  });
});

test('trigger on a private-encrypted channel: pusher-js decrypts what the SDK encrypted', async () => {
  const encrypting = sdk({ encryptionMasterKeyBase64: MASTER_KEY });
  const client = await connect(fixture.server, { authSdk: encrypting });
  const channel = await subscribe(client, 'private-encrypted-sdk');
  const decrypted = nextEvent(channel, 'secret');

  assert.deepEqual(await read(await encrypting.trigger('private-encrypted-sdk', 'secret', { pin: 42 })), { status: 200, body: { ok: true } });

  assert.deepEqual(await decrypted, { pin: 42 });
});

test('triggerBatch without info resolves to {"ok":true}, with info to one object per event', async () => {
  const channel = await connectAndSubscribe(fixture.server, 'sdk-batch');
  const events = record(channel, 'b');

  const plain = await sdk().triggerBatch([
    { channel: 'sdk-batch', name: 'b', data: '1' },
    { channel: 'sdk-batch', name: 'b', data: { two: 2 } },
  ]);
  const informed = await sdk().triggerBatch([
    { channel: 'sdk-batch', name: 'b', data: '3', info: 'subscription_count' },
    { channel: 'sdk-batch-empty', name: 'b', data: '4' },
  ]);

  assert.deepEqual(await read(plain), { status: 200, body: { ok: true } });
  assert.deepEqual(await read(informed), { status: 200, body: { batch: [{ subscription_count: 1 }, {}] } });
  // pusher-js parses data that is JSON text, so '1' arrives as 1.
  assert.deepEqual(await events.atLeast(3), [1, { two: 2 }, 3]);
});

test('get /channels, /channels/:name with info, /channels/:name/users', async () => {
  await connectAndSubscribe(fixture.server, 'presence-sdk-get', { presenceData: { user_id: 'g1' } });
  await connectAndSubscribe(fixture.server, 'presence-sdk-get', { presenceData: { user_id: 'g2' } });
  await sdk().trigger('cache-sdk-get', 'state', 'kept');

  assert.deepEqual(await read(await sdk().get({ path: '/channels', params: { filter_by_prefix: 'presence-sdk-get', info: 'user_count' } })), {
    status: 200,
    body: { channels: { 'presence-sdk-get': { subscription_count: 2, occupied: true, user_count: 2 } } },
  });
  assert.deepEqual(await read(await sdk().get({ path: '/channels/presence-sdk-get', params: { info: 'user_count,subscription_count' } })), {
    status: 200,
    body: { occupied: true, subscription_count: 2, user_count: 2 },
  });
  assert.deepEqual(await read(await sdk().get({ path: '/channels/presence-sdk-get/users' })), {
    status: 200,
    body: { users: [{ id: 'g1' }, { id: 'g2' }] },
  });
  const cached = await read(await sdk().get({ path: '/channels/cache-sdk-get', params: { info: 'cache' } }));
  assert.equal(cached.status, 200);
  assert.ok(cached.body.cache.ttl > 0, `a positive ttl in ${JSON.stringify(cached.body)}`);
  assert.deepEqual(cached.body, { occupied: false, subscription_count: 0, cache: { event: 'state', data: 'kept', ttl: cached.body.cache.ttl } });
});

test('get with an info the channel cannot have rejects with the server\'s 400', async () => {
  await assert.rejects(sdk().get({ path: '/channels/sdk-plain', params: { info: 'user_count' } }),
    { name: 'PusherRequestError', status: 400, body: '{"error":"info=user_count is only allowed for presence channels","code":400}' });
});

test('the generic post sends a signed body', async () => {
  const channel = await connectAndSubscribe(fixture.server, 'sdk-post');
  const received = nextEvent(channel, 'posted');

  const response = await sdk().post({ path: '/events', body: { name: 'posted', channels: ['sdk-post'], data: '"p"' } });

  assert.deepEqual(await read(response), { status: 200, body: { ok: true } });
  assert.equal(await received, 'p');
});

test('createSignedQueryString signs a request made by hand', async () => {
  const query = sdk().createSignedQueryString({ method: 'GET', path: `/apps/${APP.id}/channels/sdk-signed` });

  const response = await fetch(`http://127.0.0.1:${fixture.server.port}/apps/${APP.id}/channels/sdk-signed?${query}`);

  assert.deepEqual(await read(response), { status: 200, body: { occupied: false, subscription_count: 0 } });
});

test('authorizeChannel and authenticateUser are what pusher-js accepts for private, presence and sign-in', async () => {
  const signedIn = await signIn(fixture.server, { id: 'auth-user' });
  await subscribe(signedIn, 'private-sdk-auth');
  const member = await connect(fixture.server, { presenceData: { user_id: 'auth-user', user_info: { n: 1 } } });
  const presence = await subscribe(member, 'presence-sdk-auth');

  // pusher-js takes me.id from its own auth, and me.info and the count from the server's snapshot.
  assert.deepEqual(presence.members.me, { id: 'auth-user', info: { n: 1 } });
  assert.equal(presence.members.count, 1);
  const listed = [];
  presence.members.each(m => listed.push(m));
  assert.deepEqual(listed, [{ id: 'auth-user', info: { n: 1 } }]);
});

test('sendToUser reaches the signed-in user', async () => {
  const client = await signIn(fixture.server, { id: 'sdk-user' });
  const received = nextEvent(client.user, 'direct');

  assert.deepEqual(await read(await sdk().sendToUser('sdk-user', 'direct', { hi: 1 })), { status: 200, body: { ok: true } });

  assert.deepEqual(await received, { hi: 1 });
});

test('terminateUserConnections resolves to {"ok":true} and disconnects the user', async () => {
  const client = await signIn(fixture.server, { id: 'sdk-gone' });

  assert.deepEqual(await read(await sdk().terminateUserConnections('sdk-gone')), { status: 200, body: { ok: true } });

  await waitForState(client, 'disconnected');
});
