import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, eventually, nextEvent, record, serverSdk, signIn, silence, waitForState } from './lib/pusher.mjs';

// User sign-in works for every app, so the default app (no enableUserAuthentication) is enough.
const fixture = useServer();

test('a signed-in pusher-js client receives events the SDK sends to its user', async () => {
  const client = await signIn(fixture.server, { id: 'ada', name: 'Ada' });
  const received = nextEvent(client.user, 'my-event');
  await eventually('pusher-js to be subscribed to #server-to-user-ada', () => client.user.serverToUserChannel?.subscribed);

  await serverSdk(fixture.server).sendToUser('ada', 'my-event', { hello: 'Ada' });

  assert.deepEqual(await received, { hello: 'Ada' });
});

test('every socket of the user gets the event once, other users none', async () => {
  const first = await signIn(fixture.server, { id: 'bob' });
  const second = await signIn(fixture.server, { id: 'bob' });
  const other = await signIn(fixture.server, { id: 'carol' });
  const onFirst = record(first.user, 'note');
  const onSecond = record(second.user, 'note');
  const onOther = record(other.user, 'note');

  await serverSdk(fixture.server).sendToUser('bob', 'note', 'n1');

  assert.deepEqual(await onFirst.atLeast(1), ['n1']);
  assert.deepEqual(await onSecond.atLeast(1), ['n1']);
  await silence();
  assert.deepEqual([onFirst.events, onSecond.events, onOther.events], [['n1'], ['n1'], []]);
});

test('a sign-in the app server did not sign is refused with 4009 and pusher-js stays disconnected', async () => {
  const impostor = serverSdk(fixture.server, { secret: 'not-the-secret' });
  const client = await connect(fixture.server, { authSdk: impostor, userData: { id: 'mallory' } });
  const errors = record(client.connection, 'error');

  client.signin();

  await waitForState(client, 'disconnected');
  assert.deepEqual(errors.events.at(-1), {
    type: 'WebSocketError',
    error: { type: 'PusherError', data: { code: 4009, message: 'Connection not authorized.' } },
  });
});

test('terminateUserConnections disconnects every socket of the user with 4009 and no other', async () => {
  const first = await signIn(fixture.server, { id: 'dave' });
  const second = await signIn(fixture.server, { id: 'dave' });
  const other = await signIn(fixture.server, { id: 'erin' });
  const errors = record(first.connection, 'error');

  await serverSdk(fixture.server).terminateUserConnections('dave');

  await waitForState(first, 'disconnected');
  await waitForState(second, 'disconnected');
  assert.deepEqual(errors.events.at(-1), {
    type: 'WebSocketError',
    error: { type: 'PusherError', data: { code: 4009, message: 'You got disconnected by the app.' } },
  });
  await silence();
  assert.equal(other.connection.state, 'connected');
});

test('the watchlist reports who is online at sign-in, then who comes online and goes offline', async () => {
  const frank = await signIn(fixture.server, { id: 'frank' });
  const watcher = await connect(fixture.server, { userData: { id: 'gina', watchlist: ['frank', 'hank'] } });
  const online = record(watcher.user.watchlist, 'online');
  const offline = record(watcher.user.watchlist, 'offline');
  watcher.signin();

  assert.deepEqual(await online.atLeast(1), [{ name: 'online', user_ids: ['frank'] }]);

  await signIn(fixture.server, { id: 'hank' });
  assert.deepEqual((await online.atLeast(2))[1], { name: 'online', user_ids: ['hank'] });

  frank.disconnect();
  assert.deepEqual(await offline.atLeast(1), [{ name: 'offline', user_ids: ['frank'] }]);
});
