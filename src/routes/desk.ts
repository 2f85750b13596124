import { deskRoutes as contract } from '../http/contract/desk';
import {
  createPasswordTicket,
  liftBlocks,
  readAuthenticationMethods,
  readBlocks,
  readSessions,
  readUserLogs,
  resetAuthenticationMethods,
  revokeSessions,
  sendVerificationEmail,
} from '../operations';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** The support desk (README.md, "For frontend developers"): one operation per route of the contract. */
export function deskRoutes(options: { ticketResultUrls: readonly string[] }) {
  return routeGroup(contract, {
    passwordChangeTicket: ({ params, body }, res) => createPasswordTicket(contextOf(res), params.id, body, options.ticketResultUrls),
    verificationEmail: ({ params }, res) => sendVerificationEmail(contextOf(res), params.id),
    getBlocks: ({ params }, res) => readBlocks(contextOf(res), params.id),
    deleteBlocks: ({ params }, res) => liftBlocks(contextOf(res), params.id),
    getAuthenticationMethods: ({ params }, res) => readAuthenticationMethods(contextOf(res), params.id),
    deleteAuthenticationMethods: ({ params }, res) => resetAuthenticationMethods(contextOf(res), params.id),
    getSessions: ({ params, query }, res) => readSessions(contextOf(res), params.id, query),
    deleteSessions: ({ params }, res) => revokeSessions(contextOf(res), params.id),
    getLogs: ({ params, query }, res) => readUserLogs(contextOf(res), params.id, query),
  });
}
