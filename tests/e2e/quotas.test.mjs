import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useCluster } from './lib/fixtures.mjs';
import { connect, createClient, record, serverSdk, silence, waitForState } from './lib/pusher.mjs';

// The default app's limits, counted over both processes of the cluster.
const MAX_CONNECTIONS = 2;
const MAX_BACKEND_EVENTS = 3;
const fixture = useCluster({
  env: {
    SOKETI_DEFAULT_APP_MAX_CONNS: String(MAX_CONNECTIONS),
    SOKETI_DEFAULT_APP_MAX_BACKEND_EVENTS_PER_SEC: String(MAX_BACKEND_EVENTS),
  },
});

test('pusher-js over the cluster-wide connection quota gets 4004 and does not reconnect', async () => {
  await connect(fixture.a);
  await connect(fixture.b);

  const refused = createClient(fixture.a);
  const errors = record(refused.connection, 'error');
  await waitForState(refused, 'disconnected');
  await silence();

  assert.equal(refused.connection.state, 'disconnected');
  assert.deepEqual(errors.events, [{
    type: 'WebSocketError',
    error: { type: 'PusherError', data: { code: 4004, message: 'The current concurrent connections quota has been reached.' } },
  }]);
});

test('the pusher SDK gets a 429 once both nodes together used the backend events rate limit', async () => {
  const [onA, onB] = [serverSdk(fixture.a), serverSdk(fixture.b)];
  const started = Date.now();

  await onA.trigger(['quota-1', 'quota-2'], 'e', {});
  await onB.trigger('quota-3', 'e', {});
  const overLimit = onA.trigger('quota-4', 'e', {});

  await assert.rejects(overLimit, error => {
    assert.equal(error.name, 'PusherRequestError');
    assert.equal(error.status, 429);
    assert.equal(error.body, `{"error":"The backend events rate limit of ${MAX_BACKEND_EVENTS} per second was exceeded.","code":429}`);
    return true;
  });
  assert.ok(Date.now() - started < 1_000, 'the requests fell into one rate-limit window');
});
