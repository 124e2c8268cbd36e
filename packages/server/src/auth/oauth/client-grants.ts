/** The grants a Plumb client can be registered for (`plumb clients create --grant ...`). */
export const clientGrants = ['client_credentials', 'authorization_code', 'device_code'] as const;

export type ClientGrant = (typeof clientGrants)[number];

/** The OAuth `grant_type` value of each grant. */
export const grantTypeNames: Record<ClientGrant, string> = {
  client_credentials: 'client_credentials',
  authorization_code: 'authorization_code',
  device_code: 'urn:ietf:params:oauth:grant-type:device_code',
};
