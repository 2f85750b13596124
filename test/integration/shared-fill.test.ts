import pino from 'pino';
import { RedisConnection } from '../../src/cluster/redis-connection';
import { sharedFill } from '../../src/cluster/shared-fill';
import { startRedis } from '../helpers/cluster';

/*
 * The cluster-wide single flight against a real redis-server: the replica that takes the lock does the
 * work once; the others read its result. Each "replica" here is its own RedisConnection.
 */
let redis: Awaited<ReturnType<typeof startRedis>>;
const connections: RedisConnection[] = [];
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await redis.stop();
});

async function replica(): Promise<RedisConnection> {
  const connection = new RedisConnection({ url: redis.url, logger: pino({ level: 'silent' }) });
  connections.push(connection);
  await connection.connect();
  expect(connection.state).toBe('shared');
  return connection;
}

describe('sharedFill (real Redis)', () => {
  it('five replicas asking at once: one does the work, the others get its result', async () => {
    const replicas = await Promise.all([1, 2, 3, 4, 5].map(() => replica()));
    const valueKey = 'fill-test:concurrent';
    let work = 0;
    const results = await Promise.all(
      replicas.map((connection) =>
        sharedFill({
          connection,
          lockKey: `${valueKey}:lock`,
          waitMs: 5000,
          pollMs: 5,
          read: async () => (await connection.client.get(valueKey)) ?? undefined,
          fill: async () => {
            work += 1;
            await new Promise((resolve) => setTimeout(resolve, 50)); // the upstream call takes a while
            await connection.client.set(valueKey, 'the answer');
            return 'the answer';
          },
        }),
      ),
    );
    expect(results).toEqual(Array(5).fill('the answer'));
    expect(work).toBe(1);
  });

  it('a result stored (and the lock released) between our miss and our lock is read, not fetched again', async () => {
    const connection = await replica();
    const valueKey = 'fill-test:race';
    let reads = 0;
    let work = 0;
    const result = await sharedFill({
      connection,
      lockKey: `${valueKey}:lock`,
      waitMs: 5000,
      read: async () => {
        reads += 1;
        const stored = (await connection.client.get(valueKey)) ?? undefined;
        // Just after our first look missed, the other replica's lookup lands: it stores its
        // result and releases its lock, so our SET NX will succeed.
        if (reads === 1) await connection.client.set(valueKey, 'stored by the other replica');
        return stored;
      },
      fill: () => {
        work += 1;
        return Promise.resolve('fetched again');
      },
    });
    expect(result).toBe('stored by the other replica');
    expect(work).toBe(0);
    expect(await connection.client.get(`${valueKey}:lock`)).toBeNull(); // our lock was released
  });
});
