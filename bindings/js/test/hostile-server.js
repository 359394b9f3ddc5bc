// Starts one of the hostile fakes of issue 12 for the other hosts' tests (the C host's
// host_test.sh), so that every surface meets the same floods:
//   node hostile-server.js mail imap|pop3|smtp flood|drip
//   node hostile-server.js dns udp|tcp|drip
// It prints `listening on 127.0.0.1:PORT` and serves on loopback until it is killed.
import { startHostileDnsServer } from './helpers.js';
import { startFloodServer } from './fake-mail-server.js';

const [what, kind, mode] = process.argv.slice(2);
if (what === 'mail' && ['imap', 'pop3', 'smtp'].includes(kind) && ['flood', 'drip'].includes(mode)) {
  const server = await startFloodServer(kind, mode);
  console.log(`listening on 127.0.0.1:${server.port}`);
} else if (what === 'dns' && ['udp', 'tcp', 'drip'].includes(kind)) {
  const server = await startHostileDnsServer(kind);
  console.log(`listening on ${server.address}`);
} else {
  console.error('usage: hostile-server.js mail imap|pop3|smtp flood|drip | dns udp|tcp|drip');
  process.exit(2);
}
