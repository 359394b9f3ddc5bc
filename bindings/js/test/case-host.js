// The zone host that answers a corpus case (testdata/cases.json): its zones loaded, the signed
// ones marked secure. Apart from helpers.js, so that only the suites that use it load the zone
// module.
import { ZoneHost } from '../src/zone.js';
import { readText } from './helpers.js';

/** A `ZoneHost` with the zones of corpus case `c`; the caller frees it. */
export function caseHost(c) {
  const host = new ZoneHost();
  for (const z of c.zones) host.addZone(readText(`zones/${z}`), (c.secureZones ?? []).includes(z));
  return host;
}
