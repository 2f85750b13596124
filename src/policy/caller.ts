/**
 * Who is calling: the token's subject, and the roles and org resolved for it. A blocked account has
 * no role and `blocked: true`: usergate answers it nothing but its refusal.
 */
export interface Caller {
  sub: string;
  roles: string[];
  org?: string;
  blocked?: boolean;
}
