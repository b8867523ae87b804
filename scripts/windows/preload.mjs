// Preloaded (node.exe --import) when the Windows build runs under Wine on Linux.
//
// The repo's node_modules holds koffi with only its Linux binary. scripts/windows/setup.sh installs
// the same koffi version with its win32-x64 binary in .cache/windows/koffi-<version>/; this hook makes
// every `import 'koffi'` (the main thread's and each worker_thread's, which inherit --import through
// execArgv) resolve there, so dist/ runs unchanged with the repo's other dependencies.
// IOCP_WIN_KOFFI_DIR may name another folder (its node_modules/koffi is used).
import { register } from 'node:module';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

let dirUrl;
if (process.env.IOCP_WIN_KOFFI_DIR) {
  dirUrl = pathToFileURL(process.env.IOCP_WIN_KOFFI_DIR.replace(/[\\/]*$/, '/'));
} else {
  const pkg = JSON.parse(readFileSync(new URL('../../node_modules/koffi/package.json', import.meta.url), 'utf8'));
  dirUrl = new URL(`../../.cache/windows/koffi-${pkg.version}/`, import.meta.url);
}
// Resolving 'koffi' as if imported from a file in that folder finds its node_modules/koffi and
// honours koffi's own exports map.
register('./koffi-resolve-hook.mjs', import.meta.url, { data: { parentURL: new URL('package.json', dirUrl).href } });

// Wine 8 rejects the TCP keep-alive times libuv sets with SO_KEEPALIVE (setsockopt IPPROTO_TCP
// option 3, TCP_KEEPALIVE: "Unknown IPPROTO_TCP optname"). Set after the connect, the error is
// ignored; set before it, libuv fails the connect itself with UNKNOWN, and Node's fetch() (undici)
// always sets keep-alive before connecting, so every fetch() failed. Under Wine only, a keep-alive
// asked for during the connect is applied once connected.
const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function (...args) {
  if (this.connecting) {
    this.once('connect', () => setKeepAlive.apply(this, args));
    return this;
  }
  return setKeepAlive.apply(this, args);
};
