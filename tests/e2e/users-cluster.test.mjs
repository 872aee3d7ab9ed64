import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useCluster } from './lib/fixtures.mjs';
import { nextEvent, record, serverSdk, signIn, waitForState } from './lib/pusher.mjs';

// Process A, and process B joined to A's cluster: a user's sockets may sit on either gateway.
const fixture = useCluster();

test('an event sent to a user through B reaches the user on A', async () => {
  const onA = await signIn(fixture.a, { id: 'ada' });
  const received = nextEvent(onA.user, 'cross');

  await serverSdk(fixture.b).sendToUser('ada', 'cross', { via: 'B' });

  assert.deepEqual(await received, { via: 'B' });
});

test('terminateUserConnections through B disconnects the user on A and on B', async () => {
  const onA = await signIn(fixture.a, { id: 'bob' });
  const onB = await signIn(fixture.b, { id: 'bob' });

  await serverSdk(fixture.b).terminateUserConnections('bob');

  await waitForState(onA, 'disconnected');
  await waitForState(onB, 'disconnected');
});

test('a watcher on A sees a user on B come online and go offline', async () => {
  const watcher = await signIn(fixture.a, { id: 'erin', watchlist: ['dave'] });
  const online = record(watcher.user.watchlist, 'online');
  const offline = record(watcher.user.watchlist, 'offline');

  const dave = await signIn(fixture.b, { id: 'dave' });
  assert.deepEqual(await online.atLeast(1), [{ name: 'online', user_ids: ['dave'] }]);

  dave.disconnect();
  assert.deepEqual(await offline.atLeast(1), [{ name: 'offline', user_ids: ['dave'] }]);
});
