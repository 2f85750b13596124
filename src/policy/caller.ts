/** Who is calling: the token's subject, and the roles and org resolved for it. */
export interface Caller {
  sub: string;
  roles: string[];
  org?: string;
}
