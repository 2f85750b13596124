import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startStack, type Stack } from '../helpers/stack';

/**
 * When Auth0 cannot be reached, the 502/504 a caller gets says little, but the error log line names
 * what happened underneath (a reset, a refused connection, a timeout, an upstream status), so an
 * operator is never left guessing. Real sockets on loopback, no mocks.
 */
const ROLES = 'https://usergate.dev/roles';

async function listen<S extends Server | TcpServer>(server: S): Promise<{ server: S; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
const close = (server: Server | TcpServer) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(createTcpServer());
  await close(server);
  return port;
}

/** The error line of the request `requestId`. */
function errorLine(stack: Stack, requestId: string): Record<string, unknown> | undefined {
  return stack.logs.find((line) => line.level === 50 && line.requestId === requestId);
}

async function failingList(env: Record<string, string>) {
  const stack = await startStack({ env: { ROLES_SOURCE: 'claim', CLAIM_BLOCKED_CHECK: 'false', MGMT_MAX_RETRIES: '0', ...env } });
  try {
    const token = stack.tokenFor('auth0|causes', { claims: { [ROLES]: ['admin'] } });
    const res = await stack.as(token).get('/users?per_page=1');
    return { res, line: errorLine(stack, res.body.requestId as string), logs: stack.logs };
  } finally {
    await stack.stop();
  }
}

describe('an upstream failure keeps its cause in the error log line', () => {
  it('a connection Auth0 resets: 502 upstream_error, and the log line names the reset', async () => {
    const sockets = new Set<Socket>();
    const { server, port } = await listen(
      createTcpServer((socket) => {
        sockets.add(socket);
        // Read the request, then answer with a TCP reset.
        socket.once('data', () => socket.resetAndDestroy());
      }),
    );
    try {
      const { res, line } = await failingList({ MGMT_API_URL: `http://127.0.0.1:${port}/api/v2` });
      expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
      expect(line).toBeDefined();
      expect(JSON.stringify(line!.cause)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(server);
    }
  });

  it('a refused connection: 502 upstream_error, and the log line names ECONNREFUSED', async () => {
    const { res, line } = await failingList({ MGMT_API_URL: `http://127.0.0.1:${await closedPort()}/api/v2` });
    expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
    expect(JSON.stringify(line!.cause)).toContain('ECONNREFUSED');
  });

  it('no answer in time: 504 upstream_timeout, and the log line names ETIMEDOUT', async () => {
    const sockets = new Set<Socket>();
    // Accepts and reads, never answers.
    const { server, port } = await listen(createTcpServer((socket) => sockets.add(socket)));
    try {
      const { res, line } = await failingList({ MGMT_API_URL: `http://127.0.0.1:${port}/api/v2`, MGMT_TIMEOUT_MS: '200' });
      expect([res.status, res.body.errorCode]).toEqual([504, 'upstream_timeout']);
      expect(JSON.stringify(line!.cause)).toContain('ETIMEDOUT');
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(server);
    }
  });

  it('Auth0 answering 503: 502 upstream_error, and the log line names the status', async () => {
    const { server, port } = await listen(
      createServer((_req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"statusCode":503,"error":"Service Unavailable","message":"down"}');
      }),
    );
    try {
      const { res, line } = await failingList({ MGMT_API_URL: `http://127.0.0.1:${port}/api/v2` });
      expect([res.status, res.body.errorCode]).toEqual([502, 'upstream_error']);
      expect(JSON.stringify(line!.cause)).toContain('HTTP_503');
    } finally {
      await close(server);
    }
  });

  it('a token endpoint that refuses connections: 503 mgmt_token_unavailable, and the log line names ECONNREFUSED', async () => {
    const { res, line } = await failingList({ MGMT_TOKEN_URL: `http://127.0.0.1:${await closedPort()}/oauth/token` });
    expect([res.status, res.body.errorCode]).toEqual([503, 'mgmt_token_unavailable']);
    expect(JSON.stringify(line!.cause)).toContain('ECONNREFUSED');
  });
});
