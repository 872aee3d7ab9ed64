import { defineClusterTests } from './lib/cluster-suite.mjs';
import { useDiscoveryCluster } from './lib/fixtures.mjs';

// cluster mode: three processes that find each other by UDP discovery, with no Redis; A and B are the first two.
defineClusterTests(useDiscoveryCluster({ env: { SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES: 'true' } }));
