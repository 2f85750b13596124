import { capabilitiesRoutes as contract } from '../http/contract/capabilities';
import { readCapabilities } from '../operations';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** GET /users/:id/capabilities: what the caller may do to one user, before it tries. */
export function capabilitiesRoutes() {
  return routeGroup(contract, {
    read: ({ params }, res) => readCapabilities(contextOf(res), params.id),
  });
}
