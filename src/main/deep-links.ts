// Where deep links wait until there is a page to show them. Links reach the shell before
// the window exists (the first launch's argv, macOS's open-url before ready) and after
// (a second instance's argv, open-url). Plain Node (no electron): the shell wires it up.
import { parseDeepLink, type Navigation } from '../shared/deep-link';

export class LinkInbox {
  private pending: Navigation | null = null;
  private deliver: ((navigation: Navigation) => void) | null = null;

  /** Reads a link; it goes to the page at once if one is open, else waits (the last one wins). */
  receive(link: string): Navigation {
    const navigation = parseDeepLink(link);
    if (this.deliver) this.deliver(navigation);
    else this.pending = navigation;
    return navigation;
  }

  /**
   * The route the next window should open at (its URL fragment), when a link is waiting
   * with one; it is then taken. A waiting notice stays for open().
   */
  takeInitialRoute(): string | undefined {
    if (!this.pending || !('route' in this.pending)) return undefined;
    const { route } = this.pending;
    this.pending = null;
    return route;
  }

  /** A page has loaded: what waits goes to it now, later links at once. */
  open(deliver: (navigation: Navigation) => void): void {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = null;
    if (waiting) deliver(waiting);
  }

  /** The window is gone (macOS keeps the app running): links wait again. */
  close(): void {
    this.deliver = null;
  }
}
