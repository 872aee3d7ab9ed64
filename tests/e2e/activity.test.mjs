import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, record } from './lib/pusher.mjs';

// activity_timeout 1 s: after 1 s of silence either side pings; the server closes a socket (4201)
// that leaves its ping unanswered for 1 s more.
const fixture = useServer({ env: { SOKETI_WEBSOCKETS_ACTIVITY_TIMEOUT: '1', SOKETI_WEBSOCKETS_PONG_TIMEOUT: '1' } });

test('pusher-js adopts the advertised activity_timeout and stays connected through the heartbeats', async () => {
  const client = await connect(fixture.server);
  const socketId = client.connection.socket_id;
  const messages = record(client.connection, 'message');
  const stateChanges = record(client.connection, 'state_change');

  assert.equal(client.connection.activityTimeout, 1000);
  await heartbeats(messages, 4);

  assert.equal(client.connection.state, 'connected');
  assert.equal(client.connection.socket_id, socketId);
  assert.deepEqual(stateChanges.events, []);
});

/** Pings or pongs from the server: one per second of silence, whichever side pinged first. */
async function heartbeats(messages, count) {
  const isHeartbeat = message => message.event === 'pusher:ping' || message.event === 'pusher:pong';
  while (messages.events.filter(isHeartbeat).length < count) {
    await messages.atLeast(messages.events.length + 1);
  }
}
