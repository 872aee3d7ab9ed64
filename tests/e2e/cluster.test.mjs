import { defineClusterTests } from './lib/cluster-suite.mjs';
import { useCluster } from './lib/fixtures.mjs';

// Process A, and process B joined to A's cluster (local mode): two silos, two gateways on different ports.
defineClusterTests(useCluster({ env: { SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' } }));
