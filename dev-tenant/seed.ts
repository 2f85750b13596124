import { CONNECTIONS } from './connections';
import { hashPassword, type Identity, type StoredUser } from './user-store';

/** The orgs seeded users belong to. */
export const SEED_ORGS = ['acme', 'globex', 'initech'] as const;

/** One named demo user per role; the dev banner prints a token for each. */
export const DEMO_USERS = {
  admin: 'auth0|demo0admin0000000000001',
  support: 'auth0|demo0support00000000001',
  viewer: 'auth0|demo0viewer000000000001',
  auditor: 'auth0|demo0auditor00000000001',
  none: 'auth0|demo0noroles0000000001',
} as const;

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Ken',
  'Barbara',
  'Edsger',
  'Frances',
  'Donald',
  'Radia',
  'Tim',
  'Hedy',
  'Dennis',
  'Katherine',
  'John',
  'Sophie',
  'Guido',
  'Anita',
  'Bjarne',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Dijkstra',
  'Allen',
  'Knuth',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'Ritchie',
  'Johnson',
  'McCarthy',
  'Wilson',
  'Rossum',
  'Borg',
  'Stroustrup',
];

/** A small deterministic generator, so the seed is the same on every start. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString();
}

interface SeedSpec {
  id?: string;
  first: string;
  last: string;
  org: string | undefined;
  roles: string[] | undefined;
  connection: string;
  blocked: boolean;
  metadataPicture: boolean;
}

function makeUser(spec: SeedSpec, index: number, random: () => number): StoredUser {
  const connection = CONNECTIONS.find((c) => c.name === spec.connection) ?? CONNECTIONS[0]!;
  const local = `${spec.first}.${spec.last}`.toLowerCase().replace(/[^a-z.]/g, '');
  const domain = spec.org ? `${spec.org}.example` : 'example.org';
  const email = `${local}${index}@${domain}`;
  const rawId = spec.id ? spec.id.split('|')[1]! : hex(random, 24);
  const provider = connection.strategy;
  const userId = spec.id ?? `${provider}|${rawId}`;
  const identity: Identity = { connection: connection.name, provider, user_id: rawId, isSocial: connection.isSocial };
  if (!connection.database) {
    identity.access_token = `ya29.${hex(random, 40)}`;
    identity.refresh_token = `1//${hex(random, 40)}`;
  }
  const base = Date.UTC(2024, 0, 1);
  const created = Math.floor(random() * 500);
  const user: StoredUser = {
    user_id: userId,
    email,
    email_verified: random() > 0.3,
    name: `${spec.first} ${spec.last}`,
    given_name: spec.first,
    family_name: spec.last,
    nickname: local.split('.')[0],
    picture: `https://avatars.example/${rawId}.png`,
    created_at: isoDay(base, created),
    updated_at: isoDay(base, created + 30),
    last_login: isoDay(base, created + 60),
    last_ip: `192.0.2.${(index % 250) + 1}`,
    logins_count: Math.floor(random() * 200),
    identities: [identity],
    app_metadata: {},
    user_metadata: { locale: random() > 0.5 ? 'en' : 'de' },
  };
  if (spec.org) user.app_metadata!.org = spec.org;
  if (spec.roles) user.app_metadata!.roles = spec.roles;
  if (spec.blocked) user.blocked = true;
  if (spec.metadataPicture) user.user_metadata!.picture = `https://cdn.example/custom/${rawId}.png`;
  if (connection.database) user.password_hash = hashPassword('Passw0rd!demo');
  return user;
}

/** About 60 users in three orgs, with every role, several connections (one social without profile sync), blocked users and metadata pictures. */
export function seedUsers(): StoredUser[] {
  const random = prng(20261127);
  const specs: SeedSpec[] = [
    {
      id: DEMO_USERS.admin,
      first: 'Alice',
      last: 'Admin',
      org: 'acme',
      roles: ['admin'],
      connection: 'Username-Password-Authentication',
      blocked: false,
      metadataPicture: false,
    },
    {
      id: DEMO_USERS.support,
      first: 'Sam',
      last: 'Support',
      org: 'acme',
      roles: ['support'],
      connection: 'Username-Password-Authentication',
      blocked: false,
      metadataPicture: false,
    },
    {
      id: DEMO_USERS.viewer,
      first: 'Vera',
      last: 'Viewer',
      org: 'globex',
      roles: ['viewer'],
      connection: 'Username-Password-Authentication',
      blocked: false,
      metadataPicture: false,
    },
    {
      id: DEMO_USERS.auditor,
      first: 'Otto',
      last: 'Auditor',
      org: 'initech',
      roles: ['auditor'],
      connection: 'Username-Password-Authentication',
      blocked: false,
      metadataPicture: false,
    },
    {
      id: DEMO_USERS.none,
      first: 'Nora',
      last: 'Noroles',
      org: 'acme',
      roles: undefined,
      connection: 'Username-Password-Authentication',
      blocked: false,
      metadataPicture: false,
    },
  ];
  const roleCycle: (string[] | undefined)[] = [
    undefined,
    ['viewer'],
    undefined,
    ['support'],
    [],
    ['auditor'],
    undefined,
    ['admin'],
    ['viewer', 'support'],
  ];
  const connectionCycle = [
    'Username-Password-Authentication',
    'Username-Password-Authentication',
    'google-oauth2',
    'acme-azure',
    'globex-saml',
  ];
  for (let i = 0; specs.length < 60; i++) {
    specs.push({
      first: FIRST[i % FIRST.length]!,
      last: LAST[(i * 7) % LAST.length]!,
      org: i % 11 === 10 ? undefined : SEED_ORGS[i % SEED_ORGS.length],
      roles: roleCycle[i % roleCycle.length],
      connection: connectionCycle[i % connectionCycle.length]!,
      blocked: i % 8 === 3,
      metadataPicture: i % 6 === 2,
    });
  }
  // A social connection with profile sync off (its users' names and pictures are editable) and a
  // database connection that requires usernames; appended so the users above stay as they were.
  for (const [i, org] of SEED_ORGS.entries()) {
    specs.push({
      first: FIRST[(i * 3) % FIRST.length]!,
      last: LAST[(i * 5 + 2) % LAST.length]!,
      org,
      roles: undefined,
      connection: 'github',
      blocked: false,
      metadataPicture: false,
    });
  }
  specs.push({
    first: 'Pat',
    last: 'Partner',
    org: 'globex',
    roles: undefined,
    connection: 'partners-db',
    blocked: false,
    metadataPicture: false,
  });
  const users = specs.map((spec, index) => makeUser(spec, index, random));
  for (const user of users) {
    if (user.identities[0]!.connection === 'partners-db') user.username = String(user.nickname);
  }
  return users;
}
