export { ConfigError, loadConfig, type Config } from './env';
export { loadPolicyFile, validatePolicyDocument } from './policy-file';
