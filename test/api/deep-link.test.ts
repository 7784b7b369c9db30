// src/shared/deep-link.ts: every crude-functions:// link becomes a route the renderer
// opens, or a notice; a link never carries a value.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findDeepLink, MAX_DEEP_LINK_LENGTH, parseDeepLink } from '../../src/shared/deep-link';
import { parseHash, routeToHash, type Route } from '../../src/renderer/src/shell/route';

const routes: [link: string, route: string][] = [
  ['crude-functions://inspect?name=LOG_LEVEL&function=notify', '#/inspect?name=LOG_LEVEL&function=notify'],
  // The route lists parameters in one order, whatever the link's.
  ['crude-functions://inspect?function=notify&name=LOG_LEVEL', '#/inspect?name=LOG_LEVEL&function=notify'],
  ['crude-functions://inspect?name=DB_URL&function=orders&key=ci-runner', '#/inspect?name=DB_URL&function=orders&key=ci-runner'],
  ['crude-functions://inspect?name=LOG_LEVEL', '#/inspect?name=LOG_LEVEL'],
  ['crude-functions://inspect', '#/inspect'],
  ['crude-functions://inspect/', '#/inspect'],
  ['crude-functions://inspect/?name=LOG_LEVEL', '#/inspect?name=LOG_LEVEL'],
  ['crude-functions://INSPECT?name=LOG_LEVEL', '#/inspect?name=LOG_LEVEL'],
  ['CRUDE-FUNCTIONS://inspect?name=LOG_LEVEL', '#/inspect?name=LOG_LEVEL'],
  ['crude-functions://inspect?name=log-level_2', '#/inspect?name=log-level_2'],
  ['crude-functions://function/notify', '#/functions/notify'],
  // Windows hands links on with a trailing slash.
  ['crude-functions://function/notify/', '#/functions/notify'],
  ['crude-functions://function/send-mail_v2', '#/functions/send-mail_v2'],
  ['crude-functions://function/%6Eotify', '#/functions/notify'],
  ['crude-functions://secrets/global', '#/secrets/global'],
  ['crude-functions://secrets/function', '#/secrets/function'],
  ['crude-functions://secrets/group', '#/secrets/group'],
  ['crude-functions://secrets/key', '#/secrets/key'],
  ['crude-functions://secrets/Global', '#/secrets/global'],
  ['crude-functions://', '#/'],
  ['crude-functions:///', '#/'],
];

const notices: [link: string, says: RegExp][] = [
  // Values, under any name that would carry one.
  ['crude-functions://inspect?name=LOG_LEVEL&value=debug', /never carry secret values/],
  ['crude-functions://inspect?name=API_TOKEN&token=abc', /never carry secret values/],
  ['crude-functions://inspect?secret=abc', /never carry secret values/],
  ['crude-functions://inspect?password=hunter2', /never carry secret values/],
  ['crude-functions://inspect?Value=debug', /never carry secret values/],
  ['crude-functions://function/notify?value=x', /never carry secret values/],
  ['crude-functions://secrets/global?value=x', /never carry secret values/],
  ['crude-functions://user:hunter2@inspect?name=LOG_LEVEL', /credentials/],
  ['crude-functions://inspect?name=LOG_LEVEL#value=debug', /fragment/],
  // Unknown screens and parameters.
  ['crude-functions://settings', /no screen "settings"/],
  ['crude-functions://functions/notify', /no screen "functions"/],
  ['crude-functions://secret/global', /no screen "secret"/],
  ['crude-functions://inspect?name=LOG_LEVEL&scope=global', /take only name, function, key; this one had "scope"/],
  ['crude-functions://function/notify?x=1', /take no parameters/],
  ['crude-functions://?name=LOG_LEVEL', /names no screen/],
  // Malformed.
  ['crude-functions://inspect?name=LOG LEVEL', /spaces or control characters/],
  ['crude-functions://inspect?name=LOG%20LEVEL', /Secret name may contain only/],
  ['crude-functions://inspect?name=', /Secret name is required/],
  ['crude-functions://inspect?name=A&name=B', /more than once/],
  ['crude-functions://inspect?function=no/slash', /Function name may contain only/],
  ['crude-functions://inspect?key=%E2%9C%93', /Key name may contain only/],
  ['crude-functions://inspect/LOG_LEVEL', /no path after "inspect"/],
  ['crude-functions://function', /exactly one function/],
  ['crude-functions://function/', /exactly one function/],
  ['crude-functions://function/a/b', /exactly one function/],
  ['crude-functions://function/a%2Fb', /malformed/],
  ['crude-functions://function/a//', /malformed/],
  ['crude-functions://function/%E0%A4%A', /malformed/],
  ['crude-functions://function/..', /exactly one function/],
  ['crude-functions://function/%2E%2E', /exactly one function/],
  ['crude-functions://secrets/everywhere', /"everywhere" is not a scope; scopes are key, group, function, global/],
  ['crude-functions://secrets', /exactly one scope/],
  ['crude-functions://inspect:8080?name=LOG_LEVEL', /no port/],
  ['crude-functions:inspect?name=LOG_LEVEL', /start with crude-functions:\/\//],
  ['https://example.com/inspect?name=LOG_LEVEL', /not a crude-functions:\/\/ link/],
  ['javascript:alert(1)', /not a crude-functions:\/\/ link/],
  ['not a link', /spaces or control characters/],
  ['crude-functions://inspect?name=LOG_LEVEL\n', /control characters/],
  ['crude-functions://inspect?name=\u0000', /control characters/],
  [`crude-functions://inspect?name=${'A'.repeat(MAX_DEEP_LINK_LENGTH)}`, /longer than 2048 characters/],
  ['', /not a valid link/],
];

describe('parseDeepLink', () => {
  it.each(routes)('%s → %s', (link, route) => {
    expect(parseDeepLink(link)).toEqual({ route });
  });

  it.each(notices)('%s → a notice (%s)', (link, says) => {
    const nav = parseDeepLink(link);
    expect(nav).toHaveProperty('notice');
    expect((nav as { notice: string }).notice).toMatch(/^Link not opened: /);
    expect((nav as { notice: string }).notice).toMatch(says);
  });

  it('never repeats a value or an odd name from the link in its notice', () => {
    for (const link of [
      'crude-functions://inspect?name=LOG_LEVEL&value=sk_live_CANARY123',
      'crude-functions://inspect?sk_live_CANARY123=1',
      'crude-functions://sk_live_CANARY123%21',
      'crude-functions://user:sk_live_CANARY123@inspect',
      'crude-functions://secrets/sk_live_CANARY123%21',
      'crude-functions://inspect?name=sk_live_CANARY123%21',
    ]) {
      expect(JSON.stringify(parseDeepLink(link))).not.toMatch(/CANARY123!/);
      expect(JSON.stringify(parseDeepLink(link))).not.toMatch(/CANARY123%21/);
    }
    expect(JSON.stringify(parseDeepLink('crude-functions://inspect?name=LOG_LEVEL&value=sk_live_CANARY123'))).not.toContain('CANARY');
  });

  it('gives a route or a notice for any string, and every route opens a screen', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl().map((u) => u.replace(/^https?:/, 'crude-functions:'))), (link) => {
        const nav = parseDeepLink(link);
        if ('route' in nav) expect(parseHash(nav.route).screen).toMatch(/^(inspector|functions|global|tree)$/);
        else expect(nav.notice).toMatch(/^Link not opened: /);
      }),
    );
  });
});

describe('the renderer opens the screen each route names (shell/route.ts)', () => {
  const screens: Record<string, Route> = {
    '#/inspect?name=LOG_LEVEL&function=notify': { screen: 'inspector', name: 'LOG_LEVEL', function: 'notify', key: undefined, group: undefined },
    '#/inspect?name=DB_URL&function=orders&key=ci-runner': { screen: 'inspector', name: 'DB_URL', function: 'orders', key: 'ci-runner', group: undefined },
    '#/inspect?name=LOG_LEVEL': { screen: 'inspector', name: 'LOG_LEVEL', function: undefined, key: undefined, group: undefined },
    '#/inspect?name=log-level_2': { screen: 'inspector', name: 'log-level_2', function: undefined, key: undefined, group: undefined },
    '#/inspect': { screen: 'inspector', name: undefined, function: undefined, key: undefined, group: undefined },
    '#/functions/notify': { screen: 'functions', name: 'notify' },
    '#/functions/send-mail_v2': { screen: 'functions', name: 'send-mail_v2' },
    '#/secrets/global': { screen: 'global' },
    '#/secrets/function': { screen: 'tree' },
    '#/secrets/group': { screen: 'tree' },
    '#/secrets/key': { screen: 'tree' },
    '#/': { screen: 'global' },
  };
  it.each(routes)('%s opens its screen', (_link, route) => {
    expect(parseHash(route)).toEqual(screens[route]);
  });
  it('an inspect route reads back as itself', () => {
    for (const [, route] of routes.filter(([, r]) => r.startsWith('#/inspect?'))) expect(routeToHash(parseHash(route))).toBe(route);
  });
});

describe('findDeepLink', () => {
  it('finds the link among the arguments the OS and Chromium pass', () => {
    expect(findDeepLink(['/opt/Crude Functions Desktop/crude-functions-desktop', '--no-sandbox', 'crude-functions://function/notify'])).toBe(
      'crude-functions://function/notify',
    );
    expect(findDeepLink(['C:\\App\\crude.exe', '--allow-file-access-from-files', 'CRUDE-FUNCTIONS://secrets/global/'])).toBe(
      'CRUDE-FUNCTIONS://secrets/global/',
    );
    expect(findDeepLink(['electron', '/repo', '--data-dir', '/tmp/d'])).toBeNull();
    expect(findDeepLink([])).toBeNull();
  });
});
