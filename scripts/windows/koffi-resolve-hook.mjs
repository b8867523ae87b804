// Module resolve hook registered by preload.mjs: redirects the bare specifier 'koffi' (and its
// subpaths) to the koffi install that carries the win32-x64 binary.
let parentURL;

export function initialize(data) {
  parentURL = data.parentURL;
}

export function resolve(specifier, context, nextResolve) {
  if (specifier === 'koffi' || specifier.startsWith('koffi/')) {
    return nextResolve(specifier, { ...context, parentURL });
  }
  return nextResolve(specifier, context);
}
