import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { capabilitiesRoutes } from './capabilities';
import { deskRoutes } from './desk';
import { ErrorResponse, errorResponses } from './errors';
import { healthRoutes, pageRoutes } from './health';
import { meRoutes } from './me';
import { orgsRoutes } from './orgs';
import { BEARER, registerRoute, type RouteContract } from './route';
import { usersRoutes } from './users';

/** Every route group of the HTTP surface; the document and the route checks of the tests read this. */
export const CONTRACT: Record<string, Record<string, RouteContract>> = {
  users: usersRoutes,
  me: meRoutes,
  desk: deskRoutes,
  capabilities: capabilitiesRoutes,
  orgs: orgsRoutes,
  health: healthRoutes,
  pages: pageRoutes,
};

export const ALL_ROUTES: RouteContract[] = Object.values(CONTRACT).flatMap((group) => Object.values(group));

const DESCRIPTION = `usergate lets internal admin tools manage Auth0 users under a policy file. Send the signed-in
user's access token as \`Authorization: Bearer <token>\`; answers have Auth0's shapes, minus what the caller may not read.

Every error is JSON \`{statusCode, error, message, errorCode, requestId}\`; switch on \`errorCode\`. Each operation lists
its error statuses with their codes. On any path: an unknown path is \`404 route_not_found\`, another method on a known
path \`405 method_not_allowed\` (with \`Allow\`). Every response carries \`x-request-id\`; send a W3C \`traceparent\` to
join usergate's logs and its upstream calls to your trace. A feature whose setting is missing answers 501 \`not_configured\`.`;

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document, generated from the contract schemas that the routes validate with. */
export function openApiDocument(version = '0.1.0'): Record<string, unknown> {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "An access token for usergate's API (AUTH0_AUDIENCE), issued by the Auth0 tenant to the signed-in user.",
  });
  registry.register('Error', ErrorResponse);
  // Answers on any path, so on no operation: registered as named responses.
  const anywhere = errorResponses(['route_not_found', 'method_not_allowed']);
  for (const [name, status] of [
    ['RouteNotFound', '404'],
    ['MethodNotAllowed', '405'],
  ] as const) {
    const response = anywhere[status]!;
    registry.registerComponent('responses', name, {
      ...response,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    } as never);
  }
  for (const route of ALL_ROUTES) registerRoute(registry, route);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  cached = generator.generateDocument({
    openapi: '3.1.0',
    info: { title: 'usergate', version, description: DESCRIPTION },
    tags: [
      { name: 'users', description: "Users under the caller's policy." },
      { name: 'me', description: "The caller's own profile and permissions." },
      {
        name: 'support desk',
        description: 'What support agents do all day: password reset, verification email, unblock, MFA reset, sign-out, login history.',
      },
      {
        name: 'organizations',
        description:
          'Auth0 Organizations: members, their roles in the organization, invitations; an org-scoped caller works in its own organization only.',
      },
      { name: 'health', description: 'Probes and this document; no token.' },
    ],
  }) as unknown as Record<string, unknown>;
  return cached;
}
