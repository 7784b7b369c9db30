// The shell's link inbox (src/main/deep-links.ts): links that come before the page exists
// wait, a route becomes the first window's fragment, everything else reaches the page as
// an app.navigate event once it has loaded.
import { describe, expect, it } from 'vitest';
import { eventNames, type ContractEvents } from '../../src/shared/contract';
import type { Navigation } from '../../src/shared/deep-link';
import { LinkInbox } from '../../src/main/deep-links';

describe('LinkInbox', () => {
  it('a link on the first launch opens the window at its route, and is not sent again', () => {
    const inbox = new LinkInbox();
    inbox.receive('crude-functions://inspect?name=LOG_LEVEL&function=notify');
    expect(inbox.takeInitialRoute()).toBe('#/inspect?name=LOG_LEVEL&function=notify');
    const sent: Navigation[] = [];
    inbox.open((n) => sent.push(n));
    expect(sent).toEqual([]);
    expect(inbox.takeInitialRoute()).toBeUndefined();
  });

  it("a refused link on the first launch opens the app at its start, and its notice is sent once the page has loaded", () => {
    const inbox = new LinkInbox();
    inbox.receive('crude-functions://inspect?name=LOG_LEVEL&value=debug');
    expect(inbox.takeInitialRoute()).toBeUndefined();
    const sent: Navigation[] = [];
    inbox.open((n) => sent.push(n));
    expect(sent).toEqual([{ notice: expect.stringMatching(/never carry secret values/) }]);
  });

  it('links to the running app go to the page at once; the last of several early ones wins', () => {
    const inbox = new LinkInbox();
    inbox.receive('crude-functions://secrets/global');
    inbox.receive('crude-functions://function/notify');
    const sent: Navigation[] = [];
    inbox.open((n) => sent.push(n)); // the window existed before the links came, say
    expect(sent).toEqual([{ route: '#/functions/notify' }]);
    inbox.receive('crude-functions://secrets/key');
    expect(sent.at(-1)).toEqual({ route: '#/secrets/key' });
  });

  it('once the window is closed (macOS), a link waits for the next window', () => {
    const inbox = new LinkInbox();
    const sent: Navigation[] = [];
    inbox.open((n) => sent.push(n));
    inbox.close();
    inbox.receive('crude-functions://function/notify');
    expect(sent).toEqual([]);
    expect(inbox.takeInitialRoute()).toBe('#/functions/notify');
  });

  it('what it sends is the contract event app.navigate, which the transports forward', () => {
    expect(eventNames).toContain('app.navigate');
    const payload: ContractEvents['app.navigate'] = new LinkInbox().receive('crude-functions://secrets/global');
    expect(payload).toEqual({ route: '#/secrets/global' });
  });
});
