import { usersRoutes as contract } from '../http/contract/users';
import { changeUserRoles, createUser, deleteUser, listUsers, readUser, readUserRoles, updateUser, usersByEmail } from '../operations';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** The users surface (docs/api.md): one operation per route of the contract. */
export function usersRoutes() {
  return routeGroup(contract, {
    list: ({ query }, res) => listUsers(contextOf(res), query),
    byEmail: ({ query }, res) => usersByEmail(contextOf(res), query),
    read: ({ params, query }, res) => readUser(contextOf(res), params.id, query),
    create: ({ body }, res) => createUser(contextOf(res), body),
    update: ({ params, body }, res) => updateUser(contextOf(res), params.id, body),
    delete: ({ params }, res) => deleteUser(contextOf(res), params.id),
    readRoles: ({ params }, res) => readUserRoles(contextOf(res), params.id),
    addRoles: ({ params, body }, res) => changeUserRoles(contextOf(res), params.id, body.roles, 'add'),
    removeRoles: ({ params, body }, res) => changeUserRoles(contextOf(res), params.id, body.roles, 'remove'),
  });
}
