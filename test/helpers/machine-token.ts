import { DEFAULT_CLIENT, type DevTenant } from '../../dev-tenant';

/** Obtains a machine token from a dev tenant with the client-credentials grant, as usergate does. */
export async function machineToken(tenant: DevTenant, client = DEFAULT_CLIENT): Promise<string> {
  const res = await fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience: tenant.managementAudience,
    }),
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
