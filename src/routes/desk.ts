import { deskRoutes as contract } from '../http/contract/desk';
import {
  createPasswordTicket,
  liftBlocks,
  readAuthenticationMethods,
  readBlocks,
  readRefreshTokens,
  readSessions,
  readUserLogs,
  resetAuthenticationMethods,
  sendVerificationEmail,
  signOut,
  type Auth0Plan,
  type TicketSettings,
} from '../operations';
import { contextOf } from './context';
import { routeGroup } from './route-table';

/** The support desk (docs/api.md): one operation per route of the contract. */
export function deskRoutes(options: { ticket: TicketSettings; plan: Auth0Plan }) {
  return routeGroup(contract, {
    passwordChangeTicket: ({ params, body }, res) => createPasswordTicket(contextOf(res), params.id, body, options.ticket),
    verificationEmail: ({ params }, res) => sendVerificationEmail(contextOf(res), params.id),
    getBlocks: ({ params }, res) => readBlocks(contextOf(res), params.id),
    deleteBlocks: ({ params }, res) => liftBlocks(contextOf(res), params.id),
    getAuthenticationMethods: ({ params }, res) => readAuthenticationMethods(contextOf(res), params.id),
    deleteAuthenticationMethods: ({ params }, res) => resetAuthenticationMethods(contextOf(res), params.id),
    getSessions: ({ params, query }, res) => readSessions(contextOf(res), params.id, query, options.plan),
    deleteSessions: ({ params }, res) => signOut(contextOf(res), params.id, options.plan),
    getRefreshTokens: ({ params }, res) => readRefreshTokens(contextOf(res), params.id, options.plan),
    getLogs: ({ params, query }, res) => readUserLogs(contextOf(res), params.id, query),
  });
}
