import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/fixtures.mjs';
import { connect, createClient, record, silence, waitForState } from './lib/pusher.mjs';

const fixture = useServer();

test('pusher-js connects and gets a socket id', async () => {
  const client = await connect(fixture.server);

  assert.equal(client.connection.state, 'connected');
  assert.match(client.connection.socket_id, /^\d+\.\d+$/);
});

test('an unknown app key is refused with 4001 and pusher-js does not reconnect', async () => {
  const client = createClient(fixture.server, { key: 'unknown-key' });
  const errors = record(client.connection, 'error');

  await waitForState(client, 'disconnected');
  const laterStates = record(client.connection, 'state_change');
  await silence();

  assert.deepEqual(errors.events, [{
    type: 'WebSocketError',
    error: { type: 'PusherError', data: { code: 4001, message: 'App key unknown-key does not exist.' } },
  }]);
  assert.deepEqual(laterStates.events, []);
  assert.equal(client.connection.socket_id, undefined);
});
