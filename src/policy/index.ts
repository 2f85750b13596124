export type { Caller } from './caller';
export { FieldSet, FIELD_PATTERN, setOwn } from './field-set';
export { ACTIONS, ALWAYS_HIDDEN, NEVER_WRITABLE, PROVIDER_OWNED, USER_ATTRIBUTES, type Action } from './fixed-fields';
export { BODY_ATTRIBUTES, misleadingKey } from './body-keys';
export { DESK_ACTIONS, LOG_FIELDS, type DeskAction, type LogField } from './fixed-fields';
export { Permissions } from './permissions';
export { compilePolicy, NameSet, type Policy, type PolicyDocument, type RolePolicy, type Scope } from './policy';
export { filterUser } from './read-filter';
export { guardSearch, guardSort, quotePhrase, MAX_QUERY_LENGTH } from './search-query';
export { getPath } from './user-fields';
export { unwritablePaths, writtenPaths } from './write-check';
export {
  decide,
  allowedOrThrow,
  needsTarget,
  type Allowed,
  type DecisionAction,
  type DecisionInput,
  type Refused,
  type Verdict,
} from './decide';
export type { Rule } from './refusal';
export { protectedRoles } from './rules/protection';
export { inScope, type Listing } from './rules/scope';
export { capabilities, PER_USER_ACTIONS, type Capabilities } from './capabilities';
