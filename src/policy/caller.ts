/**
 * Who is calling: the token's subject, and the roles and org resolved for it. A blocked account has
 * no role and `blocked: true`: usergate answers it nothing but its refusal.
 */
export interface Caller {
  sub: string;
  roles: string[];
  org?: string;
  blocked?: boolean;
  /**
   * ROLES_SOURCE=rbac with ORG_SOURCE=organizations: the caller's member roles in `org` (the verified
   * `org_id` of its token). Each acts only in that organization, whatever its policy `scope` says.
   */
  memberRoles?: string[];
}
