/**
 * Browsers in the order they must be tested (Edge and Opera also name Chrome and Safari; Chrome names
 * Safari), each with its major version where the agent carries it (Safari's `Safari/604.1` is WebKit's).
 */
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+).*Safari\//],
  ['Safari', /Safari\//],
];
const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['iPhone', /iPhone/],
  ['iPad', /iPad/],
  ['Android', /Android/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['ChromeOS', /CrOS/],
  ['Linux', /Linux/],
];

/**
 * A user agent as an agent reads it at a glance, "Firefox 132 on Linux"; the string itself when it
 * names no browser the console knows (an app, a script).
 */
export function describeUserAgent(agent: string): string {
  const browser = BROWSERS.find(([, pattern]) => pattern.test(agent));
  const system = SYSTEMS.find(([, pattern]) => pattern.test(agent))?.[0];
  if (!browser) return agent;
  const version = browser[1].exec(agent)?.[1];
  const name = version ? `${browser[0]} ${version}` : browser[0];
  return system ? `${name} on ${system}` : name;
}
