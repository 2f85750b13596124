import { describeUserAgent } from '../../console/src/user-agent';

describe('the console reads a user agent at a glance', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0', 'Firefox 132 on Linux'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
      'Edge 131 on Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Safari 17 on macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
      'Chrome 131 on iPhone',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1', 'Safari on iPhone'],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
      'Chrome 131 on Android',
    ],
  ])('%s is "%s"', (agent, seen) => {
    expect(describeUserAgent(agent)).toBe(seen);
  });

  it('shows an agent that names no known browser as it is', () => {
    expect(describeUserAgent('okhttp/4.12.0')).toBe('okhttp/4.12.0');
    expect(describeUserAgent('curl/8.5.0')).toBe('curl/8.5.0');
  });
});
