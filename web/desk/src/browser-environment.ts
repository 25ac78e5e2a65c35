import type { AuthEnvironment } from './auth';

/** The sign-in module's environment in a browser tab: its sessionStorage, address, crypto and timers. */
export function browserEnvironment(): AuthEnvironment {
  return {
    storage: window.sessionStorage,
    fetch: (input, init) => window.fetch(input, init),
    location: () => window.location.href,
    navigate: (url) => window.location.assign(url),
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    now: () => Date.now(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    sha256: (data) => crypto.subtle.digest('SHA-256', data),
    setTimer: (callback, ms) => window.setTimeout(callback, ms),
    clearTimer: (handle) => window.clearTimeout(handle as number),
  };
}
