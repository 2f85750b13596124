import { LOG_EVENT_TYPES, logEventName } from '../../console/src/log-event-types';

describe("the console's names for Auth0 log event types", () => {
  it.each([
    ['s', 'Success Login'],
    ['fp', 'Failed Login (wrong password)'],
    ['fu', 'Failed Login (invalid email or username)'],
    ['limit_wc', 'Blocked Account (too many failed logins)'],
    ['seacft', 'Success Exchange (Authorization Code for Access Token)'],
  ])('%s is "%s"', (code, name) => {
    expect(logEventName(code)).toBe(name);
  });

  it('shows an unknown code as the code, including names an object has of its own', () => {
    expect(logEventName('zz_new_event')).toBe('zz_new_event');
    expect(logEventName('constructor')).toBe('constructor');
    expect(logEventName('__proto__')).toBe('__proto__');
    expect(logEventName(undefined)).toBe('');
  });

  it('every entry is a lower-case code with a name', () => {
    for (const [code, name] of Object.entries(LOG_EVENT_TYPES)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(name.trim()).not.toBe('');
    }
  });
});
